import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, silentLogger } from '@bwdc/core';
import { describeProviderContract, viewOfSnapshot } from '@bwdc/directory-provider';
import {
  contractFixture,
  sambaGroupDn,
  sambaUserDn,
  startSambaAd,
  type RunningSambaServer,
} from '@bwdc/tools-ldap';
import { Client } from 'ldapts';
import { LdapDirectoryProvider, LdapError } from './index';
import { guidToString } from './values';

const fixture = contractFixture('ad');
let server: RunningSambaServer;

beforeAll(async () => {
  server = await startSambaAd({ fixture });
}, 300_000);
afterAll(async () => server?.stop());

function provider(
  ldap: Record<string, unknown> = {},
  sync: Record<string, unknown> = {},
): LdapDirectoryProvider {
  return new LdapDirectoryProvider(
    parseConfig('ldap', {
      hostname: server.host,
      port: server.port,
      rootPath: server.domainDn,
      ad: true,
      username: server.bindDn,
      password: server.bindPassword,
      pageSize: 2,
      ...ldap,
    }),
    parseConfig('sync', {
      users: true,
      groups: true,
      userPath: 'OU=People,OU=bwdc',
      groupPath: 'OU=Groups,OU=bwdc',
      // Tombstones keep sAMAccountName but lose mail: AD's prefix/suffix setting gives them an email.
      useEmailPrefixSuffix: true,
      emailSuffix: '@bwtest.local',
      ...sync,
    }),
    silentLogger,
  );
}

describeProviderContract({
  name: 'ldap (Samba AD DC)',
  runner: { describe, it, expect },
  fixture,
  createProvider: (overrides) =>
    provider({}, { userFilter: overrides?.userFilter, groupFilter: overrides?.groupFilter }),
  // The LDAP filter runs on the server; an include/exclude list is the sync engine's to apply.
  // Tombstones come from their own search, which no user filter narrows (as upstream).
  filterCases: [
    {
      userFilter: '(!(userAccountControl:1.2.840.113556.1.4.803:=2))',
      expectUserEmails: [
        'alice@bwtest.local',
        'bob@bwtest.local',
        'dave@bwtest.local',
        'erin@bwtest.local',
      ],
    },
    {
      userFilter: `(memberOf:1.2.840.113556.1.4.1941:=${sambaGroupDn('engineering')})`,
      expectUserEmails: [
        'alice@bwtest.local',
        'bob@bwtest.local',
        'carol@bwtest.local',
        'erin@bwtest.local',
      ],
    },
    {
      userFilter: 'exclude:bob@bwtest.local',
      expectUserEmails: [
        'alice@bwtest.local',
        'bob@bwtest.local',
        'carol@bwtest.local',
        'dave@bwtest.local',
        'erin@bwtest.local',
      ],
    },
    { groupFilter: '(cn=sales)', expectGroupNames: ['sales'] },
  ],
  incremental: {
    apply: () =>
      server.modify(
        `dn: ${sambaUserDn('dave')}\nchangetype: modify\nreplace: description\ndescription: changed\n`,
      ),
    expectChangedEmails: ['dave@bwtest.local'],
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

describe('ldap provider on Samba AD', () => {
  it("uses objectGUID in the official connector's string form as externalId", async () => {
    const client = new Client({ url: server.url });
    let guid: Buffer;
    try {
      await client.bind(server.bindDn, server.bindPassword);
      const { searchEntries } = await client.search(sambaUserDn('alice'), {
        scope: 'base',
        attributes: ['objectGUID'],
        explicitBufferAttributes: ['objectGUID'],
      });
      guid = searchEntries[0]!.objectGUID as Buffer;
    } finally {
      await client.unbind();
    }
    const snapshot = await provider().fetch({ users: true, groups: true, mode: 'full' });
    const alice = snapshot.users!.find((u) => u.email === 'alice@bwtest.local')!;
    expect(alice.externalId).toBe(guidToString(guid));
    expect(alice.referenceId).toBe(sambaUserDn('alice'));
    expect(snapshot.groups!.find((g) => g.name === 'engineering')!.externalId).toMatch(
      /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
    );
  });

  it('marks disabled users from userAccountControl and reads deleted users from Deleted Objects', async () => {
    const users = (await provider().fetch({ users: true, groups: false, mode: 'full' })).users!;
    const flags = Object.fromEntries(users.map((u) => [u.email, [u.disabled, u.deleted]]));
    expect(flags).toEqual({
      'alice@bwtest.local': [false, false],
      'bob@bwtest.local': [false, false],
      'carol@bwtest.local': [true, false],
      'dave@bwtest.local': [false, false],
      'erin@bwtest.local': [false, true],
    });
  });

  it('ignores tombstones of users deleted outside the user path', async () => {
    const users = (
      await provider({}, { userPath: 'OU=Groups,OU=bwdc' }).fetch({
        users: true,
        groups: false,
        mode: 'full',
      })
    ).users!;
    expect(users).toEqual([]);
  });

  it('reads over ldaps and StartTLS with the private CA', async () => {
    for (const ldap of [
      { ssl: true, port: server.ldapsPort, sslCaPath: server.caCertPath },
      { ssl: true, startTls: true, tlsCaPath: server.caCertPath },
    ]) {
      const snapshot = await provider(ldap).fetch({ users: true, groups: true, mode: 'full' });
      expect(Object.keys(viewOfSnapshot(snapshot).groups).sort()).toEqual([
        'engineering',
        'platform',
        'sales',
      ]);
    }
  });

  it('says when the password is wrong', async () => {
    const error = await failure(provider({ password: 'Not-The-Password-1' }).verify());
    expect(error.reason).toBe('bind-rejected');
    expect(error.message).toContain(server.url);
  });

  it('reads a deletion incrementally as a deleted user', async () => {
    await server.add(
      `dn: ${sambaUserDn('frank')}\nobjectClass: user\nsAMAccountName: frank\nmail: frank@bwtest.local\nuserAccountControl: 544\n`,
    );
    await server.modify(
      `dn: ${sambaGroupDn('sales')}\nchangetype: modify\nadd: member\nmember: ${sambaUserDn('frank')}\n`,
    );
    await new Promise((r) => setTimeout(r, 2100));
    const p = provider();
    const full = await p.fetch({ users: true, groups: true, mode: 'full' });
    const frank = full.users!.find((u) => u.email === 'frank@bwtest.local')!;
    expect(frank.deleted).toBe(false);
    await new Promise((r) => setTimeout(r, 2100));
    await server.delete(sambaUserDn('frank'));
    const delta = await p.fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: full.cursor,
    });
    // The same externalId (objectGUID survives deletion), so the member is matched and removed.
    expect(delta.users).toEqual([
      { ...frank, deleted: true, referenceId: expect.stringContaining('CN=Deleted Objects') },
    ]);
    // Samba drops the member link without touching the group's whenChanged: no group changed.
    expect(delta.groups).toEqual([]);
  });
});
