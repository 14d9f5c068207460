/**
 * One HTTP exchange with Bitwarden, made robust with core's resilience layer: a timeout per
 * attempt, bounded retries with jittered exponential backoff for 429, 5xx and network failures,
 * and the server's Retry-After honoured up to a cap. It logs method, URL, status and timing only:
 * never headers or bodies, which hold the API key, tokens and members' emails.
 */
import {
  CancelledError,
  DEFAULT_RETRY_POLICY,
  httpVerdict,
  retry,
  type Logger,
  type RetryPolicy,
} from '@bwdc/core';
import { noAnswerError } from './errors';

export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | null };
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

/** Per attempt 90 s (self-hosted nginx gives up on a slow import at 90 s); 429, 5xx and network failures retried 3 times. */
export const BITWARDEN_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  attempts: 4,
  timeoutMs: 90_000,
};

export class HttpTransport {
  constructor(
    private readonly fetcher: Fetcher,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  /**
   * Returns the final response, whatever its status (a Retry-After longer than the policy's
   * `maxWaitMs` is not waited out: that response comes back at once); throws only when no
   * response arrived after every attempt, or on cancel.
   */
  async send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    const label = `${request.method} ${request.url}`;
    const fields = { method: request.method, url: request.url };
    let attempts = 0;
    try {
      return await retry(
        async ({ number, signal: attemptSignal }) => {
          attempts = number;
          const started = Date.now();
          const response = await this.once(request, attemptSignal);
          this.logger.debug('Bitwarden request', {
            ...fields,
            status: response.status,
            ms: Date.now() - started,
            attempt: number,
          });
          return response;
        },
        {
          policy: this.policy,
          signal,
          what: `The Bitwarden request ${label}`,
          classify: (outcome) => httpVerdict(outcome),
          onRetry: (event) =>
            this.logger.warn('Bitwarden request failed; retrying', {
              ...fields,
              ...event,
              maxAttempts: this.policy.attempts,
            }),
        },
      );
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw noAnswerError(label, request.url, attempts, error);
    }
  }

  private async once(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const res = await this.fetcher(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  }
}
