/**
 * Client-side pacing from Okta's rate-limit headers. Okta limits each endpoint per window and
 * says so on every response (`X-Rate-Limit-Limit`, `-Remaining`, `-Reset` in epoch seconds);
 * the governor keeps this client's use of each bucket under `share` of the limit, leaving the
 * rest to other integrations and admins, and waits for the window to reset instead of running
 * into 429s. Pure logic over an injected clock, so it is testable without time passing.
 */
export interface RateLimitHeaders {
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** Epoch seconds at which the window resets. */
  readonly reset: number | undefined;
  /** The server's clock (`Date` header) in epoch ms; Okta's reset is on that clock, not ours. */
  readonly serverNow: number | undefined;
}

interface BucketState {
  limit: number;
  remaining: number;
  reset: number;
  /** Local epoch ms from which the bucket's window has reset. */
  resumeAt: number;
}

/** Slack for the server's clock running ahead of the second its `Date` header shows. */
const RESET_PAD_MS = 250;

export class RateLimitGovernor {
  private readonly buckets = new Map<string, BucketState>();
  private readonly waits = new Map<string, Promise<void>>();
  /** Per bucket, the last window this client waited out; late answers from that window are stale. */
  private readonly passed = new Map<string, number>();
  /** Per bucket, calls sent and not yet answered: the server may have counted them already. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    /** Share (0..1] of each bucket's limit this client may use per window. */
    private readonly share: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    if (!(share > 0 && share <= 1))
      throw new RangeError(`rate-limit share must be in (0, 1], got ${share}`);
  }

  /**
   * Waits, if this client has used its share of the bucket, until the window resets; then counts
   * the call as in flight until `release`.
   */
  async beforeRequest(bucket: string): Promise<void> {
    for (;;) {
      const state = this.buckets.get(bucket);
      if (!state || this.used(bucket, state) < this.allowed(state)) break;
      let wait = this.waits.get(bucket);
      if (!wait) {
        const ms = Math.max(0, state.resumeAt - this.now());
        const reset = state.reset;
        wait = this.sleep(ms).finally(() => {
          // The window has reset; the next response tells us the new numbers.
          this.passed.set(bucket, Math.max(reset, this.passed.get(bucket) ?? 0));
          this.buckets.delete(bucket);
          this.waits.delete(bucket);
        });
        this.waits.set(bucket, wait);
      }
      await wait;
    }
    this.inFlight.set(bucket, (this.inFlight.get(bucket) ?? 0) + 1);
  }

  /** The call counted by `beforeRequest` has been answered (or failed); call before `observe`. */
  release(bucket: string): void {
    this.inFlight.set(bucket, Math.max(0, (this.inFlight.get(bucket) ?? 0) - 1));
  }

  /** Records what a response said about its bucket. */
  observe(bucket: string, headers: RateLimitHeaders): void {
    const { limit, remaining, reset } = headers;
    if (limit === undefined || remaining === undefined || reset === undefined) return;
    // Calls sent before a wait can answer after it; their window is over.
    if (reset <= (this.passed.get(bucket) ?? 0)) return;
    const resumeAt = this.now() + this.msUntilReset(headers) + RESET_PAD_MS;
    const state = this.buckets.get(bucket);
    if (!state || reset > state.reset || limit !== state.limit) {
      this.buckets.set(bucket, { limit, remaining, reset, resumeAt });
    } else {
      // Responses to concurrent calls arrive out of order; the lowest count is the latest truth.
      state.remaining = Math.min(state.remaining, remaining);
    }
  }

  /** Forgets a bucket after waiting out its window, so the wait is not repeated. */
  forget(bucket: string): void {
    const state = this.buckets.get(bucket);
    if (state) this.passed.set(bucket, Math.max(state.reset, this.passed.get(bucket) ?? 0));
    this.buckets.delete(bucket);
  }

  /** How long to wait before retrying a 429, by the server's clock; undefined when the headers don't say. */
  retryDelayMs(headers: RateLimitHeaders): number | undefined {
    if (headers.reset === undefined) return undefined;
    return this.msUntilReset(headers) + RESET_PAD_MS;
  }

  /** Calls this client may make per window in the bucket. */
  allowedPerWindow(bucket: string): number | undefined {
    const state = this.buckets.get(bucket);
    return state && this.allowed(state);
  }

  private allowed(state: BucketState): number {
    return Math.max(1, Math.floor(state.limit * this.share));
  }

  /**
   * Every call the server has counted has either been answered (so the lowest `remaining` seen
   * includes it) or is still in flight, so this never undercounts, whatever order answers arrive in.
   */
  private used(bucket: string, state: BucketState): number {
    return state.limit - state.remaining + (this.inFlight.get(bucket) ?? 0);
  }

  private msUntilReset(headers: RateLimitHeaders): number {
    const serverNow = headers.serverNow ?? this.now();
    return Math.max(0, (headers.reset ?? 0) * 1000 - serverNow);
  }
}

/** Reads the rate-limit headers from anything with a fetch-style `headers.get`. */
export function readRateLimitHeaders(headers: {
  get(name: string): string | null;
}): RateLimitHeaders {
  const num = (name: string): number | undefined => {
    const text = headers.get(name);
    // Okta documents duplicated headers arriving comma-joined; such values can't be trusted.
    if (text === null || text.includes(',')) return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  };
  const date = headers.get('date');
  const serverNow = date ? Date.parse(date) : NaN;
  return {
    limit: num('x-rate-limit-limit'),
    remaining: num('x-rate-limit-remaining'),
    reset: num('x-rate-limit-reset'),
    serverNow: Number.isFinite(serverNow) ? serverNow : undefined,
  };
}
