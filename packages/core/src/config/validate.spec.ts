import { ConfigValidationError } from '../errors';
import { DirectoryType } from '../model';
import { parseConfig, parseDirectoryConfig } from './validate';

function issuesOf(fn: () => unknown): { setting: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('parseConfig defaults (the official connector’s)', () => {
  it('fills LDAP defaults', () => {
    const ldap = parseConfig('ldap', {});
    expect(ldap).toMatchObject({
      port: 389,
      ssl: false,
      startTls: false,
      ad: true,
      pagedSearch: true,
      sslAllowUnauthorized: false,
    });
    expect(ldap.hostname).toBeUndefined();
  });

  it('fills sync defaults, with removeMissingUsers on and a 25 % removal guard', () => {
    const sync = parseConfig('sync', {});
    expect(sync).toMatchObject({
      users: false,
      groups: false,
      removeDisabled: false,
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
      useEmailPrefixSuffix: false,
      removeMissingUsers: true,
      maxRemovalShare: 0.25,
    });
  });

  it('treats null and blank text as unset, as data.json written by the official app has nulls', () => {
    const ldap = parseConfig('ldap', { hostname: null, rootPath: '   ', username: 'cn=admin' });
    expect(ldap.hostname).toBeUndefined();
    expect(ldap.rootPath).toBeUndefined();
    expect(ldap.username).toBe('cn=admin');
  });

  it('defaults OneLogin to the us region', () => {
    expect(parseConfig('onelogin', {}).region).toBe('us');
  });

  it('accepts a numeric port written as text', () => {
    expect(parseConfig('ldap', { port: '636' }).port).toBe(636);
  });
});

describe('sync.interval', () => {
  it.each([
    [undefined, undefined],
    [null, undefined],
    [0, undefined],
    [-3, undefined],
    [1, 5],
    [4.9, 5],
    [15, 15],
  ])('%p becomes %p', (input, expected) => {
    expect(parseConfig('sync', { interval: input }).interval).toBe(expected);
  });
});

describe('validation errors name the setting and what is allowed', () => {
  it('rejects a port out of range', () => {
    expect(issuesOf(() => parseConfig('ldap', { port: 70000 }))).toEqual([
      { setting: 'ldap.port', message: 'must be at most 65535' },
    ]);
  });

  it('rejects a non-boolean flag', () => {
    expect(issuesOf(() => parseConfig('ldap', { ssl: 'yes' }))).toEqual([
      { setting: 'ldap.ssl', message: 'must be true or false' },
    ]);
  });

  it('rejects an unknown region and lists the allowed ones', () => {
    expect(issuesOf(() => parseConfig('onelogin', { region: 'asia' }))).toEqual([
      { setting: 'onelogin.region', message: 'must be one of "us", "eu"' },
    ]);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(() => parseConfig('sync', { users: 'true', maxRemovalShare: 2 }));
    expect(issues.map((i) => i.setting).sort()).toEqual(['sync.maxRemovalShare', 'sync.users']);
  });

  it('puts every issue into the error message', () => {
    expect(() => parseConfig('ldap', { port: 0 })).toThrow('ldap.port: must be at least 1');
  });

  it('refuses http:// URLs for non-loopback hosts', () => {
    expect(issuesOf(() => parseConfig('okta', { orgUrl: 'http://example.okta.com' }))).toEqual([
      {
        setting: 'okta.orgUrl',
        message:
          '"http://example.okta.com" uses http://, which is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https://',
      },
    ]);
  });

  it('rejects a URL with another scheme', () => {
    expect(
      issuesOf(() => parseConfig('entra', { graphUrl: 'ftp://graph.example' }))[0]!.setting,
    ).toBe('entra.graphUrl');
  });
});

describe('URL settings', () => {
  it('accepts http:// on loopback, for emulators', () => {
    expect(parseConfig('okta', { orgUrl: 'http://127.0.0.1:8080/' }).orgUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(parseConfig('gsuite', { rootUrl: 'http://localhost:9000' }).rootUrl).toBe(
      'http://localhost:9000',
    );
    expect(parseConfig('onelogin', { apiUrl: 'http://[::1]:81' }).apiUrl).toBe('http://[::1]:81');
  });

  it('adds https:// when the scheme is missing and strips trailing slashes', () => {
    expect(parseConfig('okta', { orgUrl: 'example.okta.com/' }).orgUrl).toBe(
      'https://example.okta.com',
    );
  });
});

describe('parseDirectoryConfig', () => {
  it('validates the section of the given type and tags the result', () => {
    const parsed = parseDirectoryConfig(DirectoryType.Okta, {
      orgUrl: 'https://x.okta.com',
      token: 't0ken',
    });
    expect(parsed.type).toBe(DirectoryType.Okta);
    expect(parsed.config).toMatchObject({ orgUrl: 'https://x.okta.com', token: 't0ken' });
  });

  it('names the section of the type in errors', () => {
    expect(issuesOf(() => parseDirectoryConfig(DirectoryType.Ldap, { port: -1 }))[0]!.setting).toBe(
      'ldap.port',
    );
  });
});
