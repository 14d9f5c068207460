import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, silentLogger, type DirectoryUser } from '@bwdc/core';
import { describeProviderContract, viewOfSnapshot } from '@bwdc/directory-provider';
import {
  contractFixture,
  generateLdif,
  startSlapd,
  type RunningLdapServer,
} from '@bwdc/tools-ldap';
import { LdapDirectoryProvider, LdapError } from './index';

const fixture = contractFixture('ldap');
const BASE = 'dc=example,dc=com';
let server: RunningLdapServer;

beforeAll(async () => {
  // A size limit below the fixture's user count: unpaged reads fail, paged reads must not.
  server = await startSlapd({ ldif: generateLdif(fixture, BASE), sizeLimit: 3 });
}, 60_000);
afterAll(async () => server?.stop());

function provider(
  ldap: Record<string, unknown> = {},
  sync: Record<string, unknown> = {},
): LdapDirectoryProvider {
  const url = new URL(server.url);
  return new LdapDirectoryProvider(
    parseConfig('ldap', {
      hostname: url.hostname,
      port: Number(url.port),
      rootPath: BASE,
      ad: false,
      username: server.bindDn,
      password: server.bindPassword,
      pageSize: 2,
      ...ldap,
    }),
    parseConfig('sync', {
      users: true,
      groups: true,
      userPath: 'ou=people',
      groupPath: 'ou=groups',
      ...sync,
    }),
    silentLogger,
  );
}

const user = (email: string): string =>
  `uid=${email.split('@')[0]!.toLowerCase()},ou=people,${BASE}`;

describeProviderContract({
  name: 'ldap (OpenLDAP slapd)',
  runner: { describe, it, expect },
  // The posixGroup needs its own settings (groupObjectClass/memberAttribute); tested below.
  fixture: { ...fixture, groups: fixture.groups.filter((g) => !g.posix) },
  createProvider: (overrides) =>
    provider({}, { userFilter: overrides?.userFilter, groupFilter: overrides?.groupFilter }),
  // The LDAP filter runs on the server; an include/exclude list is the sync engine's to apply
  // (apps/cli's ldap.integration.spec.ts runs both through bwdc), so the provider returns all.
  filterCases: [
    {
      userFilter: 'exclude:bob@example.com',
      expectUserEmails: [
        'alice@example.com',
        'bob@example.com',
        'carol@example.com',
        'dave@example.com',
        'erin.upper@example.com',
      ],
    },
    {
      userFilter: '(|(uid=alice)(uid=dave))',
      expectUserEmails: ['alice@example.com', 'dave@example.com'],
    },
    {
      userFilter: 'include:alice@example.com,carol@example.com|(uid=a*)',
      expectUserEmails: ['alice@example.com'],
    },
    {
      userFilter: '(&(objectClass=inetOrgPerson)(mail=*)(!(uid=e*)))',
      expectUserEmails: [
        'alice@example.com',
        'bob@example.com',
        'carol@example.com',
        'dave@example.com',
      ],
    },
    { groupFilter: '(|(cn=sales)(cn=platform))', expectGroupNames: ['platform', 'sales'] },
    { groupFilter: 'include:sales', expectGroupNames: ['engineering', 'platform', 'sales'] },
  ],
  incremental: {
    apply: () =>
      server.modify(`dn: ${user('dave')}\nchangetype: modify\nreplace: sn\nsn: Changed\n`),
    expectChangedEmails: ['dave@example.com'],
  },
});

