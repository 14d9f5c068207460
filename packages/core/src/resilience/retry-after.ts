/** Response headers as fetch (`get`) or as a plain object (gaxios, node-fetch raw) holds them. */
export type HeadersLike =
  | { get(name: string): string | null | undefined }
  | Readonly<Record<string, unknown>>;

/** Slack for a server clock running ahead of the whole second its reset and `Date` headers show. */
export const RESET_PAD_MS = 250;

/** Below this a reset is seconds from now (OneLogin); from here on, epoch seconds (Okta). */
const EPOCH_SECONDS = 1_000_000_000;

/**
 * How long the server asked to wait before the next request, in ms, or undefined when it did not
 * say: `Retry-After` (delta-seconds or an HTTP date), else a rate-limit reset, `X-Rate-Limit-Reset`
 * as Okta sends it or `X-RateLimit-Reset` as OneLogin does (epoch seconds when the number is that
 * large, seconds from now otherwise). Dates and epoch resets are read against the server's own
 * `Date` header when it sent one: they are on the server's clock, not ours. The caller's policy
 * decides whether a wait this long is worth waiting (`RetryPolicy.maxWaitMs`).
 */
export function retryAfterMs(
  headers: HeadersLike | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const serverDate = Date.parse(header(headers, 'date') ?? '');
  const serverNow = Number.isFinite(serverDate) ? serverDate : now;

  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - serverNow);
  }
  for (const name of ['x-rate-limit-reset', 'x-ratelimit-reset']) {
    const text = header(headers, name)?.trim();
    // Okta documents duplicated headers arriving comma-joined; such a value cannot be trusted.
    if (!text || !/^\d+(\.\d+)?$/.test(text)) continue;
    const value = Number(text);
    const ms = value >= EPOCH_SECONDS ? value * 1000 - serverNow : value * 1000;
    return Math.max(0, ms) + RESET_PAD_MS;
  }
  return undefined;
}

function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof headers.get === 'function') {
    return (headers as { get(n: string): string | null | undefined }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, unknown>>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : undefined;
}
