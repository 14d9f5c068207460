import {
  CancelledError,
  describeNetworkError,
  httpVerdict,
  retry,
  type Logger,
  type RetryPolicy,
  type Timer,
} from '@bwdc/core';
import { EntraError } from './errors';
import type { EntraEndpoints } from './settings';

/** Renew this long before expiry, so a token never runs out in the middle of a page. */
const RENEW_BEFORE_MS = 2 * 60 * 1000;

/**
 * The OAuth 2.0 client-credentials grant against the Microsoft identity platform v2.0 token
 * endpoint, with the token cached until shortly before it expires. A plain form POST is all the
 * grant needs, which is why this is not MSAL: MSAL would add authority discovery requests and a
 * token cache of its own for no gain in a daemon that holds one app identity.
 */
export class ClientCredentialsToken {
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly endpoints: EntraEndpoints,
    private readonly tenant: string,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly fetchFn: typeof fetch,
    private readonly logger: Logger,
    private readonly resilience: { readonly policy: RetryPolicy; readonly timer?: Timer },
  ) {}

  async get(signal?: AbortSignal): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    // Concurrent callers share one token request.
    this.pending ??= this.request(signal).finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forget the cached token, after Graph said it is no longer valid. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** The token request, retried as Graph calls are: 429 and 5xx after Retry-After, network failures, timeouts. */
  private async request(signal?: AbortSignal): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.clientId,
      client_secret: this.clientSecret,
      grant_type: 'client_credentials',
      scope: this.endpoints.scope,
    });
    let answer: { status: number; ok: boolean; payload: TokenResponse };
    try {
      answer = await retry(
        async (attempt) => {
          const response = await this.fetchFn(this.endpoints.tokenUrl, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/x-www-form-urlencoded',
              Accept: 'application/json',
            },
            body: body.toString(),
            signal: attempt.signal,
          });
          const payload = (await response.json().catch(() => ({}))) as TokenResponse;
          return { status: response.status, ok: response.ok, headers: response.headers, payload };
        },
        {
          policy: this.resilience.policy,
          signal,
          what: 'Entra sign-in',
          timer: this.resilience.timer,
          classify: (outcome) => httpVerdict(outcome),
          onRetry: (event) =>
            this.logger.warn('The Entra token endpoint failed; retrying', {
              authority: this.endpoints.authority,
              ...event,
            }),
        },
      );
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw new EntraError(
        'DIRECTORY_UNREACHABLE',
        this.endpoints.authority,
        `cannot reach the token endpoint: ${describeNetworkError(error).detail}`,
        {
          cause: error,
          actions: ['Check entra.identityAuthority and the network path (proxy, firewall) to it.'],
        },
      );
    }
    const { status, ok, payload } = answer;
    if (!ok || typeof payload.access_token !== 'string') throw this.explain(status, payload);
    const lifetimeMs = Number(payload.expires_in ?? 3599) * 1000;
    this.cached = {
      token: payload.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - RENEW_BEFORE_MS, lifetimeMs / 2),
    };
    this.logger.debug('Entra access token acquired', {
      authority: this.endpoints.authority,
      expiresInSeconds: payload.expires_in,
    });
    return payload.access_token;
  }

  /** Turns the identity platform's AADSTS error codes into what the admin should change. */
  private explain(status: number, payload: TokenResponse): EntraError {
    const code = payload.error_codes?.[0];
    const summary = (payload.error_description ?? payload.error ?? `HTTP ${status}`)
      .split(/\r?\n| Trace ID:/)[0]!
      .trim();
    const source = this.endpoints.authority;
    const fail = (message: string, action: string): EntraError =>
      new EntraError('DIRECTORY_AUTH_FAILED', source, `${message} (${summary})`, {
        actions: [action],
      });
    switch (code) {
      case 90002:
        return fail(
          `tenant "${this.tenant}" (entra.tenant) was not found`,
          'Set entra.tenant to the directory (tenant) ID or a verified domain of the tenant, and check entra.identityAuthority is the cloud the tenant lives in.',
        );
      case 700016:
        return fail(
          `application "${this.clientId}" (entra.applicationId) is not registered in tenant "${this.tenant}"`,
          'Set entra.applicationId to the Application (client) ID of an app registration in this tenant.',
        );
      case 7000215:
      case 7000216:
        return fail(
          'the client secret (entra.key) was rejected',
          "Set entra.key to the secret's Value (not its Secret ID) from the app registration's Certificates & secrets page.",
        );
      case 7000222:
        return fail(
          'the client secret (entra.key) has expired',
          'Create a new client secret for the app registration and set entra.key to its Value.',
        );
      case 500011:
        return fail(
          `Microsoft Graph (${this.endpoints.graphUrl}) is not known to this tenant`,
          'Check entra.graphUrl and entra.identityAuthority belong to the same cloud.',
        );
      default:
        return fail(
          `the token request failed with HTTP ${status}`,
          'Check entra.tenant, entra.applicationId and entra.key.',
        );
    }
  }
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number | string;
  error?: string;
  error_description?: string;
  error_codes?: number[];
}
