import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import {
  sambaGroupDn,
  sambaUserDn,
  startSambaAd,
  startSlapd,
  type DirectoryFixture,
  type RunningLdapServer,
  type RunningSambaServer,
} from '@bwdc/tools-ldap';
import { OFFICIAL_SYNC, accessTokenFrom, officialHash } from './testing/official-folder';
import { assertBuilt, runBwdc, tempDataDir } from './testing/run-bwdc';

// The official connector's own configurations, run through the built `bwdc` against real slapd
// and Samba AD DC servers and the Bitwarden emulator: data.json files in the official shape
// (state version 8, plaintext mode), and the LDAP filters of the official help pages.

interface OfficialDataJson {
  organizationId: string;
  apiKeyClientSecret: string;
  environmentUrls: { base: string | null };
  directoryLdap: Record<string, unknown>;
  sync: Record<string, unknown>;
}

function official(name: string): OfficialDataJson {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as OfficialDataJson;
}

/**
 * Writes an official data.json into a data folder. Only what depends on this machine is filled
 * in: the directory server's address and CA file, and the emulator's URL.
 */
function installOfficial(
  dataDir: string,
  document: OfficialDataJson,
  server: { hostname: string; port: number; caField: string; caPath: string },
  emulator: BitwardenEmulator,
): void {
  const filled = {
    ...document,
    environmentUrls: { ...document.environmentUrls, base: emulator.url },
    directoryLdap: {
      ...document.directoryLdap,
      hostname: server.hostname,
      port: server.port,
      [server.caField]: server.caPath,
    },
  };
  const file = join(dataDir, 'data.json');
  writeFileSync(file, JSON.stringify(filled, null, 2));
  chmodSync(file, 0o600);
}

interface TestOutput {
  enabledUsers: { externalId: string; displayName: string }[];
  disabledUsers: { displayName: string }[];
  deletedUsers: { externalId: string; displayName: string }[];
  groups: { displayName: string; userIds: string[] }[];
}

