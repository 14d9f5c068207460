import {
  CancelledError,
  DEFAULT_RETRY_POLICY,
  httpVerdict,
  retry,
  throwIfCancelled,
  type RetryEvent,
  type RetryPolicy,
  type Timer,
} from '@bwdc/core';
import { Client, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { EntraError, graphError, type GraphCall } from './errors';
import type { ClientCredentialsToken } from './token';

/**
 * 7 attempts for a throttled (429) or unavailable (503/504) call, each after Graph's Retry-After
 * (up to 3 minutes, as the Graph SDK's own handler allowed), and for a dropped connection or a
 * timeout; backoff from 3 s when Graph gives no Retry-After; 60 s per attempt.
 */
export const ENTRA_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  attempts: 7,
  baseDelayMs: 3000,
  maxDelayMs: 60_000,
  maxWaitMs: 180_000,
};

const RETRIED = new Set([429, 503, 504]);
/** Statuses whose responses have no body, so one must not be built for them. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * Puts the bearer token on requests to the configured Graph origin, and nowhere else: a link
 * pointing at another origin never carries the token. On a 401 (token expired or revoked early)
 * it fetches a fresh token once and repeats the request.
 *
 * Ours rather than the SDK's AuthenticationHandler: that one only signs `https://` URLs of
 * Microsoft's Graph hosts or of `customHosts`, by host name alone, and never renews a token on 401.
 * Matching the exact origin is stricter, and works for a loopback emulator on plain http too.
 */
class BearerTokenMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly origin: string,
    private readonly token: ClientCredentialsToken,
  ) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const options = (context.options ??= {});
    const headers = (options.headers ?? {}) as Record<string, string>;
    options.headers = headers;
    if (new URL(url).origin !== this.origin) {
      delete headers.Authorization;
      return this.next!.execute(context);
    }
    const signal = options.signal ?? undefined;
    headers.Authorization = `Bearer ${await this.token.get(signal)}`;
    await this.next!.execute(context);
    if (context.response?.status === 401) {
      this.token.invalidate();
      headers.Authorization = `Bearer ${await this.token.get(signal)}`;
      await this.next!.execute(context);
    }
  }
}

/**
 * Sends the request with the injected fetch, retried and timed through core's resilience layer
 * (in place of the SDK's RetryHandler, whose waits a cancel could not end). Each retry carries
 * `Retry-Attempt`, as Graph's throttling guidance asks. The body is read inside the attempt, so
 * its timeout covers the whole exchange.
 */
class ResilientFetchMiddleware implements Middleware {
  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly policy: RetryPolicy,
    private readonly onRetry: (event: RetryEvent & { path: string }) => void,
    private readonly timer: Timer | undefined,
  ) {}

  async execute(context: Context): Promise<void> {
    const options = context.options ?? {};
    const headers = { ...((options.headers ?? {}) as Record<string, string>) };
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    context.response = await retry(
      async (attempt) => {
        if (attempt.number > 1) headers['Retry-Attempt'] = String(attempt.number - 1);
        const response = await this.fetchFn(context.request, {
          ...options,
          headers,
          signal: attempt.signal,
        });
        const body = NULL_BODY.has(response.status) ? null : await response.arrayBuffer();
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      },
      {
        policy: this.policy,
        signal: options.signal ?? undefined,
        what: 'Entra read',
        timer: this.timer,
        classify: (outcome) => httpVerdict(outcome, { retried: (status) => RETRIED.has(status) }),
        onRetry: (event) => this.onRetry({ ...event, path: new URL(url).pathname }),
      },
    );
  }
}

export interface GraphPage<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

/**
 * The Microsoft Graph client (SDK request building and error parsing) with our token and
 * transport ends, plus paging that follows `@odata.nextLink` to the end and maps failures to
 * EntraErrors that name the call and the missing permission.
 */
export class GraphReader {
  private readonly client: Client;
  private readonly origin: string;

  constructor(
    readonly graphUrl: string,
    token: ClientCredentialsToken,
    fetchFn: typeof fetch,
    private readonly policy: RetryPolicy,
    onRetry: (event: RetryEvent & { path: string }) => void,
    timer?: Timer,
  ) {
    this.origin = new URL(graphUrl).origin;
    this.client = Client.initWithMiddleware({
      baseUrl: graphUrl,
      defaultVersion: 'v1.0',
      middleware: [
        new BearerTokenMiddleware(this.origin, token),
        new ResilientFetchMiddleware(fetchFn, policy, onRetry, timer),
      ],
    });
  }

  /**
   * Reads every page of a collection (or a delta round), handing each to `onPage`. Returns the
   * `@odata.deltaLink` that ends a delta round, if any.
   */
  async readAll<T>(
    path: string,
    call: GraphCall,
    signal: AbortSignal | undefined,
    onPage: (items: T[]) => void | Promise<void>,
  ): Promise<string | undefined> {
    let next: string | undefined = path;
    while (next !== undefined) {
      throwIfCancelled(signal, 'Entra read');
      const page: GraphPage<T> = await this.get<GraphPage<T>>(next, call, signal);
      await onPage(page.value ?? []);
      if (page['@odata.nextLink'] !== undefined) {
        next = this.relative(page['@odata.nextLink'], call);
      } else {
        return page['@odata.deltaLink'];
      }
    }
    return undefined;
  }

  async get<T>(path: string, call: GraphCall, signal: AbortSignal | undefined): Promise<T> {
    throwIfCancelled(signal, 'Entra read');
    try {
      const request = this.client.api(path);
      if (signal) request.option('signal', signal);
      return (await request.get()) as T;
    } catch (error) {
      if (signal?.aborted) throw new CancelledError('Entra read');
      throw graphError(error, call, this.graphUrl, this.policy.attempts - 1);
    }
  }

  /**
   * A next or delta link as a path under this Graph: the SDK would otherwise re-prefix links
   * that are not https, and a link to another origin must not be followed with our token.
   */
  relative(link: string, call: GraphCall): string {
    const url = new URL(link, this.graphUrl);
    if (url.origin !== this.origin) {
      throw new EntraError(
        'DIRECTORY_READ_FAILED',
        this.graphUrl,
        `${call.what}: Graph returned a link to another server (${url.origin}); refusing to follow it`,
      );
    }
    return `${url.pathname.replace(/^\/v1\.0(?=\/)/, '')}${url.search}`;
  }
}

/** A fetch that also trusts `ca`, through undici's own fetch so agent and fetch match. */
export function fetchTrusting(ca: string | Buffer): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  type UndiciInput = Parameters<typeof undiciFetch>[0];
  type UndiciInit = NonNullable<Parameters<typeof undiciFetch>[1]>;
  return ((input: unknown, init?: unknown) =>
    undiciFetch(input as UndiciInput, {
      ...(init as UndiciInit),
      dispatcher,
    })) as unknown as typeof fetch;
}