async function failure(promise: Promise<unknown>): Promise<LdapError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LdapError) return error;
    throw error;
  }
  throw new Error('expected an LdapError');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ldap provider on slapd', () => {
  it('reads posixGroup membership by memberUid', async () => {
    const snapshot = await provider(
      {},
      { groupObjectClass: 'posixGroup', memberAttribute: 'memberUid' },
    ).fetch({
      users: true,
      groups: true,
      mode: 'full',
    });
    expect(viewOfSnapshot(snapshot).groups).toEqual({
      ops: { memberEmails: ['alice@example.com', 'erin.upper@example.com'], childGroups: [] },
    });
  });

  it('reads groupOfUniqueNames membership by uniqueMember', async () => {
    const dn = `cn=auditors,ou=groups,${BASE}`;
    await server.add(
      `dn: ${dn}\nobjectClass: groupOfUniqueNames\ncn: auditors\nuniqueMember: ${user('bob')}\nuniqueMember: ${user('carol')}#'0101'B\n`,
    );
    try {
      const snapshot = await provider(
        {},
        { groupObjectClass: 'groupOfUniqueNames', memberAttribute: 'uniqueMember' },
      ).fetch({
        users: true,
        groups: true,
        mode: 'full',
      });
      expect(viewOfSnapshot(snapshot).groups).toEqual({
        auditors: { memberEmails: ['bob@example.com', 'carol@example.com'], childGroups: [] },
      });
    } finally {
      await server.delete(dn);
    }
  });

  it('uses the DN as externalId, or ldap.userIdAttribute (entryUUID) when set', async () => {
    const byDn = await provider().fetch({ users: true, groups: false, mode: 'full' });
    expect(byDn.users?.find((u) => u.email === 'alice@example.com')?.externalId).toBe(
      user('alice'),
    );
    const byUuid = await provider({ userIdAttribute: 'entryUUID' }).fetch({
      users: true,
      groups: true,
      mode: 'full',
    });
    const alice = byUuid.users?.find((u) => u.email === 'alice@example.com') as DirectoryUser;
    expect(alice.externalId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(byUuid.groups?.find((g) => g.name === 'engineering')?.userMemberExternalIds).toContain(
      alice.externalId,
    );
  });

  it('reads over ldaps with a private CA', async () => {
    const snapshot = await provider({
      ssl: true,
      port: new URL(server.ldapsUrl).port,
      sslCaPath: server.caCertPath,
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users).toHaveLength(5);
  });

  it('reads over StartTLS with ldap.tlsCaPath', async () => {
    const snapshot = await provider({
      ssl: true,
      startTls: true,
      tlsCaPath: server.caCertPath,
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users).toHaveLength(5);
  });

  it('rejects an untrusted certificate, and accepts it only with sslAllowUnauthorized', async () => {
    const ldapsPort = new URL(server.ldapsUrl).port;
    const error = await failure(provider({ ssl: true, port: ldapsPort }).verify());
    expect(error.reason).toBe('tls');
    expect(error.code).toBe('DIRECTORY_UNREACHABLE');
    expect(error.message).toContain(server.ldapsUrl);
    expect(error.message).toContain('not trusted');
    await provider({ ssl: true, port: ldapsPort, sslAllowUnauthorized: true }).verify();
  });

  it('checks the certificate against the configured hostname, also for StartTLS', async () => {
    // 127.1 reaches 127.0.0.1, but the certificate names only localhost and 127.0.0.1.
    const error = await failure(
      provider({
        hostname: '127.1',
        ssl: true,
        startTls: true,
        tlsCaPath: server.caCertPath,
      }).verify(),
    );
    expect(error.reason).toBe('tls');
    expect(error.message).toContain('does not name the host');
    await provider({
      hostname: 'localhost',
      ssl: true,
      startTls: true,
      tlsCaPath: server.caCertPath,
    }).verify();
  });

  it('says when the password is wrong', async () => {
    const error = await failure(
      provider({ password: 'not-the-Password-42' }).fetch({
        users: true,
        groups: true,
        mode: 'full',
      }),
    );
    expect(error.code).toBe('DIRECTORY_AUTH_FAILED');
    expect(error.reason).toBe('bind-rejected');
    expect(error.message).toContain(server.url);
    expect(error.message).toContain(server.bindDn);
    expect(error.message).not.toContain('not-the-Password-42');
  });

  it('says when nothing listens on the port', async () => {
    const error = await failure(provider({ port: 1 }).verify());
    expect(error.code).toBe('DIRECTORY_UNREACHABLE');
    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain('127.0.0.1:1');
  });

  it('says when a TLS file cannot be read', async () => {
    const error = await failure(provider({ ssl: true, sslCaPath: '/nonexistent/ca.pem' }).verify());
    expect(error.reason).toBe('file');
    expect(error.message).toContain('ldap.sslCaPath');
  });

  it('says when the search base does not exist', async () => {
    const error = await failure(provider({}, { userPath: 'ou=nobody' }).verify());
    expect(error.reason).toBe('no-such-base');
    expect(error.message).toContain(`ou=nobody,${BASE}`);
    const read = await failure(
      provider({}, { groupPath: 'ou=nogroups' }).fetch({
        users: false,
        groups: true,
        mode: 'full',
      }),
    );
    expect(read.reason).toBe('no-such-base');
  });

  it('hits the server size limit without paging, and reads everything with paging', async () => {
    const error = await failure(
      provider({ pagedSearch: false }).fetch({ users: true, groups: false, mode: 'full' }),
    );
    expect(error.reason).toBe('size-limit');
    expect(error.message).toContain('ldap.pagedSearch');
    const pages: number[] = [];
    const snapshot = await provider({ pageSize: 2 }).fetch({
      users: true,
      groups: false,
      mode: 'full',
      onProgress: (p) => pages.push(p.done),
    });
    expect(snapshot.users).toHaveLength(5);
    expect(pages).toEqual([2, 4, 5]);
  });

  it('reports an invalid LDAP filter by setting', async () => {
    const error = await failure(
      provider({}, { userFilter: '(uid=alice' }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      }),
    );
    expect(error.reason).toBe('invalid-filter');
    expect(error.message).toContain('sync.userFilter');
  });

  it('warns about group members that are neither users nor groups', async () => {
    await server.add(
      `dn: cn=ghosts,ou=groups,${BASE}\nobjectClass: groupOfNames\ncn: ghosts\nmember: uid=ghost,ou=elsewhere,${BASE}\nmember: ${user('alice')}\n`,
    );
    try {
      const snapshot = await provider().fetch({ users: false, groups: true, mode: 'full' });
      expect(snapshot.groups?.find((g) => g.name === 'ghosts')?.userMemberExternalIds).toEqual([
        user('alice'),
      ]);
      expect(snapshot.warnings.join('\n')).toContain(`uid=ghost,ou=elsewhere,${BASE}`);
    } finally {
      await server.delete(`cn=ghosts,ou=groups,${BASE}`);
    }
  });

  it('reads incrementally only what changed, users and groups each from their own time', async () => {
    const p = provider();
    // Timestamps have whole seconds and the cursor starts a second early: keep the fixture's
    // own creation, and the full read, out of the window of the next read.
    await sleep(2100);
    const full = await p.fetch({ users: true, groups: true, mode: 'full' });
    expect(JSON.parse(full.cursor!)).toMatchObject({ attr: 'modifyTimestamp' });
    await sleep(2100);
    const none = await p.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });
    expect(none.complete).toBe(false);
    expect(none.users).toEqual([]);
    expect(none.groups).toEqual([]);

    await server.modify(
      `dn: ${user('carol')}\nchangetype: modify\nreplace: sn\nsn: Changed again\n`,
    );
    await server.modify(
      `dn: cn=sales,ou=groups,${BASE}\nchangetype: modify\nadd: member\nmember: ${user('bob')}\n`,
    );
    try {
      const delta = await p.fetch({
        users: true,
        groups: true,
        mode: 'incremental',
        cursor: none.cursor,
      });
      expect(delta.users?.map((u) => u.email)).toEqual(['carol@example.com']);
      expect(viewOfSnapshot({ ...delta, users: full.users }).groups).toEqual({
        sales: { memberEmails: ['bob@example.com', 'dave@example.com'], childGroups: [] },
      });
      // A users-only read keeps the groups' time, so group changes are not lost.
      const usersOnly = await p.fetch({
        users: true,
        groups: false,
        mode: 'incremental',
        cursor: full.cursor,
      });
      expect(JSON.parse(usersOnly.cursor!).groups).toBe(JSON.parse(full.cursor!).groups);
    } finally {
      await server.modify(
        `dn: cn=sales,ou=groups,${BASE}\nchangetype: modify\ndelete: member\nmember: ${user('bob')}\n`,
      );
    }
  });

  it('falls back to modifyTimestamp when the revision attribute is whenChanged (not in OpenLDAP)', async () => {
    const p = provider({}, { revisionDateAttribute: 'whenChanged' });
    await sleep(2100);
    const full = await p.fetch({ users: true, groups: false, mode: 'full' });
    expect(JSON.parse(full.cursor!).attr).toBe('modifyTimestamp');
    expect(full.warnings.join('\n')).toContain('modifyTimestamp');
    await sleep(2100);
    await server.modify(`dn: ${user('bob')}\nchangetype: modify\nreplace: sn\nsn: Bob changed\n`);
    const delta = await p.fetch({
      users: true,
      groups: false,
      mode: 'incremental',
      cursor: full.cursor,
    });
    expect(delta.users?.map((u) => u.email)).toEqual(['bob@example.com']);
  });

  it('does a full read when asked for an incremental read without a usable cursor', async () => {
    const snapshot = await provider().fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: 'garbage',
    });
    expect(snapshot.complete).toBe(true);
    expect(snapshot.users).toHaveLength(5);
  });
});

