import { ConfigValidationError } from '@bwdc/core';
import { isLoopbackHost, plainHttpWarnings, resolveEnvironmentUrls } from './environment';

describe('resolveEnvironmentUrls', () => {
  it('defaults to cloud US', () => {
    expect(resolveEnvironmentUrls()).toEqual({
      api: 'https://api.bitwarden.com',
      identity: 'https://identity.bitwarden.com',
      webVault: 'https://vault.bitwarden.com',
    });
    expect(resolveEnvironmentUrls({ base: '  ', api: '' })).toEqual(resolveEnvironmentUrls());
  });

  it('resolves cloud EU', () => {
    expect(resolveEnvironmentUrls({ region: 'eu' })).toEqual({
      api: 'https://api.bitwarden.eu',
      identity: 'https://identity.bitwarden.eu',
      webVault: 'https://vault.bitwarden.eu',
    });
  });

  it('derives {base}/api and {base}/identity from a self-hosted base URL, keeping its path', () => {
    expect(resolveEnvironmentUrls({ base: 'https://bw.example.com/vault/', region: 'eu' })).toEqual(
      {
        api: 'https://bw.example.com/vault/api',
        identity: 'https://bw.example.com/vault/identity',
        webVault: 'https://bw.example.com/vault',
      },
    );
  });

  it('lets explicit api, identity and webVault override the base or cloud URLs', () => {
    expect(
      resolveEnvironmentUrls({
        base: 'https://bw.example.com',
        api: 'https://api.example.com//',
        identity: 'id.example.com',
      }),
    ).toEqual({
      api: 'https://api.example.com',
      identity: 'https://id.example.com',
      webVault: 'https://bw.example.com',
    });
    expect(resolveEnvironmentUrls({ webVault: 'https://vault.example.com' }).api).toBe(
      'https://api.bitwarden.com',
    );
  });

  it('adds https:// when the scheme is missing and strips trailing slashes', () => {
    expect(resolveEnvironmentUrls({ base: 'bw.example.com:8443///' }).api).toBe(
      'https://bw.example.com:8443/api',
    );
  });

  it('accepts http:// on loopback hosts without a warning', () => {
    const loopback = resolveEnvironmentUrls({ base: 'http://127.0.0.1:8087' });
    expect(loopback.identity).toBe('http://127.0.0.1:8087/identity');
    expect(plainHttpWarnings(loopback)).toEqual([]);
    expect(resolveEnvironmentUrls({ base: 'http://localhost:8087' }).api).toBe(
      'http://localhost:8087/api',
    );
    expect(resolveEnvironmentUrls({ base: 'http://[::1]:8087' }).api).toBe('http://[::1]:8087/api');
    expect(plainHttpWarnings(resolveEnvironmentUrls({ base: 'https://bw.example.com' }))).toEqual(
      [],
    );
  });

  // The official connector accepts any http:// server; bwdc does too, and warns.
  it('accepts http:// for other hosts and names each such URL for a warning', () => {
    const urls = resolveEnvironmentUrls({
      base: 'http://bw.example.com',
      identity: 'https://id.example.com',
    });
    expect(urls).toEqual({
      api: 'http://bw.example.com/api',
      identity: 'https://id.example.com',
      webVault: 'http://bw.example.com',
    });
    const warnings = plainHttpWarnings(urls);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('The Bitwarden server http://bw.example.com uses plain http://');
    expect(warnings[0]).toContain('Use https://');
  });

  it('keeps https:// the default when no scheme is given', () => {
    expect(resolveEnvironmentUrls({ base: 'bw.example.com' }).api).toBe(
      'https://bw.example.com/api',
    );
  });

  it('refuses another scheme with CONFIG_INVALID naming the setting', () => {
    let error: unknown;
    try {
      resolveEnvironmentUrls({ base: 'ftp://bw.example.com', identity: 'gopher://x.example.com' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigValidationError).issues.map((i) => i.setting)).toEqual([
      'environmentUrls.base',
      'environmentUrls.identity',
    ]);
    expect((error as Error).message).toContain('must be an https:// URL, not ftp:');
  });

  it('refuses URLs that are not URLs or carry credentials or a query', () => {
    expect(() => resolveEnvironmentUrls({ api: 'https://exa mple.com' })).toThrow(
      'environmentUrls.api',
    );
    expect(() => resolveEnvironmentUrls({ api: 'https://user:pw@example.com' })).toThrow(
      'credentials',
    );
    expect(() => resolveEnvironmentUrls({ api: 'https://example.com/?x=1' })).toThrow('query');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['api.localhost', true],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
