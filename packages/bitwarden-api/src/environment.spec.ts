import { ConfigValidationError } from '@bwdc/core';
import { isLoopbackHost, resolveEnvironmentUrls } from './environment';

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

  it('allows http:// for loopback hosts only', () => {
    expect(resolveEnvironmentUrls({ base: 'http://127.0.0.1:8087' }).identity).toBe(
      'http://127.0.0.1:8087/identity',
    );
    expect(resolveEnvironmentUrls({ base: 'http://localhost:8087' }).api).toBe(
      'http://localhost:8087/api',
    );
    expect(resolveEnvironmentUrls({ base: 'http://[::1]:8087' }).api).toBe('http://[::1]:8087/api');
  });

  it('refuses http:// for other hosts with CONFIG_INVALID naming the setting', () => {
    let error: unknown;
    try {
      resolveEnvironmentUrls({ base: 'http://bw.example.com', identity: 'ftp://x.example.com' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigValidationError).issues.map((i) => i.setting)).toEqual([
      'environmentUrls.base',
      'environmentUrls.identity',
    ]);
    expect((error as Error).message).toContain('http://, which is allowed only for loopback hosts');
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
