import {
  Client,
  GraphError,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { CancelledError, throwIfCancelled } from '@bwdc/core';
import { EntraError } from './errors';
import { describeCause, type ClientCredentialsToken } from './token';

/** Retries of a throttled (429) or unavailable (503/504) call, each after Graph's Retry-After. */
export const MAX_RETRIES = 6;

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

/** Sends the request with the injected fetch (one that trusts a private CA, in tests). */
class FetchMiddleware implements Middleware {
  constructor(private readonly fetchFn: typeof fetch) {}

  async execute(context: Context): Promise<void> {
    context.response = await this.fetchFn(context.request, context.options);
  }
}

export interface GraphPage<T> {
  readonly value: T[];
  readonly '@odata.nextLink'?: string;
  readonly '@odata.deltaLink'?: string;
}

/**
 * The Microsoft Graph client (SDK request building, its RetryHandler honouring Retry-After, its
 * error parsing) with our token and transport ends, plus paging that follows `@odata.nextLink`
 * to the end and maps failures to EntraErrors that name the call and the missing permission.
 */
export class GraphReader {
  private readonly client: Client;
  private readonly origin: string;

  constructor(
    readonly graphUrl: string,
    token: ClientCredentialsToken,
    fetchFn: typeof fetch,
    private readonly onRetry: (attempt: number, status: number, what: string) => void,
  ) {
    this.origin = new URL(graphUrl).origin;
    const retry = new RetryHandler(
      new RetryHandlerOptions(3, MAX_RETRIES, (_delay, attempt, request, _options, response) => {
        this.onRetry(
          attempt + 1,
          response.status,
          typeof request === 'string' ? new URL(request).pathname : request.url,
        );
        return true;
      }),
    );
    this.client = Client.initWithMiddleware({
      baseUrl: graphUrl,
      defaultVersion: 'v1.0',
      middleware: [
        new BearerTokenMiddleware(this.origin, token),
        retry,
        new FetchMiddleware(fetchFn),
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
      throw this.explain(error, call);
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

  private explain(error: unknown, call: GraphCall): Error {
    if (error instanceof EntraError || error instanceof CancelledError) return error;
    const status = error instanceof GraphError ? error.statusCode : -1;
    const code = error instanceof GraphError ? (error.code ?? '') : '';
    const detail = error instanceof Error ? error.message : String(error);
    const source = this.graphUrl;
    if (status === 403) {
      return new EntraError(
        'DIRECTORY_AUTH_FAILED',
        source,
        `${call.what} was denied (${code || 'HTTP 403'}): the app registration needs the Microsoft Graph application permission ${call.permission} with admin consent`,
        {
          cause: error,
          actions: [
            `Add the application permission ${call.permission} to the app registration and grant admin consent.`,
          ],
        },
      );
    }
    if (status === 401) {
      return new EntraError(
        'DIRECTORY_AUTH_FAILED',
        source,
        `${call.what} was refused: Graph did not accept the access token (${code}: ${detail})`,
        {
          cause: error,
          actions: ['Check entra.graphUrl belongs to the same cloud as entra.identityAuthority.'],
        },
      );
    }
    if (status === 404 && call.notFound) {
      return new EntraError('DIRECTORY_READ_FAILED', source, call.notFound, { cause: error });
    }
    if (status === 429 || status === 503 || status === 504) {
      return new EntraError(
        'DIRECTORY_UNREACHABLE',
        source,
        `${call.what} failed: Graph answered HTTP ${status} (${code || 'throttled'}) and still did after ${MAX_RETRIES} retries that waited as its Retry-After asked`,
        { cause: error, actions: ['Try again later; if it persists, sync less often.'] },
      );
    }
    if (status === -1 || status === undefined) {
      return new EntraError(
        'DIRECTORY_UNREACHABLE',
        source,
        `${call.what}: cannot reach Microsoft Graph: ${describeCause(error)}`,
        {
          cause: error,
          actions: ['Check entra.graphUrl and the network path (proxy, firewall) to it.'],
        },
      );
    }
    return new EntraError(
      'DIRECTORY_READ_FAILED',
      source,
      `${call.what} failed with HTTP ${status} (${code}): ${detail}`,
      { cause: error },
    );
  }
}

/** What a Graph call is for, for error messages. */
export interface GraphCall {
  /** e.g. `reading users (GET /users)` */
  readonly what: string;
  /** The least-privileged application permission the call needs. */
  readonly permission: string;
  /** The message for a 404, when the id came from the admin's settings. */
  readonly notFound?: string;
}
