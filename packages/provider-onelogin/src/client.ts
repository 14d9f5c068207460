import {
  DEFAULT_RETRY_POLICY,
  httpVerdict,
  RESET_ON_429_ONLY,
  retry,
  retryAfterMs,
  type Logger,
  type RetryPolicy,
  type Timer,
} from '@bwdc/core';
import { restNetworkError, restStatusError, type RestCall } from '@bwdc/directory-provider';
import { ONELOGIN, OneLoginError, oneLoginMessage } from './errors';
import type { OneLoginSettings } from './settings';

/**
 * Core's defaults: 5 attempts for a 429, a transient 5xx, a dropped connection or a timeout,
 * backing off from 1 s to 30 s; OneLogin's `X-RateLimit-Reset` waited up to 2 minutes (its windows
 * run up to an hour: a longer wait fails at once and says when the window resets); 60 s per attempt.
 */
export const ONELOGIN_RETRY_POLICY: RetryPolicy = DEFAULT_RETRY_POLICY;

export interface Page<T> {
  pagination?: { next_link?: string | null } | null;
  data?: T[] | null;
}

/** One exchange, body read: what the retry classifier and the error mapping look at. */
interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** Renew the token this long before OneLogin says it expires. */
const TOKEN_SLACK_MS = 60_000;
const CANCELLED = 'The OneLogin read';

/**
 * OneLogin's REST API over fetch: client-credentials sign-in (`POST /auth/oauth2/v2/token`,
 * Basic auth), `bearer:<token>` on every call, the token renewed once on a 401, and every
 * exchange retried and timed through core's resilience layer.
 */
export class OneLoginClient {
  /** Requests sent, retries included. */
  requestCount = 0;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly settings: OneLoginSettings,
    private readonly logger: Logger,
    private readonly io: {
      readonly fetch: typeof fetch;
      readonly policy: RetryPolicy;
      readonly timer?: Timer;
    },
  ) {}

  /** Forgets the access token, so the next call signs in again. */
  signOut(): void {
    this.token = undefined;
  }

  /** One page of a list. */
  async page<T>(href: string, call: RestCall, signal: AbortSignal | undefined): Promise<Page<T>> {
    for (let renewed = false; ; renewed = true) {
      const token = await this.accessToken(signal);
      const answer = await this.exchange(
        href,
        { headers: { Authorization: `bearer:${token}`, Accept: 'application/json' } },
        signal,
      );
      if (answer.status === 401 && !renewed) {
        // Tokens expire or get revoked; one fresh token before calling it a failure.
        this.token = undefined;
        continue;
      }
      if (answer.status >= 200 && answer.status < 300) return answer.body as Page<T>;
      throw this.statusError(answer, call);
    }
  }

  private async accessToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const { apiUrl, clientId, clientSecret } = this.settings;
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const answer = await this.exchange(
      `${apiUrl}/auth/oauth2/v2/token`,
      {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      },
      signal,
    );
    const body = answer.body as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (answer.status === 400 || answer.status === 401 || answer.status === 403) {
      throw new OneLoginError(
        'DIRECTORY_AUTH_FAILED',
        apiUrl,
        `Could not get an access token: OneLogin rejected onelogin.clientId / onelogin.clientSecret (${oneLoginMessage(body) ?? `HTTP ${answer.status}`})`,
        {
          status: answer.status,
          actions: [
            'Check the client id and secret under Developers > API Credentials in OneLogin, and onelogin.region.',
          ],
        },
      );
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw this.statusError(answer, { what: 'Could not get an access token' });
    }
    if (typeof body?.access_token !== 'string') {
      throw new OneLoginError(
        'DIRECTORY_READ_FAILED',
        apiUrl,
        'Could not get an access token: the answer held none',
        { status: answer.status },
      );
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000;
    this.token = {
      value: body.access_token,
      expiresAt: Date.now() + Math.max(0, lifetimeMs - TOKEN_SLACK_MS),
    };
    return body.access_token;
  }

  /** One request and its body, retried: 429 after OneLogin's reset, transient 5xx, network failures, timeouts. */
  private async exchange(
    url: string,
    init: RequestInit,
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    try {
      return await retry(
        async ({ signal: attemptSignal }) => {
          this.requestCount++;
          const response = await this.io.fetch(url, { ...init, signal: attemptSignal });
          const text = await response.text();
          return { status: response.status, headers: response.headers, body: parseJson(text) };
        },
        {
          policy: this.io.policy,
          signal,
          what: CANCELLED,
          timer: this.io.timer,
          classify: (outcome) => httpVerdict(outcome, RESET_ON_429_ONLY),
          onRetry: (event) =>
            this.logger.warn('OneLogin asked to slow down; retrying', {
              path: new URL(url).pathname,
              ...event,
            }),
        },
      );
    } catch (error) {
      throw restNetworkError(ONELOGIN, this.settings.apiUrl, error, CANCELLED);
    }
  }

  private statusError(answer: Answer, call: RestCall): Error {
    return restStatusError(ONELOGIN, this.settings.apiUrl, call, {
      status: answer.status,
      message: oneLoginMessage(answer.body) ?? `HTTP ${answer.status}`,
      ...(answer.status === 429 ? { retryAfterMs: retryAfterMs(answer.headers) } : {}),
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
