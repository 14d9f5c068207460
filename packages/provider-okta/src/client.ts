import { Agent } from 'node:https';
import {
  DEFAULT_RETRY_POLICY,
  httpVerdict,
  RESET_ON_429_ONLY,
  retry,
  sleep,
  withTimeout,
  type Logger,
  type RetryPolicy,
  type Timer,
} from '@bwdc/core';
import { Client, RequestExecutor } from '@okta/okta-sdk-nodejs';
import { OktaError } from './errors';
import { RateLimitGovernor, readRateLimitHeaders } from './rate-limit';
import type { OktaSettings } from './settings';

/**
 * Core's defaults: 5 attempts for a 429 (after Okta's reset time), a transient 5xx, a dropped
 * connection or a timeout, backing off from 1 s to 30 s; a reset waited up to 2 minutes (Okta's
 * windows are a minute); 60 s per request. The governor's pacing waits are capped at `maxWaitMs` too.
 */
export const OKTA_RETRY_POLICY: RetryPolicy = DEFAULT_RETRY_POLICY;

/** The fetch-style response the SDK reads (status, url, headers, text/json/buffer). */
interface ResponseLike {
  readonly status: number;
  readonly url: string;
  readonly headers: {
    get(name: string): string | null;
    forEach(fn: (v: string, k: string) => void): void;
  };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The SDK's request shape (node-fetch options plus the URL). */
interface SdkRequest {
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface OktaClientIo {
  readonly policy: RetryPolicy;
  /** Replaces the real timer for retry and pacing waits (tests). */
  readonly timer?: Timer;
  /** A TLS agent trusting the configured CA; the SDK's node-fetch uses it. */
  readonly agent?: Agent;
  /** Replaces node-fetch entirely (tests, or a runtime with its own fetch). */
  readonly fetch?: typeof fetch;
}

const CANCELLED = 'The Okta read';

/**
 * The SDK's request executor, replaced so that every call (including the `Link: rel="next"`
 * pages the SDK follows on its own) passes the rate-limit governor, runs under a timeout, is
 * retried through core's resilience layer (a 429 after Okta's reset time), stays on the org's
 * origin, and ends at once on cancel, waits included.
 */
export class GovernedRequestExecutor extends RequestExecutor {
  /** Calls sent, retries included. */
  requestCount = 0;
  /** Okta's clock at the first response, epoch ms: the start of the read by the server's time. */
  firstServerTime: number | undefined;
  private readonly origin: string;
  private readonly governor: RateLimitGovernor;

  constructor(
    private readonly settings: OktaSettings,
    private readonly logger: Logger,
    private readonly io: OktaClientIo,
    private readonly signal: AbortSignal | undefined,
  ) {
    super();
    this.origin = new URL(settings.orgUrl).origin;
    this.governor = new RateLimitGovernor(settings.rateLimitShare, (ms) =>
      sleep(Math.min(ms, io.policy.maxWaitMs), signal, { what: CANCELLED, timer: io.timer }),
    );
  }

  override fetch(request: SdkRequest): Promise<never> {
    // The SDK's types name node-fetch's Response; ours has every part of it the SDK reads.
    return this.execute(request) as Promise<never>;
  }

  private async execute(request: SdkRequest): Promise<unknown> {
    const url = new URL(request.url ?? '');
    // A paging link pointing elsewhere would carry the API token off the org.
    if (url.origin !== this.origin) {
      throw new OktaError(
        'DIRECTORY_READ_FAILED',
        this.settings.orgUrl,
        `refusing to follow a link to ${url.origin}`,
      );
    }
    const bucket = bucketOf(url.pathname);
    let waitedOutReset = false;
    const { policy } = this.io;
    return retry(
      async ({ signal }) => {
        // The window a 429 waited for has passed; the next answer tells the new numbers.
        if (waitedOutReset) this.governor.forget(bucket);
        // The pacing wait is not the request's: the timeout covers the request alone.
        await this.governor.beforeRequest(bucket);
        this.requestCount++;
        let response: Answer;
        try {
          response = await withTimeout(
            (s) => this.send(request, s),
            policy.timeoutMs,
            signal,
            CANCELLED,
          );
        } finally {
          this.governor.release(bucket);
        }
        const headers = readRateLimitHeaders(response.headers);
        this.firstServerTime ??= headers.serverNow ?? Date.now();
        this.governor.observe(bucket, headers);
        return response;
      },
      {
        policy: { ...policy, timeoutMs: undefined },
        signal: this.signal,
        what: CANCELLED,
        timer: this.io.timer,
        classify: (outcome) => {
          if (outcome.ok && outcome.value.status === 429) waitedOutReset = true;
          return httpVerdict(outcome, RESET_ON_429_ONLY);
        },
        onRetry: (event) =>
          this.logger.warn('Okta asked to slow down; retrying', { bucket, ...event }),
      },
    );
  }

  /** One request with its body read, so the timeout covers the whole exchange. */
  private async send(request: SdkRequest, signal: AbortSignal): Promise<Answer> {
    const response = (this.io.fetch
      ? await this.io.fetch(request.url!, {
          method: request.method ?? 'GET',
          headers: request.headers,
          body: request.body as string | undefined,
          signal,
        })
      : await super.fetch({
          ...request,
          ...(this.io.agent ? { agent: this.io.agent } : {}),
          signal,
        } as never)) as unknown as ResponseLike;
    return answer(response, Buffer.from(await response.arrayBuffer()));
  }
}

/** A response whose body has been read: what the SDK is handed. */
type Answer = ReturnType<typeof answer>;

function answer(response: ResponseLike, body: Buffer) {
  return {
    status: response.status,
    ok: response.status >= 200 && response.status < 300,
    url: response.url,
    headers: response.headers,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    buffer: async () => body,
  };
}

/** The SDK client for one read, with its executor (which counts requests and the server's start time). */
export function connectOkta(
  settings: OktaSettings,
  logger: Logger,
  io: OktaClientIo,
  signal: AbortSignal | undefined,
): { client: Client; executor: GovernedRequestExecutor } {
  const executor = new GovernedRequestExecutor(settings, logger, io, signal);
  const client = new Client({
    orgUrl: settings.orgUrl,
    token: settings.token,
    authorizationMode: 'SSWS',
    requestExecutor: executor,
    // The SDK's default cache would answer a second read from memory.
    cacheMiddleware: null,
  });
  return { client, executor };
}

/** Okta rate-limits per endpoint; ids in a path share their endpoint's bucket. */
export function bucketOf(pathname: string): string {
  return pathname.replace(/^(\/api\/v1\/(?:groups|users|apps))\/(?!me$)[^/]+/, '$1/{id}');
}
