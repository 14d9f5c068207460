import type { Agent } from 'node:https';
import { CancelledError, type Logger } from '@bwdc/core';
import { RequestExecutor } from '@okta/okta-sdk-nodejs';
import { OktaError } from './errors';
import { readRateLimitHeaders, type RateLimitGovernor } from './rate-limit';

/** The parts of a fetch-style response this executor reads. */
interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

/** The SDK's request shape (node-fetch options plus the URL). */
interface SdkRequest {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  agent?: unknown;
  signal?: AbortSignal;
}

export interface GovernedExecutorOptions {
  readonly orgUrl: string;
  readonly governor: RateLimitGovernor;
  readonly sleep: (ms: number) => Promise<void>;
  readonly logger: Logger;
  /** Retries of a 429 or a transient 5xx before giving up. */
  readonly maxRetries: number;
  /** A TLS agent trusting the configured CA; the SDK's node-fetch uses it. */
  readonly agent?: Agent;
  /** Replaces node-fetch entirely (tests, or a runtime with its own fetch). */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

const TRANSIENT = new Set([500, 502, 503, 504]);

/**
 * The SDK's request executor, replaced so that every call (including the `Link: rel="next"`
 * pages the SDK follows on its own) passes the rate-limit governor, retries 429s after Okta's
 * reset time with an injectable sleep, stays on the org's origin, and can be cancelled.
 */
export class GovernedRequestExecutor extends RequestExecutor {
  /** Calls sent, retries included. */
  requestCount = 0;
  /** Okta's clock at the first response, epoch ms: the start of the read by the server's time. */
  firstServerTime: number | undefined;
  private readonly origin: string;

  constructor(private readonly options: GovernedExecutorOptions) {
    super();
    this.origin = new URL(options.orgUrl).origin;
  }

  override fetch(request: SdkRequest): Promise<never> {
    // The SDK's types name node-fetch's Response, which both transports satisfy at runtime.
    return this.execute(request) as Promise<never>;
  }

  private async execute(request: SdkRequest): Promise<ResponseLike> {
    const { governor, sleep, logger, maxRetries, signal } = this.options;
    const url = new URL(request.url ?? '');
    // A paging link pointing elsewhere would carry the API token off the org.
    if (url.origin !== this.origin) {
      throw new OktaError(
        'DIRECTORY_READ_FAILED',
        this.options.orgUrl,
        `refusing to follow a link to ${url.origin}`,
      );
    }
    const bucket = bucketOf(url.pathname);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new CancelledError('The Okta read');
      await governor.beforeRequest(bucket);
      if (signal?.aborted) throw new CancelledError('The Okta read');
      this.requestCount++;
      let response: ResponseLike;
      try {
        response = await this.send(request);
      } finally {
        governor.release(bucket);
      }
      const headers = readRateLimitHeaders(response.headers);
      if (this.firstServerTime === undefined)
        this.firstServerTime = headers.serverNow ?? Date.now();
      governor.observe(bucket, headers);
      const retryable = response.status === 429 || TRANSIENT.has(response.status);
      if (!retryable || attempt >= maxRetries) return response;
      const delay =
        (response.status === 429 ? governor.retryDelayMs(headers) : undefined) ??
        Math.min(30_000, 1000 * 2 ** attempt);
      logger.warn('Okta asked to slow down; retrying', {
        status: response.status,
        bucket,
        delayMs: delay,
        attempt: attempt + 1,
      });
      await sleep(delay);
      if (response.status === 429) governor.forget(bucket);
    }
  }

  private async send(request: SdkRequest): Promise<ResponseLike> {
    const { fetch: fetchImpl, agent, signal } = this.options;
    if (fetchImpl) {
      return fetchImpl(request.url!, {
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body as string | undefined,
        signal,
      });
    }
    if (agent) request.agent = agent;
    if (signal) request.signal = signal;
    return (await super.fetch(request as never)) as unknown as ResponseLike;
  }
}

/** Okta rate-limits per endpoint; ids in a path share their endpoint's bucket. */
export function bucketOf(pathname: string): string {
  return pathname.replace(/^(\/api\/v1\/(?:groups|users|apps))\/(?!me$)[^/]+/, '$1/{id}');
}