describe('ldap provider with client certificates', () => {
  let strict: RunningLdapServer;
  beforeAll(async () => {
    strict = await startSlapd({ ldif: generateLdif(fixture, BASE), requireClientCert: true });
  }, 60_000);
  afterAll(async () => strict?.stop());

  const strictProvider = (ldap: Record<string, unknown>): LdapDirectoryProvider =>
    new LdapDirectoryProvider(
      parseConfig('ldap', {
        hostname: '127.0.0.1',
        port: strict.ldapsPort,
        ssl: true,
        sslCaPath: strict.caCertPath,
        rootPath: BASE,
        ad: false,
        username: strict.bindDn,
        password: strict.bindPassword,
        ...ldap,
      }),
      parseConfig('sync', { users: true, userPath: 'ou=people' }),
      silentLogger,
    );

  it('presents ldap.sslCertPath/sslKeyPath and fails clearly without them', async () => {
    const error = await failure(
      strictProvider({}).fetch({ users: true, groups: false, mode: 'full' }),
    );
    expect(error.code).toBe('DIRECTORY_UNREACHABLE');
    expect(error.message).toContain('client certificate');
    const snapshot = await strictProvider({
      sslCertPath: strict.pki.clientCertPath,
      sslKeyPath: strict.pki.clientKeyPath,
    }).fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users).toHaveLength(5);
  });
});
