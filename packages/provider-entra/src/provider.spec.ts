import { describe, expect, it } from '@jest/globals';
import { entraConfigSchema, syncConfigSchema, type Logger } from '@bwdc/core';
import { EntraDirectoryProvider } from './index';

/**
 * Unit tests through the `io.fetch` seam: a scripted Graph that misbehaves in ways the emulator
 * does not, to check what the provider refuses to do.
 */

const SECRET = 'super-secret-value-123';
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.sig';

function scripted(pages: Record<string, unknown>): {
  fetch: typeof fetch;
  seen: { url: string; auth?: string }[];
} {
  const seen: { url: string; auth?: string }[] = [];
  const fake = async (input: unknown, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push({ url, auth: headers.Authorization });
    if (url.endsWith('/oauth2/v2.0/token')) {
      return Response.json({ token_type: 'Bearer', expires_in: 3599, access_token: TOKEN });
    }
    const path = new URL(url).pathname;
    const body = pages[path];
    return body === undefined
      ? Response.json({ error: { code: 'BadRequest', message: 'no' } }, { status: 400 })
      : Response.json(body);
  };
  return { fetch: fake as typeof fetch, seen };
}

function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return {
    logger: {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
    lines,
  };
}

function provider(io: { fetch: typeof fetch }, logger: Logger): EntraDirectoryProvider {
  return new EntraDirectoryProvider(
    entraConfigSchema.parse({ tenant: 'contoso.com', applicationId: 'app', key: SECRET }),
    syncConfigSchema.parse({ users: true }),
    logger,
    io,
  );
}

describe('EntraDirectoryProvider (scripted Graph)', () => {
  it('refuses to follow a next link to another server, and never sends it the token', async () => {
    const graph = scripted({
      '/v1.0/users/delta': {
        value: [],
        '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x',
      },
      '/v1.0/users': {
        value: [],
        '@odata.nextLink': 'https://attacker.example/v1.0/users?$skiptoken=1',
      },
    });
    const { logger } = capturingLogger();
    await expect(
      provider(graph, logger).fetch({ users: true, groups: false, mode: 'full' }),
    ).rejects.toThrow(
      /link to another server \(https:\/\/attacker\.example\); refusing to follow it/,
    );
    expect(graph.seen.some((r) => r.url.includes('attacker.example'))).toBe(false);
  });

  it('puts the token only on Graph requests and never logs the secret or the token', async () => {
    const graph = scripted({
      '/v1.0/users/delta': {
        value: [],
        '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x',
      },
      '/v1.0/users': {
        value: [
          {
            id: 'u1',
            mail: null,
            userPrincipalName: 'guest_gmail.com#EXT#@contoso.onmicrosoft.com',
            accountEnabled: true,
          },
          {
            id: 'u2',
            mail: 'Bob@Contoso.com',
            userPrincipalName: 'bob@contoso.onmicrosoft.com',
            accountEnabled: false,
          },
        ],
      },
    });
    const { logger, lines } = capturingLogger();
    const snapshot = await provider(graph, logger).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users).toEqual([
      { externalId: 'u1', referenceId: 'u1', email: undefined, disabled: false, deleted: false },
      {
        externalId: 'u2',
        referenceId: 'u2',
        email: 'bob@contoso.com',
        disabled: true,
        deleted: false,
      },
    ]);
    expect(snapshot.warnings.join('\n')).toMatch(/u1 .* not an email address/);
    const tokenRequest = graph.seen.find((r) => r.url.endsWith('/oauth2/v2.0/token'))!;
    expect(tokenRequest.auth).toBeUndefined();
    expect(
      graph.seen
        .filter((r) => r.url.startsWith('https://graph.microsoft.com/'))
        .every((r) => r.auth === `Bearer ${TOKEN}`),
    ).toBe(true);
    const logged = lines.join('\n');
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(TOKEN);
  });

  it('uses the public cloud by default', async () => {
    const graph = scripted({ '/v1.0/users': { value: [] } });
    await provider(graph, capturingLogger().logger).verify();
    expect(graph.seen.map((r) => r.url)).toEqual([
      'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token',
      'https://graph.microsoft.com/v1.0/users?$select=id&$top=1',
    ]);
  });
});