function cli(dataDir: () => string) {
  const run = (...args: string[]) =>
    runBwdc(args, {
      BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir(),
      BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
    });
  const ok = async (...args: string[]) => {
    const result = await run(...args);
    if (result.code !== 0)
      throw new Error(`bwdc ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result;
  };
  const test = async (): Promise<TestOutput & { stderr: string }> => {
    const result = await ok('test');
    return { ...(JSON.parse(result.stdout) as TestOutput), stderr: result.stderr };
  };
  /** The emails a test run lists as enabled or disabled, sorted. */
  const readEmails = async (): Promise<string[]> => {
    const t = await test();
    return [...t.enabledUsers, ...t.disabledUsers].map((u) => u.displayName).sort();
  };
  return { run, ok, test, readEmails };
}

function memberEmails(emulator: BitwardenEmulator): string[] {
  return emulator.org
    .members()
    .filter((m) => m.externalId !== null)
    .map((m) => m.email)
    .sort();
}

// ---- OpenLDAP ----

const BASE = 'dc=example,dc=com';
const ou = (dn: string, name: string) =>
  `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${name}\n`;
const person = (uid: string, parent: string, mail = true) =>
  `dn: uid=${uid},${parent}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\n${mail ? `mail: ${uid}@example.com\n` : ''}`;
const PEOPLE = `ou=people,${BASE}`;
const FLORIDA = `ou=Florida,${PEOPLE}`;
const CHICAGO = `ou=Chicago,${PEOPLE}`;
const groupEntry = (cn: string, members: string[], extra = '') =>
  `dn: cn=${cn},ou=groups,${BASE}\nobjectClass: groupOfNames\ncn: ${cn}\n${extra}${members.map((m) => `member: ${m}\n`).join('')}`;

/** People in OUs named as on the official help page, and groups the official data.json filters. */
const SLAPD_LDIF = [
  ou(PEOPLE, 'people'),
  ou(`ou=groups,${BASE}`, 'groups'),
  ou(FLORIDA, 'Florida'),
  ou(`ou=Miami,${FLORIDA}`, 'Miami'),
  ou(`ou=Orlando,${FLORIDA}`, 'Orlando'),
  ou(CHICAGO, 'Chicago'),
  ou(`ou=Wrigleyville,${CHICAGO}`, 'Wrigleyville'),
  person('ann', PEOPLE),
  person('nomail', PEOPLE, false),
  person('mia', `ou=Miami,${FLORIDA}`),
  person('oscar', `ou=Orlando,${FLORIDA}`),
  person('chloe', CHICAGO),
  person('wes', `ou=Wrigleyville,${CHICAGO}`),
  groupEntry('leads', [`uid=chloe,${CHICAGO}`]),
  groupEntry(
    'staff',
    [
      `uid=ann,${PEOPLE}`,
      `uid=mia,ou=Miami,${FLORIDA}`,
      `uid=oscar,ou=Orlando,${FLORIDA}`,
      `cn=leads,ou=groups,${BASE}`,
    ],
    'description: Staff team\n',
  ),
  groupEntry('alumni', [`uid=wes,ou=Wrigleyville,${CHICAGO}`]),
].join('\n');

const emailsOf = (...uids: string[]) => uids.map((u) => `${u}@example.com`).sort();

describe('an official OpenLDAP data.json, unchanged (slapd)', () => {
  const document = official('official-openldap.data.json');
  let server: RunningLdapServer;
  let emulator: BitwardenEmulator;
  let dataDir: string;
  const bwdc = cli(() => dataDir);

  beforeAll(async () => {
    assertBuilt();
    server = await startSlapd({ ldif: SLAPD_LDIF });
    emulator = await startBitwardenEmulator({
      seats: null,
      organizationId: document.organizationId,
      clientSecret: document.apiKeyClientSecret,
    });
    dataDir = tempDataDir('bwdc-official-openldap-');
    installOfficial(
      dataDir,
      document,
      { hostname: '127.0.0.1', port: server.port, caField: 'tlsCaPath', caPath: server.caCertPath },
      emulator,
    );
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('tests with its OR memberOf filter and group filter, over StartTLS', async () => {
    const plan = await bwdc.test();
    expect(plan.enabledUsers.map((u) => u.displayName).sort()).toEqual(
      emailsOf('ann', 'chloe', 'mia', 'oscar'),
    );
    const sizes = Object.fromEntries(plan.groups.map((g) => [g.displayName, g.userIds.length]));
    // staff holds ann, mia and oscar, and chloe through its nested group leads.
    expect(sizes).toEqual({ leads: 1, staff: 4 });
  });

  it('syncs into the organization', async () => {
    // The official two lines first, for scripts; then what the sync changed.
    const out = (await bwdc.ok('sync')).stdout;
    expect(out.startsWith('Syncing complete.\nSynced 2 group(s) and 4 user(s).\n')).toBe(true);
    expect(out).toContain('0 removed');
    expect(memberEmails(emulator)).toEqual(emailsOf('ann', 'chloe', 'mia', 'oscar'));
    const staff = emulator.org.groups().find((g) => g.name === 'staff')!;
    expect([...staff.memberEmails].sort()).toEqual(emailsOf('ann', 'chloe', 'mia', 'oscar'));
  });

  it.each([
    ['(mail=*)', emailsOf('ann', 'chloe', 'mia', 'oscar', 'wes')],
    ['(memberOf=cn=staff,ou=groups,dc=example,dc=com)', emailsOf('ann', 'mia', 'oscar')],
    ['(|(ou:dn:=Miami)(ou:dn:=Orlando))', emailsOf('mia', 'oscar')],
    ['(&(ou:dn:=Chicago)(!(ou:dn:=Wrigleyville)))', emailsOf('chloe')],
    ['(objectClass=person)(|(uid=a*)(uid=w*))', emailsOf('ann', 'wes')],
    ['exclude:wes@example.com|(|(ou:dn:=Chicago)(uid=ann))', emailsOf('ann', 'chloe')],
  ])('reads the users of the LDAP filter %s set with bwdc config', async (filter, expected) => {
    await bwdc.ok('config', 'sync.userFilter', filter);
    const plan = await bwdc.test();
    expect(plan.enabledUsers.map((u) => u.displayName).sort()).toEqual(expected);
    if (filter === '(mail=*)') expect(plan.stderr).not.toContain('nomail');
  });

  it('keeps the members of a nested group that an include: group filter leaves out', async () => {
    await bwdc.ok('config', 'sync.userFilter', 'null');
    await bwdc.ok('config', 'sync.groupFilter', 'include:staff');
    const plan = await bwdc.test();
    expect(plan.groups.map((g) => [g.displayName, g.userIds.length])).toEqual([['staff', 4]]);
    expect(plan.stderr).not.toMatch(/nested group\(s\) that were not read/);
  });

  it('refuses a broken LDAP filter when it is set, and before reading, in the same words', async () => {
    const broken = '(memberOf=cn=staff,ou=groups,dc=example,dc=com';
    // config checks it as the LDAP read will (issue 18): nothing is saved.
    const set = await bwdc.run('config', 'sync.userFilter', broken);
    expect(set.code).toBe(1);
    expect(set.stderr).toContain('sync.userFilter');
    expect(set.stderr).toContain('never closed');
    // Written by another program (the official app saves it unchecked), the run refuses it.
    const file = join(dataDir, 'data.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { sync: Record<string, unknown> };
    writeFileSync(file, JSON.stringify({ ...doc, sync: { ...doc.sync, userFilter: broken } }));
    const result = await bwdc.run('test');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(set.stderr.trim());
  });
});

// The official connector's own OpenLDAP test set-up (its integration tests' configuration):
// ad off, no paths, person and posixGroup classes, memberUid holding user DNs or plain uids,
// whenChanged as the revision attribute. Our own data in that shape: people with spaces in their
// DNs and OUs, an LDIF that writes "dc=corp, dc=example" with a space, and an empty group.
const CORP = 'dc=corp,dc=example';
const CORP_LDIF = [
  ou(`ou=Sales Team,${CORP}`, 'Sales Team'),
  ou(`ou=Support,${CORP}`, 'Support'),
  ...[
    ['Ann Lee', 'leea', 'Sales Team'],
    ['Bo Chen', 'chenb', 'Sales Team'],
    ['Cy Diaz', 'diazc', 'Support'],
    ['Di Egan', 'egand', 'Support'],
  ].map(
    ([cn, uid, unit]) =>
      `dn: cn=${cn},ou=${unit},dc=corp, dc=example\nobjectClass: inetOrgPerson\ncn: ${cn}\n` +
      `sn: ${cn!.split(' ')[1]}\nuid: ${uid}\nmail: ${uid}@corp.example\n`,
  ),
  `dn: cn=Red Team,${CORP}\nobjectClass: posixGroup\ncn: Red Team\ngidNumber: 600\n` +
    `memberUid: cn=Ann Lee,ou=Sales Team,${CORP}\nmemberUid: cn=Cy Diaz,ou=Support,${CORP}\n`,
  `dn: cn=Security Team,${CORP}\nobjectClass: posixGroup\ncn: Security Team\ngidNumber: 900\n` +
    `memberUid: chenb\nmemberUid: egand\n`,
  `dn: cn=Cleaners,ou=Support,${CORP}\nobjectClass: posixGroup\ncn: Cleaners\ngidNumber: 700\n`,
].join('\n');

describe("the official connector's own OpenLDAP test configuration (slapd, posixGroup by memberUid)", () => {
  let server: RunningLdapServer;
  let emulator: BitwardenEmulator;
  let dataDir: string;
  const bwdc = cli(() => dataDir);
  const dn = (cn: string, unit: string) => `cn=${cn},ou=${unit},${CORP}`;

  beforeAll(async () => {
    assertBuilt();
    server = await startSlapd({ ldif: CORP_LDIF, baseDn: CORP });
    emulator = await startBitwardenEmulator({ seats: null });
    dataDir = tempDataDir('bwdc-official-fixture-');
    const document = official('official-openldap.data.json');
    writeFileSync(
      join(dataDir, 'data.json'),
      JSON.stringify({
        ...document,
        organizationId: emulator.organizationId,
        entityId: emulator.organizationId,
        apiKeyClientId: `organization.${emulator.organizationId}`,
        apiKeyClientSecret: emulator.clientSecret,
        accessToken: await accessTokenFrom(emulator),
        environmentUrls: { base: emulator.url, api: null, identity: null, webVault: null },
        lastSyncHash: null,
        lastUserSync: null,
        lastGroupSync: null,
        sync: {
          ...OFFICIAL_SYNC,
          groupObjectClass: 'posixGroup',
          userObjectClass: 'person',
          groupPath: null,
          userPath: null,
          groupNameAttribute: 'cn',
          userEmailAttribute: 'mail',
          memberAttribute: 'memberUid',
          useEmailPrefixSuffix: false,
          emailPrefixAttribute: 'sAMAccountName',
          emailSuffix: null,
          creationDateAttribute: 'whenCreated',
          revisionDateAttribute: 'whenChanged',
        },
        directoryLdap: {
          ...document.directoryLdap,
          ssl: false,
          startTls: false,
          tlsCaPath: null,
          hostname: '127.0.0.1',
          port: server.port,
          rootPath: CORP,
          username: server.adminDn,
          password: server.adminPassword,
          ad: false,
          pagedSearch: false,
        },
      }),
      { mode: 0o600 },
    );
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads every person and each posixGroup by member DN or uid, the empty group too', async () => {
    const plan = await bwdc.test();
    expect(plan.enabledUsers.map((u) => [u.displayName, u.externalId])).toEqual([
      ['chenb@corp.example', dn('Bo Chen', 'Sales Team')],
      ['diazc@corp.example', dn('Cy Diaz', 'Support')],
      ['egand@corp.example', dn('Di Egan', 'Support')],
      ['leea@corp.example', dn('Ann Lee', 'Sales Team')],
    ]);
    const groups = Object.fromEntries(
      plan.groups.map((g) => [g.displayName, [...g.userIds].sort()]),
    );
    expect(groups).toEqual({
      Cleaners: [],
      'Red Team': [dn('Ann Lee', 'Sales Team'), dn('Cy Diaz', 'Support')].sort(),
      'Security Team': [dn('Bo Chen', 'Sales Team'), dn('Di Egan', 'Support')].sort(),
    });
  });

  it('syncs the people and the groups into the organization', async () => {
    await bwdc.ok('sync');
    expect(memberEmails(emulator)).toEqual(
      ['chenb', 'diazc', 'egand', 'leea'].map((u) => `${u}@corp.example`),
    );
    const members = (name: string) =>
      [...emulator.org.groups().find((g) => g.name === name)!.memberEmails].sort();
    expect(members('Red Team')).toEqual(['diazc@corp.example', 'leea@corp.example']);
    expect(members('Security Team')).toEqual(['chenb@corp.example', 'egand@corp.example']);
    expect(members('Cleaners')).toEqual([]);
  });
});

describe('LDAP defaults follow ldap.ad without overriding the admin (slapd)', () => {
  let server: RunningLdapServer;
  let emulator: BitwardenEmulator;
  let dataDir: string;
  const bwdc = cli(() => dataDir);

  beforeAll(async () => {
    assertBuilt();
    server = await startSlapd({ ldif: SLAPD_LDIF });
    emulator = await startBitwardenEmulator({ seats: null });
    dataDir = tempDataDir('bwdc-ldap-defaults-');
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const storedSync = () =>
    (JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8')) as { sync?: object }).sync ?? {};

  it('config directory ldap stores no class or attribute; after ldap.ad false the groups are found', async () => {
    await bwdc.ok('config', 'server', emulator.url);
    await bwdc.ok('config', 'directory', 'ldap');
    for (const [name, value] of [
      ['ldap.hostname', '127.0.0.1'],
      ['ldap.port', String(server.port)],
      ['ldap.rootPath', BASE],
      ['ldap.username', server.bindDn],
      ['ldap.password', server.bindPassword],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.userPath', 'ou=people'],
      ['sync.groupPath', 'ou=groups'],
    ]) {
      await bwdc.ok('config', name!, value!);
    }
    // ldap.ad is on by default, as in the official connector: nothing of AD was stored.
    expect((await bwdc.ok('config', 'ldap.ad')).stdout.trim()).toBe('true');
    for (const field of [
      'userObjectClass',
      'groupObjectClass',
      'groupNameAttribute',
      'revisionDateAttribute',
      'emailPrefixAttribute',
    ]) {
      expect(storedSync()).not.toHaveProperty(field);
    }
    await bwdc.ok('config', 'ldap.ad', 'false');
    await bwdc.ok('login', emulator.clientId, emulator.clientSecret);

    const plan = await bwdc.test();
    expect(plan.groups.map((g) => g.displayName).sort()).toEqual(['alumni', 'leads', 'staff']);
    expect(plan.enabledUsers).toHaveLength(6 - 1); // nomail has no email
    await bwdc.ok('sync');
    expect(
      emulator.org
        .groups()
        .map((g) => g.name)
        .sort(),
    ).toEqual(['alumni', 'leads', 'staff']);
  });

  it('keeps an attribute the admin set, whatever ldap.ad says', async () => {
    await bwdc.ok('config', 'sync.groupNameAttribute', 'description');
    await bwdc.ok('config', 'ldap.ad', 'true');
    await bwdc.ok('config', 'ldap.ad', 'false');
    expect((await bwdc.ok('config', 'sync.groupNameAttribute')).stdout.trim()).toBe('description');
    const plan = await bwdc.test();
    // Groups without a description fall back to cn, as upstream.
    expect(plan.groups.map((g) => g.displayName).sort()).toEqual(['Staff team', 'alumni', 'leads']);
  });
});

// ---- After an incremental official sync (slapd) ----

/** Before the official connector's last sync (the fixture's lastUserSync, 2026-11-20). */
const BEFORE_OFFICIAL = '20261101000000Z';
/** Entries as slapadd loads them, last changed before the official connector's last sync. */
const dated = (ldif: string) =>
  `${ldif}createTimestamp: ${BEFORE_OFFICIAL}\nmodifyTimestamp: ${BEFORE_OFFICIAL}\n`;
const STAFF_MEMBERS = ['ann', 'bob', 'erin'].map((u) => `uid=${u},${PEOPLE}`);
const INCREMENTAL_LDIF = [
  dated(ou(PEOPLE, 'people')),
  dated(ou(`ou=groups,${BASE}`, 'groups')),
  ...['ann', 'bob', 'erin'].map((u) => dated(person(u, PEOPLE))),
  dated(groupEntry('staff', STAFF_MEMBERS)),
].join('\n');
const PEOPLE_SYNC = { userFilter: null, groupFilter: null };

/**
 * The request the official connector posted last: its incremental read found bob changed, so it
 * sent bob and, as a user had changed, every group (reference §4). Its hash is the folder's.
 */
const LAST_PARTIAL_REQUEST = JSON.stringify({
  groups: [
    { name: 'staff', externalId: `cn=staff,ou=groups,${BASE}`, memberExternalIds: STAFF_MEMBERS },
  ],
  members: [{ email: 'bob@example.com', externalId: `uid=bob,${PEOPLE}`, deleted: false }],
  overwriteExisting: false,
  largeImport: false,
  inviteUsersAfterProvisioning: true,
});

describe('an official OpenLDAP data.json after an incremental official sync (slapd)', () => {
  let server: RunningLdapServer;
  let emulator: BitwardenEmulator;
  let dataDir: string;
  let ldifDir: string;
  const bwdc = cli(() => dataDir);
  const imports = () =>
    emulator.requests.filter((r) => r.path.endsWith('/organization/import')) as {
      body: unknown;
    }[];

  /** The official folder, its last sync incremental; erin was removed by hand in the web vault. */
  async function switchFromOfficial(revisionDateAttribute: string, lastRequest: string) {
    const document = official('official-openldap.data.json');
    emulator = await startBitwardenEmulator({
      seats: null,
      organizationId: document.organizationId,
      clientSecret: document.apiKeyClientSecret,
    });
    dataDir = tempDataDir('bwdc-official-incremental-');
    installOfficial(
      dataDir,
      {
        ...document,
        sync: { ...document.sync, ...PEOPLE_SYNC, revisionDateAttribute },
        lastSyncHash: officialHash(emulator.apiUrl, document.organizationId, lastRequest),
      } as OfficialDataJson,
      { hostname: '127.0.0.1', port: server.port, caField: 'tlsCaPath', caPath: server.caCertPath },
      emulator,
    );
    emulator.seed([
      { email: 'ann@example.com', externalId: `uid=ann,${PEOPLE}` },
      { email: 'bob@example.com', externalId: `uid=bob,${PEOPLE}` },
    ]);
    emulator.seedGroups([
      {
        name: 'staff',
        externalId: `cn=staff,ou=groups,${BASE}`,
        members: ['ann@example.com', 'bob@example.com'],
      },
    ]);
  }

  beforeAll(async () => {
    assertBuilt();
    ldifDir = tempDataDir('bwdc-official-incremental-ldif-');
    const bulkLdifFile = join(ldifDir, 'directory.ldif');
    writeFileSync(bulkLdifFile, INCREMENTAL_LDIF);
    server = await startSlapd({ bulkLdifFile });
  }, 120_000);

  afterAll(async () => {
    await emulator?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(ldifDir, { recursive: true, force: true });
  });

  it('reads only what changed since the official connector last synced: nothing, so nothing is sent', async () => {
    await switchFromOfficial('modifyTimestamp', LAST_PARTIAL_REQUEST);
    // test reads everything, erin included; test --last reads from the official times.
    expect((await bwdc.readEmails()).includes('erin@example.com')).toBe(true);
    const last = JSON.parse((await bwdc.ok('test', '--last')).stdout) as TestOutput;
    expect([...last.enabledUsers, ...last.groups]).toEqual([]);

    const first = await bwdc.ok('sync');
    expect(first.stdout).toBe('Syncing complete.\nSynced 0 group(s) and 0 user(s).\n');
    expect(imports()).toHaveLength(0);
    expect(emulator.org.member('erin@example.com')).toBeUndefined();
    expect(emulator.invites).toEqual([]);
    // bwdc reads from its own cursor from now on.
    const saved = JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8')) as {
      syncCursor?: string;
    };
    expect(JSON.parse(saved.syncCursor!)).toMatchObject({ attr: 'modifyTimestamp' });
  });

  it('sends a user changed in the directory since, and still not the one removed by hand', async () => {
    await server.modify(`dn: uid=ann,${PEOPLE}\nchangetype: modify\nreplace: title\ntitle: Lead\n`);
    await server.add(person('frank', PEOPLE));
    await bwdc.ok('sync');
    const sent = imports();
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { members: { email: string }[]; groups: unknown[] };
    expect(body.members.map((m) => m.email).sort()).toEqual(emailsOf('ann', 'frank'));
    expect(body.groups).toEqual([]);
    expect(emulator.org.member('frank@example.com')).toBeDefined();
    expect(emulator.org.member('erin@example.com')).toBeUndefined();
  });

  it("on the official connector's whenChanged bug, reads and sends everything once, and says so", async () => {
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
    // OpenLDAP has no whenChanged: the official incremental syncs found nothing, so its hash is
    // that of its first, full sync, and ann's and frank's changes never reached Bitwarden.
    const firstFull = JSON.stringify({
      groups: [
        {
          name: 'staff',
          externalId: `cn=staff,ou=groups,${BASE}`,
          memberExternalIds: STAFF_MEMBERS,
        },
      ],
      members: ['ann', 'bob', 'erin'].map((u) => ({
        email: `${u}@example.com`,
        externalId: `uid=${u},${PEOPLE}`,
        deleted: false,
      })),
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: true,
    });
    await switchFromOfficial('whenChanged', firstFull);
    const result = await bwdc.ok('sync');
    expect(result.stderr).toContain(
      "No entry has whenChanged (sync.revisionDateAttribute), so the official connector's incremental syncs found no changes; this first sync reads everything and sends every member once.",
    );
    expect(imports()).toHaveLength(1);
    expect(emulator.org.member('frank@example.com')).toBeDefined();
    // Everyone is sent once, so a member removed by hand is back: said in the README.
    expect(emulator.org.member('erin@example.com')).toBeDefined();
    // From now on bwdc reads changes by modifyTimestamp.
    const saved = JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8')) as {
      syncCursor?: string;
    };
    expect(JSON.parse(saved.syncCursor!)).toMatchObject({ attr: 'modifyTimestamp' });
  });
});

// ---- Active Directory ----

const AD_FIXTURE: DirectoryFixture = {
  // mail differs from the UPN (uid@bwtest.local), so the userPrincipalName hand edit shows.
  users: [
    { email: 'alice.smith@corp.example', uid: 'alice' },
    { email: 'bob.jones@corp.example', uid: 'bob' },
    { email: 'carol@corp.example', uid: 'carol', disabled: true },
    { email: 'dave@corp.example', uid: 'dave', withoutMail: true },
    { email: 'mia@corp.example', uid: 'mia.marketing' },
    { email: 'erin@corp.example', uid: 'erin', deleted: true },
  ],
  groups: [
    { name: 'Heroes', memberEmails: ['alice.smith@corp.example'], childGroups: ['sidekicks'] },
    { name: 'sidekicks', memberEmails: ['dave@corp.example'] },
    {
      name: 'engineering',
      memberEmails: ['alice.smith@corp.example', 'bob.jones@corp.example'],
      childGroups: ['platform'],
    },
    { name: 'platform', memberEmails: ['carol@corp.example'] },
    { name: 'marketing', memberEmails: ['mia@corp.example'] },
  ],
};
const upn = (...uids: string[]) => uids.map((u) => `${u}@bwtest.local`).sort();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('an official Active Directory data.json with userEmailAttribute: userPrincipalName, unchanged (Samba AD DC)', () => {
  const document = official('official-ad.data.json');
  let server: RunningSambaServer;
  let emulator: BitwardenEmulator;
  let dataDir: string;
  const bwdc = cli(() => dataDir);

  beforeAll(async () => {
    assertBuilt();
    server = await startSambaAd({ fixture: AD_FIXTURE });
    emulator = await startBitwardenEmulator({
      seats: null,
      organizationId: document.organizationId,
      clientSecret: document.apiKeyClientSecret,
    });
    dataDir = tempDataDir('bwdc-official-ad-');
    installOfficial(
      dataDir,
      document,
      {
        hostname: server.host,
        port: server.ldapsPort,
        caField: 'sslCaPath',
        caPath: server.caCertPath,
      },
      emulator,
    );
  }, 300_000);

  afterAll(async () => {
    await emulator?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('tests with the UPN as the email, its disabled-user filter, and the tombstone', async () => {
    const plan = await bwdc.test();
    // dave has no mail but a UPN; carol is disabled, so the filter leaves her out.
    expect(plan.enabledUsers.map((u) => u.displayName).sort()).toEqual(
      upn('alice', 'bob', 'dave', 'mia.marketing'),
    );
    for (const user of plan.enabledUsers) expect(user.externalId).toMatch(GUID);
    expect(plan.disabledUsers).toEqual([]);
    // erin's tombstone keeps no UPN or mail: listed by its DN, sent as deleted by objectGUID.
    expect(plan.deletedUsers).toEqual([
      { externalId: expect.stringMatching(GUID), displayName: expect.stringMatching(/^CN=erin/) },
    ]);
  });

  it('syncs the UPNs into the organization', async () => {
    // The official two lines first, for scripts; then what the sync changed.
    const out = (await bwdc.ok('sync')).stdout;
    expect(out.startsWith('Syncing complete.\nSynced 5 group(s) and 5 user(s).\n')).toBe(true);
    expect(out).toContain('0 removed');
    expect(memberEmails(emulator)).toEqual(upn('alice', 'bob', 'dave', 'mia.marketing'));
    const heroes = emulator.org.groups().find((g) => g.name === 'Heroes')!;
    expect([...heroes.memberEmails].sort()).toEqual(upn('alice', 'dave'));
  });

  it.each([
    [`(memberOf=${sambaGroupDn('engineering')})`, upn('alice', 'bob')],
    [
      '(!(userAccountControl:1.2.840.113556.1.4.803:=2))',
      upn('alice', 'bob', 'dave', 'mia.marketing'),
    ],
    [
      `(|(memberOf=${sambaGroupDn('engineering')})(memberOf=${sambaGroupDn('marketing')}))`,
      upn('alice', 'bob', 'mia.marketing'),
    ],
    ['(mail=*)', upn('alice', 'bob', 'carol', 'mia.marketing')],
    ['(&(objectClass=user)(cn=*Marketing*))', upn('mia.marketing')],
    [
      `(&(objectCategory=Person)(sAMAccountName=*)(memberOf=${sambaGroupDn('Heroes')}))`,
      upn('alice'),
    ],
    [
      `(&(objectCategory=Person)(sAMAccountName=*)(memberOf:1.2.840.113556.1.4.1941:=${sambaGroupDn('Heroes')}))`,
      upn('alice', 'dave'),
    ],
  ])('reads the users of the AD filter %s set with bwdc config', async (filter, expected) => {
    await bwdc.ok('config', 'sync.userFilter', filter);
    expect(await bwdc.readEmails()).toEqual(expected);
  });

  it('syncs with the nested-membership filter', async () => {
    await bwdc.ok(
      'config',
      'sync.userFilter',
      `(&(objectCategory=Person)(sAMAccountName=*)(memberOf:1.2.840.113556.1.4.1941:=${sambaGroupDn('Heroes')}))`,
    );
    await bwdc.ok('config', 'sync.groupFilter', '(|(cn=Heroes)(cn=sidekicks))');
    await bwdc.ok('sync');
    const heroes = emulator.org.groups().find((g) => g.name === 'Heroes')!;
    expect([...heroes.memberEmails].sort()).toEqual(upn('alice', 'dave'));
  });

  it('takes access away from a user the official connector synced and AD then deleted', async () => {
    await bwdc.ok('config', 'sync.userFilter', 'null');
    await bwdc.ok('config', 'sync.groupFilter', 'null');
    const dn = sambaUserDn('frank');
    await server.add(
      `dn: ${dn}\nobjectClass: user\nsAMAccountName: frank\nuserPrincipalName: frank@bwtest.local\nmail: frank@corp.example\nuserAccountControl: 544\n`,
    );
    // What the official connector left in the organization when frank still existed.
    const guid = await server.objectGuid(dn);
    emulator.seed([{ email: 'frank@bwtest.local', externalId: guid }]);
    expect(memberEmails(emulator)).toContain('frank@bwtest.local');

    await server.delete(dn);
    const plan = await bwdc.test();
    expect(plan.deletedUsers.map((u) => u.displayName)).toEqual([
      expect.stringMatching(/^CN=erin/),
      expect.stringMatching(/^CN=frank/),
    ]);
    await bwdc.ok('sync');
    expect(memberEmails(emulator)).not.toContain('frank@bwtest.local');
    expect(memberEmails(emulator)).toEqual(upn('alice', 'bob', 'dave', 'mia.marketing'));
    // The request named frank by objectGUID, with a placeholder email under .invalid that no
    // server matches to a person (a sync after the first reads changes only, so erin's older
    // tombstone is not sent again).
    const last = emulator.requests.filter((r) => r.path.endsWith('/organization/import')).pop()!;
    const members = (last.body as { members: Record<string, unknown>[] }).members;
    expect(members.filter((m) => m.deleted === true)).toEqual([
      {
        email: expect.stringMatching(/^[0-9a-f]{32}@tombstone\.invalid$/),
        externalId: guid,
        deleted: true,
      },
    ]);
    expect(
      members.filter((m) => m.deleted !== true).every((m) => typeof m.email === 'string'),
    ).toBe(true);
  });

  it('after an incremental official sync, reads only what changed since it, by whenChanged', async () => {
    // The official connector's last sync started just after the directory's last change, by a
    // clock 5 minutes ahead of the DC's; bwdc starts its first read 5 minutes before the official
    // time, so it reads from the DC's "now" on and misses no change.
    const margin = 5 * 60_000;
    // bwdc's own cursor, after its first sync, starts a second before that sync (whenChanged has
    // whole seconds): the change the test before made (frank's deletion) must be older than that,
    // or its tombstone is rightly read again.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const readFrom = Date.now() + 2000;
    const lastSync = new Date(readFrom + margin).toISOString();
    const bw = await startBitwardenEmulator({
      seats: null,
      organizationId: document.organizationId,
      clientSecret: document.apiKeyClientSecret,
    });
    const folder = tempDataDir('bwdc-official-ad-incremental-');
    const own = cli(() => folder);
    try {
      installOfficial(
        folder,
        { ...document, lastUserSync: lastSync, lastGroupSync: lastSync } as OfficialDataJson,
        {
          hostname: server.host,
          port: server.ldapsPort,
          caField: 'sslCaPath',
          caPath: server.caCertPath,
        },
        bw,
      );
      // The organization as the official connector left it; dave was removed by hand since.
      const people = ['alice', 'bob', 'mia.marketing'];
      bw.seed(
        await Promise.all(
          people.map(async (uid) => ({
            email: `${uid}@bwtest.local`,
            externalId: await server.objectGuid(sambaUserDn(uid)),
          })),
        ),
      );
      const first = await own.ok('sync');
      expect(first.stdout).toBe('Syncing complete.\nSynced 0 group(s) and 0 user(s).\n');
      const posted = () => bw.requests.filter((r) => r.path.endsWith('/organization/import'));
      expect(posted()).toHaveLength(0);
      expect(bw.org.member('dave@bwtest.local')).toBeUndefined();

      // whenChanged has whole seconds: change bob once the read's start is past.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, readFrom + 1500 - Date.now())),
      );
      await server.modify(
        `dn: ${sambaUserDn('bob')}\nchangetype: modify\nreplace: description\ndescription: moved teams\n`,
      );
      await own.ok('sync');
      expect(posted()).toHaveLength(1);
      const body = posted()[0]!.body as { members: { email: string }[]; groups: unknown[] };
      expect(body.members.map((m) => m.email)).toEqual(['bob@bwtest.local']);
      expect(body.groups).toEqual([]);
      expect(bw.org.member('dave@bwtest.local')).toBeUndefined();
    } finally {
      await bw.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
