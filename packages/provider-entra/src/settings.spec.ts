import { describe, expect, it } from '@jest/globals';
import type { EntraConfig } from '@bwdc/core';
import { EntraError } from './errors';
import { resolveEndpoints, resolveSettings } from './settings';

const config = (c: Partial<EntraConfig>): EntraConfig => ({ id: undefined, ...c }) as EntraConfig;

describe('Entra endpoints', () => {
  it('defaults to the public cloud', () => {
    expect(resolveEndpoints(config({}), 'contoso.com')).toEqual({
      tokenUrl: 'https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token',
      authority: 'https://login.microsoftonline.com',
      graphUrl: 'https://graph.microsoft.com',
      scope: 'https://graph.microsoft.com/.default',
    });
  });

  it('pairs the US Government authority, given as a host as upstream stores it, with its Graph', () => {
    const e = resolveEndpoints(config({ identityAuthority: 'login.microsoftonline.us' }), 't');
    expect(e.tokenUrl).toBe('https://login.microsoftonline.us/t/oauth2/v2.0/token');
    expect(e.scope).toBe('https://graph.microsoft.us/.default');
  });

  it('pairs the China authority with its Graph', () => {
    expect(
      resolveEndpoints(config({ identityAuthority: 'https://login.chinacloudapi.cn/' }), 't')
        .graphUrl,
    ).toBe('https://microsoftgraph.chinacloudapi.cn');
  });

  it('takes entra.graphUrl over the cloud default', () => {
    const e = resolveEndpoints(
      config({ identityAuthority: 'http://127.0.0.1:8080', graphUrl: 'http://127.0.0.1:8080/' }),
      't',
    );
    expect(e).toMatchObject({
      tokenUrl: 'http://127.0.0.1:8080/t/oauth2/v2.0/token',
      scope: 'http://127.0.0.1:8080/.default',
    });
  });

  it('refuses a plain http authority off loopback, naming the setting', () => {
    // A setting problem is DIRECTORY_NOT_CONFIGURED, as in every other provider.
    expect(() =>
      resolveEndpoints(config({ identityAuthority: 'http://login.example.com' }), 't'),
    ).toThrow(EntraError);
    expect(() =>
      resolveEndpoints(config({ identityAuthority: 'http://login.example.com' }), 't'),
    ).toThrow(expect.objectContaining({ code: 'DIRECTORY_NOT_CONFIGURED' }));
    expect(() =>
      resolveEndpoints(config({ identityAuthority: 'http://login.example.com' }), 't'),
    ).toThrow(/entra\.identityAuthority/);
  });

  it('names every missing setting with DIRECTORY_NOT_CONFIGURED, like every other provider', () => {
    let error: unknown;
    try {
      resolveSettings(config({ tenant: 'contoso.com', applicationId: ' ' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EntraError);
    expect(error).toMatchObject({
      code: 'DIRECTORY_NOT_CONFIGURED',
      source: 'Entra ID contoso.com',
    });
    expect((error as EntraError).message).toMatch(
      /entra\.applicationId: is required.*\n.*entra\.key: is required/,
    );
  });
});
