/**
 * One HTTP exchange with Bitwarden, made robust: a timeout per attempt, bounded retries with
 * jittered exponential backoff for 429, 5xx and network failures, and the server's Retry-After
 * honoured. It logs method, URL, status and timing only: never headers or bodies, which hold the
 * API key, tokens and members' emails.
 */
import { CancelledError, type Logger } from '@bwdc/core';
import { BitwardenApiError } from './errors';

export interface HttpResponse {
  status: number;
  header(name: string): string | null;
  text: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The part of `fetch` this client uses; undici's fetch and the global one both fit. */
export type Fetcher = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface RetryPolicy {
  /** Per attempt. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles each retry, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the request fails and says how long the server asked for. */
  maxRetryAfterMs: number;
}

export class HttpTransport {
  constructor(
    private readonly fetcher: Fetcher,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  /** Returns the final response, whatever its status; throws only when no response arrived or on cancel. */
  async send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const label = `${request.method} ${request.url}`;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new CancelledError(`The Bitwarden request ${label}`);
      const started = Date.now();
      let outcome: HttpResponse | Error;
      try {
        outcome = await this.once(request, signal);
      } catch (e) {
        if (signal?.aborted) throw new CancelledError(`The Bitwarden request ${label}`);
        outcome = e instanceof Error ? e : new Error(String(e));
      }
      const ms = Date.now() - started;
      const retryable = outcome instanceof Error || outcome.status === 429 || outcome.status >= 500;
      if (!(outcome instanceof Error)) {
        this.logger.debug('Bitwarden request', {
          method: request.method,
          url: request.url,
          status: outcome.status,
          ms,
          attempt,
        });
      }
      if (!retryable) return outcome as HttpResponse;

      const retryAfterMs =
        outcome instanceof Error ? undefined : parseRetryAfter(outcome.header('retry-after'));
      const lastAttempt = attempt > this.policy.maxRetries;
      if (
        lastAttempt ||
        (retryAfterMs !== undefined && retryAfterMs > this.policy.maxRetryAfterMs)
      ) {
        if (outcome instanceof Error) {
          throw new BitwardenApiError(
            label,
            { status: 0, serverMessage: outcome.message },
            {
              cause: outcome,
              message: `Bitwarden did not answer ${label} after ${attempt} attempt(s): ${outcome.message}`,
              actions: [
                'Check the server URL, the network path and any proxy (HTTPS_PROXY/NO_PROXY), then try again.',
              ],
            },
          );
        }
        return outcome;
      }
      const delay = Math.max(retryAfterMs ?? 0, this.backoff(attempt));
      this.logger.warn('Bitwarden request failed; retrying', {
        method: request.method,
        url: request.url,
        result: outcome instanceof Error ? outcome.message : `HTTP ${outcome.status}`,
        retryInMs: delay,
        attempt,
        maxAttempts: this.policy.maxRetries + 1,
      });
      await sleep(delay, signal, label);
    }
  }

  private async once(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(this.policy.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await this.fetcher(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: combined,
      });
      const text = await res.text();
      return { status: res.status, header: (n) => res.headers.get(n), text };
    } catch (e) {
      if (timeout.aborted && !signal?.aborted)
        throw new Error(`timed out after ${this.policy.timeoutMs} ms`, { cause: e });
      throw describeNetworkError(e);
    }
  }

  private backoff(attempt: number): number {
    const exp = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp * (0.5 + Math.random() / 2));
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** fetch's "fetch failed" hides the useful part (ECONNREFUSED, ECONNRESET, ...) in `cause`. */
function describeNetworkError(e: unknown): Error {
  if (!(e instanceof Error)) return new Error(String(e));
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? new Error(`${e.message} (${detail})`, { cause: e }) : e;
}

function sleep(ms: number, signal: AbortSignal | undefined, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError(`The Bitwarden request ${label}`));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError(`The Bitwarden request ${label}`));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
