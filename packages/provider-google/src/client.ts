import {
  CancelledError,
  DEFAULT_RETRY_POLICY,
  retry,
  retryAfterMs,
  type Logger,
  type RetryEvent,
  type RetryPolicy,
  type Timer,
} from '@bwdc/core';
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { OAuth2Client } from 'google-auth-library';
import {
  apiError,
  describeHttpFailure,
  giveUp,
  GoogleError,
  isRetryable,
  verdictOf,
  type HttpFailure,
  type ListCall,
} from './errors';
import type { GoogleSettings } from './settings';
import { JWT_BEARER_GRANT, signAssertion, tokenError } from './token';

/**
 * Google's advice for quota errors: wait 2^n seconds plus jitter, up to a cap, 8 attempts in all.
 * The jitter spreads the retries of concurrent member-list workers so they do not hit the quota
 * again in lock-step. A Retry-After is waited instead, up to 2 minutes; 60 s per attempt.
 */
export const GOOGLE_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  attempts: 8,
  maxDelayMs: 64_000,
};

export interface GoogleClientIo {
  readonly fetch: typeof fetch;
  readonly policy: RetryPolicy;
  readonly timer?: Timer;
  readonly random?: () => number;
}

/** gaxios' per-call options: our attempt's signal, and no retries of its own. */
export interface CallOptions {
  signal: AbortSignal;
  retry: false;
}

const LOOPBACK_URL = /^https?:\/\/(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?\//i;
const CANCELLED = 'Google Workspace read';

/** The token endpoint answered, but with no token: its failure, for the retry classifier. */
class TokenRefused extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.message);
  }
}

/**
 * The Admin SDK Directory client (`@googleapis/admin`) signed in as the service account acting
 * as `gsuite.adminUser`. google-auth-library's JWT client always posts to Google's own token
 * URL, so the JWT-bearer exchange is done here (signed with node:crypto, posted to
 * `gsuite.tokenUri`) and handed to an OAuth2Client as its refresh handler. Every call and token
 * request is retried and timed through core's resilience layer.
 */
export class GoogleClient {
  /** The signal of the read in progress, so a token request inside it can be cancelled too. */
  activeSignal: AbortSignal | undefined;
  readonly auth: OAuth2Client;
  readonly directory: admin_directory_v1.Admin;
  private pendingToken: Promise<{ access_token: string; expiry_date: number }> | undefined;

  constructor(
    private readonly settings: GoogleSettings,
    private readonly source: string,
    private readonly logger: Logger,
    private readonly io: GoogleClientIo,
  ) {
    // Always hand gaxios a fetch: its default is a dynamic import of node-fetch, which breaks under
    // Jest. Loopback is exempt from HTTPS_PROXY, which would otherwise make gaxios import a proxy
    // agent that native fetch ignores anyway.
    this.auth = new OAuth2Client({
      transporterOptions: { fetchImplementation: io.fetch, noProxy: [LOOPBACK_URL] },
    });
    this.auth.refreshHandler = () => this.accessToken();
    this.directory = admin({
      version: 'directory_v1',
      // googleapis-common pins its own google-auth-library; it only calls `request` on this client.
      auth: this.auth as unknown as admin_directory_v1.Options['auth'],
      rootUrl: settings.rootUrl,
    });
  }

  /**
   * Runs one API call with retries: rate limits, 429, 5xx and dropped connections back off
   * exponentially with jitter; a 401 gets one fresh token. Everything else becomes a GoogleError
   * saying what to fix.
   */
  async call<T>(
    signal: AbortSignal | undefined,
    what: ListCall,
    query: string | undefined,
    run: (options: CallOptions) => Promise<{ data: T }>,
  ): Promise<T> {
    let reauthorized = false;
    let attempts = 0;
    try {
      return await retry(
        async (attempt) => {
          attempts = attempt.number;
          const options: CallOptions = { signal: attempt.signal, retry: false };
          try {
            return (await run(options)).data;
          } catch (error) {
            if (reauthorized || describeHttpFailure(error).status !== 401) throw error;
            reauthorized = true;
            this.auth.credentials = {};
            return (await run(options)).data;
          }
        },
        this.retryOptions(signal, what, (outcome) =>
          outcome.ok ? { verdict: 'fail' } : verdictOf(describeHttpFailure(outcome.error)),
        ),
      );
    } catch (error) {
      if (error instanceof CancelledError || error instanceof GoogleError) throw error;
      const failure = describeHttpFailure(error);
      if (isRetryable(failure)) {
        throw giveUp(this.source, what, this.settings.rootUrl, failure, attempts);
      }
      throw apiError(this.source, this.settings, what, query, failure, error);
    }
  }

  /** One token request at a time: concurrent member-list workers share it. */
  private accessToken(): Promise<{ access_token: string; expiry_date: number }> {
    this.pendingToken ??= this.requestToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async requestToken(): Promise<{ access_token: string; expiry_date: number }> {
    const s = this.settings;
    const failureOf = (error: unknown): HttpFailure =>
      error instanceof TokenRefused ? error.failure : describeHttpFailure(error);
    let attempts = 0;
    try {
      return await retry(
        async (attempt) => {
          attempts = attempt.number;
          const assertion = signAssertion(
            {
              clientEmail: s.clientEmail,
              subject: s.adminUser,
              scopes: s.scopes,
              audience: s.tokenUri,
              nowSeconds: Math.floor(Date.now() / 1000),
            },
            s.key,
          );
          const response = await this.io.fetch(s.tokenUri, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
            },
            body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
            signal: attempt.signal,
          });
          const body = (await response.json().catch(() => ({}))) as {
            access_token?: unknown;
            expires_in?: unknown;
            error?: unknown;
            error_description?: unknown;
          };
          if (response.ok && typeof body.access_token === 'string') {
            const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600;
            return { access_token: body.access_token, expiry_date: Date.now() + lifetime * 1000 };
          }
          throw new TokenRefused({
            status: response.status,
            reason: typeof body.error === 'string' ? body.error : undefined,
            message:
              typeof body.error_description === 'string'
                ? body.error_description
                : `HTTP ${response.status}`,
            retryAfterMs: retryAfterMs(response.headers),
            networkCode: undefined,
          });
        },
        this.retryOptions(this.activeSignal, 'token', (outcome) =>
          outcome.ok ? { verdict: 'fail' } : verdictOf(failureOf(outcome.error)),
        ),
      );
    } catch (error) {
      if (error instanceof CancelledError) throw new CancelledError('Google Workspace sign-in');
      const failure = failureOf(error);
      if (error instanceof TokenRefused && !isRetryable(failure)) {
        throw tokenError(this.source, s, failure.status!, failure.reason, failure.message);
      }
      throw giveUp(this.source, 'token', s.tokenUri, failure, attempts);
    }
  }

  private retryOptions<T>(
    signal: AbortSignal | undefined,
    what: string,
    classify: Parameters<typeof retry<T>>[1]['classify'],
  ): Parameters<typeof retry<T>>[1] {
    return {
      policy: this.io.policy,
      signal,
      what: CANCELLED,
      classify,
      ...(this.io.timer ? { timer: this.io.timer } : {}),
      ...(this.io.random ? { random: this.io.random } : {}),
      onRetry: (event: RetryEvent) =>
        this.logger.warn(
          `Google answered ${event.reason} to ${what}; retrying in ${event.delayMs} ms.`,
          { source: this.source, call: what, ...event },
        ),
    };
  }
}
