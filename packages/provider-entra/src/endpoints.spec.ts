import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError, type EntraConfig } from '@bwdc/core';
import { resolveEndpoints } from './endpoints';

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
    expect(() =>
      resolveEndpoints(config({ identityAuthority: 'http://login.example.com' }), 't'),
    ).toThrow(ConfigValidationError);
    expect(() =>
      resolveEndpoints(config({ identityAuthority: 'http://login.example.com' }), 't'),
    ).toThrow(/entra\.identityAuthority/);
  });
});
