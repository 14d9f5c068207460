import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { startEntraEmulator, type EntraEmulator } from '@bwdc/emulator-entra';
import { startGoogleEmulator, type GoogleEmulator } from '@bwdc/emulator-google';
import { startOktaEmulator, type OktaEmulator } from '@bwdc/emulator-okta';
import { startOneLoginEmulator, type OneLoginEmulator } from '@bwdc/emulator-onelogin';
import { accessTokenFrom, writeOfficialFolder } from './testing/official-folder';
import { assertBuilt, runBwdc, tempDataDir } from './testing/run-bwdc';
import { startSecretService, type SecretServiceSession } from './testing/secret-service';

// An admin switches from the official connector: its state-version-8 data.json (written here by
// hand in its shape, plaintext mode) is used as it stands. `bwdc test` and `bwdc sync` run from
// it; the first sync sends nothing when the directory is as the official connector last sent it
// (so a member an admin removed by hand in the web vault is not invited again), and sends when
// the directory changed. The official connector's last request is written out by hand from its
// rules (entries in read order, each group's own members before its nested groups' members).

let bw: BitwardenEmulator;
let dataDir: string;
const env = () => ({
  BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
  BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
});
const bwdc = (...args: string[]) => runBwdc(args, env());
const imports = () =>
  bw.requests.filter((r) => r.path.endsWith('/public/organization/import')).length;
const dataJson = () =>
  JSON.parse(readFileSync(join(dataDir, 'data.json'), 'utf8')) as Record<string, unknown>;
const member = (email: string, externalId: string) => ({
  email: email.toLowerCase(),
  externalId,
  deleted: false,
});

beforeAll(() => assertBuilt());

beforeEach(async () => {
  bw = await startBitwardenEmulator({ seats: null });
  dataDir = tempDataDir('bwdc-switch-');
});

afterEach(async () => {
  await bw.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The organization as the official connector's syncs left it, less `removedByHand`. */
function seedOrganization(
  members: readonly { email: string; externalId: string }[],
  groups: readonly { name: string; externalId: string; members: readonly string[] }[],
  removedByHand: string,
): void {
  bw.seed(
    members
      .filter((m) => m.email !== removedByHand)
      .map((m) => ({ email: m.email, externalId: m.externalId })),
  );
  bw.seedGroups(
    groups.map((g) => ({
      name: g.name,
      externalId: g.externalId,
      members: g.members.filter((e) => e !== removedByHand),
    })),
  );
}

/** `bwdc test` and the zero-churn first sync, then a sync after a directory change. */
async function switchAndSync(
  removedByHand: string,
  change: () => void,
  added: string,
): Promise<void> {
  const before = dataJson();
  const test = await bwdc('test');
  expect(test.code).toBe(0);
  const plan = JSON.parse(test.stdout) as { enabledUsers: { displayName: string }[] };
  expect(plan.enabledUsers.map((u) => u.displayName)).toContain(removedByHand);

  const first = await bwdc('sync');
  expect(first).toMatchObject({
    code: 0,
    stdout: 'Syncing complete.\nSynced 0 group(s) and 0 user(s).\n',
  });
  expect(imports()).toBe(0);
  expect(bw.org.member(removedByHand)).toBeUndefined();
  expect(bw.invites).toEqual([]);

  const after = dataJson();
  // bwdc keeps its own hash from now on (laid out its way, so not the official one), and keeps
  // what the official connector reads: its delta tokens, the login, the secret in its section.
  expect(after.lastSyncHash).not.toBe(before.lastSyncHash);
  for (const key of ['userDeltaToken', 'groupDeltaToken', 'accessToken', 'apiKeyClientSecret'])
    expect(after[key]).toBe(before[key]);
  expect(after.stateVersion).toBe(9);

  change();
  const second = await bwdc('sync');
  expect(second.code).toBe(0);
  expect(imports()).toBe(1);
  expect(bw.org.member(added)).toBeDefined();
}

describe('switching from the official connector: Entra ID', () => {
  let entra: EntraEmulator;
  afterEach(async () => entra.stop());

  const id = (n: number, kind: 'a' | 'b') => `${kind}0000000-0000-4000-8000-00000000000${n}`;
  const users = [
    { id: id(1, 'a'), mail: 'alice@contoso.example', userPrincipalName: 'alice@contoso.example' },
    { id: id(2, 'a'), mail: 'Bob@Contoso.example', userPrincipalName: 'bob@contoso.example' },
    {
      id: id(3, 'a'),
      mail: 'carol@contoso.example',
      userPrincipalName: 'carol@contoso.example',
      accountEnabled: false,
    },
    { id: id(4, 'a'), mail: null, userPrincipalName: 'dave@contoso.example' },
    { id: id(5, 'a'), mail: 'erin@contoso.example', userPrincipalName: 'erin@contoso.example' },
  ];
  const [alice, bob, carol, dave, erin] = users.map((u) => u.id);
  const groups = [
    { id: id(1, 'b'), displayName: 'Engineering', members: [erin!, id(2, 'b')] },
    { id: id(2, 'b'), displayName: 'Ops', members: [bob!, carol!] },
    { id: id(3, 'b'), displayName: 'Everyone', members: [erin!, dave!, alice!] },
  ];
  // Graph lists users, groups and members by id; Engineering has its own member, then Ops' (ours
  // would be sorted: bob, carol, erin).
  const lastRequest = JSON.stringify({
    groups: [
      { name: 'Engineering', externalId: id(1, 'b'), memberExternalIds: [erin, bob, carol] },
      { name: 'Ops', externalId: id(2, 'b'), memberExternalIds: [bob, carol] },
      { name: 'Everyone', externalId: id(3, 'b'), memberExternalIds: [alice, dave, erin] },
    ],
    members: [
      member('alice@contoso.example', alice!),
      member('bob@contoso.example', bob!),
      member('carol@contoso.example', carol!),
      member('dave@contoso.example', dave!),
      member('erin@contoso.example', erin!),
    ],
    overwriteExisting: false,
    largeImport: false,
    inviteUsersAfterProvisioning: false,
  });

  beforeEach(async () => {
    entra = await startEntraEmulator({ https: false, users, groups });
    await writeOfficialFolder(dataDir, bw, {
      directoryType: 1,
      sectionKey: 'directoryEntra',
      section: {
        id: 'c3d2a1b0-0000-4000-8000-0000000000e1',
        identityAuthority: entra.authorityUrl,
        tenant: entra.tenant,
        applicationId: entra.clientId,
        key: entra.clientSecret,
        // Ours: where Graph is (the emulator); the official connector derives it.
        graphUrl: entra.graphUrl,
      },
      lastRequestJson: lastRequest,
      plaintext: true,
    });
    const emails = users.map((u) => ({
      email: (u.mail ?? u.userPrincipalName).toLowerCase(),
      externalId: u.id,
    }));
    seedOrganization(
      emails,
      groups.map((g) => ({
        name: g.displayName,
        externalId: g.id,
        members: emails.filter((e) => g.members.includes(e.externalId)).map((e) => e.email),
      })),
      'erin@contoso.example',
    );
  });

  it('runs test and sync from the official data.json; the first sync sends nothing', async () => {
    await switchAndSync(
      'erin@contoso.example',
      () =>
        entra.directory.addUser({
          id: id(6, 'a'),
          mail: 'frank@contoso.example',
          userPrincipalName: 'frank@contoso.example',
        }),
      'frank@contoso.example',
    );
  }, 60_000);

  it('sends on the first sync when the directory changed since the official connector last sent it', async () => {
    entra.directory.updateUser(dave!, { accountEnabled: false });
    entra.directory.removeMember(id(2, 'b'), carol!);
    const first = await bwdc('sync');
    expect(first.code).toBe(0);
    expect(imports()).toBe(1);
  }, 60_000);
});

describe('switching from the official connector: Google Workspace', () => {
  let google: GoogleEmulator;
  afterEach(async () => google.stop());

  it('runs test and sync from the official data.json; the first sync sends nothing', async () => {
    google = await startGoogleEmulator({ domain: 'example.com' });
    const d = google.directory;
    const admin = d.findUser(google.adminUser)!;
    const alice = d.addUser({ primaryEmail: 'Alice@Example.com' });
    const bob = d.addUser({ primaryEmail: 'bob@example.com' });
    const erin = d.addUser({ primaryEmail: 'erin@example.com' });
    const gone = d.addUser({ primaryEmail: 'gone@example.com' });
    d.deleteUser(gone.id);
    const staff = d.addGroup({ email: 'staff@example.com', name: 'Staff' });
    const leads = d.addGroup({ email: 'leads@example.com', name: 'Leads' });
    d.addMember(staff.id, { user: erin.id });
    d.addMember(staff.id, { group: leads.id });
    d.addMember(leads.id, { user: bob.id });
    d.addMember(leads.id, { user: alice.id });
    // Users as listed, then deleted ones (a second query); Staff's own member, then Leads'.
    const lastRequest = JSON.stringify({
      groups: [
        { name: 'Staff', externalId: staff.id, memberExternalIds: [erin.id, bob.id, alice.id] },
        { name: 'Leads', externalId: leads.id, memberExternalIds: [bob.id, alice.id] },
      ],
      members: [
        member(admin.primaryEmail, admin.id),
        member('alice@example.com', alice.id),
        member('bob@example.com', bob.id),
        member('erin@example.com', erin.id),
        { email: 'gone@example.com', externalId: gone.id, deleted: true },
      ],
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
    });
    await writeOfficialFolder(dataDir, bw, {
      directoryType: 2,
      sectionKey: 'directoryGsuite',
      section: {
        id: 'c3d2a1b0-0000-4000-8000-0000000000g1',
        clientEmail: google.serviceAccount.clientEmail,
        privateKey: google.serviceAccount.privateKey,
        domain: google.domain,
        adminUser: google.adminUser,
        customer: google.customer,
        // Ours: where the emulator's token endpoint and Admin SDK are.
        tokenUri: google.tokenUri,
        rootUrl: google.rootUrl,
      },
      lastRequestJson: lastRequest,
      plaintext: true,
    });
    const people = [admin, alice, bob, erin].map((u) => ({
      email: u.primaryEmail.toLowerCase(),
      externalId: u.id,
    }));
    seedOrganization(
      people,
      [
        { name: 'Staff', externalId: staff.id, members: people.slice(1).map((p) => p.email) },
        { name: 'Leads', externalId: leads.id, members: ['alice@example.com', 'bob@example.com'] },
      ],
      'erin@example.com',
    );
    await switchAndSync(
      'erin@example.com',
      () => void d.addUser({ primaryEmail: 'frank@example.com' }),
      'frank@example.com',
    );
  }, 60_000);
});

describe('switching from the official connector: Okta, secrets in the OS keychain', () => {
  let okta: OktaEmulator;
  let keychain: SecretServiceSession;
  const keychainEnv = () => ({ BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir, ...keychain.env });
  beforeEach(async () => {
    okta = await startOktaEmulator({ tls: false });
    keychain = await startSecretService();
  });
  afterEach(async () => {
    await okta.stop();
    await keychain.stop();
  });

  it('reads the official keychain entries, and the first sync sends nothing', async () => {
    const d = okta.directory;
    const alice = d.addUser({ email: 'alice@example.com' });
    const bob = d.addUser({ email: 'Bob@Example.com', status: 'SUSPENDED' });
    const erin = d.addUser({ email: 'erin@example.com' });
    const gone = d.addUser({ email: 'gone@example.com', status: 'DEPROVISIONED' });
    const staff = d.addGroup({ name: 'Staff' });
    const leads = d.addGroup({ name: 'Leads' });
    d.addMember(staff.id, erin.id);
    d.addMember(staff.id, alice.id);
    d.addMember(leads.id, bob.id);
    // The official reader asks for deprovisioned users in a second query at the same time as
    // the others; here its answer came first.
    const lastRequest = JSON.stringify({
      groups: [
        { name: 'Staff', externalId: staff.id, memberExternalIds: [alice.id, erin.id] },
        { name: 'Leads', externalId: leads.id, memberExternalIds: [bob.id] },
      ],
      members: [
        { email: 'gone@example.com', externalId: gone.id, deleted: true },
        member('alice@example.com', alice.id),
        member('bob@example.com', bob.id),
        member('erin@example.com', erin.id),
      ],
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
    });
    const configId = '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091';
    await writeOfficialFolder(dataDir, bw, {
      directoryType: 3,
      sectionKey: 'directoryOkta',
      section: { id: configId, orgUrl: okta.orgUrl, token: '[STORED SECURELY]' },
      lastRequestJson: lastRequest,
      plaintext: false,
    });
    // What the official connector keeps in the keychain after its login and configuration.
    await keychain.set(`secretOkta:${configId}`, okta.token);
    await keychain.set('accessToken', await accessTokenFrom(bw));
    await keychain.set('apiKeyClientId', bw.clientId);
    await keychain.set('apiKeyClientSecret', bw.clientSecret);
    const people = [alice, bob, erin].map((u) => ({
      email: u.profile.email!.toLowerCase(),
      externalId: u.id,
    }));
    seedOrganization(
      people,
      [
        { name: 'Staff', externalId: staff.id, members: ['alice@example.com', 'erin@example.com'] },
        { name: 'Leads', externalId: leads.id, members: ['bob@example.com'] },
      ],
      'erin@example.com',
    );

    const test = await runBwdc(['test'], keychainEnv());
    expect(test.code).toBe(0);
    expect(JSON.parse(test.stdout)).toMatchObject({
      disabledUsers: [{ displayName: 'bob@example.com' }],
      deletedUsers: [{ displayName: 'gone@example.com' }],
    });
    expect(await runBwdc(['sync'], keychainEnv())).toMatchObject({
      code: 0,
      stdout: 'Syncing complete.\nSynced 0 group(s) and 0 user(s).\n',
    });
    expect(imports()).toBe(0);
    expect(bw.org.member('erin@example.com')).toBeUndefined();
    // The official entries are where the official connector reads them, and data.json holds no secret.
    expect(await keychain.get(`secretOkta:${configId}`)).toBe(okta.token);
    expect(await keychain.get('apiKeyClientSecret')).toBe(bw.clientSecret);
    expect(await keychain.get('accessToken')).not.toBeNull();
    const text = readFileSync(join(dataDir, 'data.json'), 'utf8');
    expect(text).not.toContain(okta.token);
    expect(text).not.toContain(bw.clientSecret);

    d.addMember(leads.id, alice.id);
    expect((await runBwdc(['sync'], keychainEnv())).code).toBe(0);
    expect(imports()).toBe(1);
  }, 60_000);
});

describe('switching from the official connector: Okta, its last sync incremental', () => {
  let okta: OktaEmulator;
  beforeEach(async () => {
    okta = await startOktaEmulator({ tls: false });
  });
  afterEach(async () => okta.stop());

  it('reads only what changed since its last sync, so a member removed by hand stays removed', async () => {
    const d = okta.directory;
    const alice = d.addUser({ email: 'alice@example.com' });
    const bob = d.addUser({ email: 'bob@example.com' });
    const erin = d.addUser({ email: 'erin@example.com' });
    const staff = d.addGroup({ name: 'Staff' });
    d.addMember(staff.id, alice.id);
    d.addMember(staff.id, erin.id);
    // Every entry was last changed before the official connector's last sync (2026-11-20 08:15).
    const before = '2026-11-19T12:00:00.000Z';
    for (const u of [alice, bob, erin]) u.lastUpdated = before;
    staff.lastUpdated = before;
    staff.lastMembershipUpdated = before;
    // Its last sync was incremental: only bob had changed, and it sent him alone (reference §4).
    const lastRequest = JSON.stringify({
      groups: [],
      members: [member('bob@example.com', bob.id)],
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
    });
    await writeOfficialFolder(dataDir, bw, {
      directoryType: 3,
      sectionKey: 'directoryOkta',
      section: {
        id: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        orgUrl: okta.orgUrl,
        token: okta.token,
      },
      lastRequestJson: lastRequest,
      plaintext: true,
    });
    seedOrganization(
      [alice, bob, erin].map((u) => ({ email: u.profile.email!, externalId: u.id })),
      [{ name: 'Staff', externalId: staff.id, members: ['alice@example.com', 'erin@example.com'] }],
      'erin@example.com',
    );

    // test reads everything; the first sync asks Okta for what changed since the official times.
    const test = await bwdc('test');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain('erin@example.com');
    const first = await bwdc('sync');
    expect(first).toMatchObject({
      code: 0,
      stdout: 'Syncing complete.\nSynced 0 group(s) and 0 user(s).\n',
    });
    expect(imports()).toBe(0);
    expect(bw.org.member('erin@example.com')).toBeUndefined();
    expect(bw.invites).toEqual([]);
    const since = (path: string) =>
      okta.requests.filter((r) => r.path === path && /lastUpdated gt/.test(r.query.filter ?? ''));
    // The official lastUserSync, less bwdc's five minutes for clock differences.
    expect(since('/api/v1/users')[0]!.query.filter).toContain(
      'lastUpdated gt "2026-11-20T08:10:00.000Z"',
    );
    expect(since('/api/v1/groups')).toHaveLength(1);

    // A change in Okta since is sent, and only it.
    d.updateUser(alice.id, { profile: { firstName: 'Alice' } });
    d.addUser({ email: 'frank@example.com' });
    const second = await bwdc('sync');
    expect(second.code).toBe(0);
    expect(imports()).toBe(1);
    const body = bw.requests.filter((r) => r.path.endsWith('/public/organization/import'))[0]!
      .body as { members: { email: string }[] };
    expect(body.members.map((m) => m.email).sort()).toEqual([
      'alice@example.com',
      'frank@example.com',
    ]);
    expect(bw.org.member('frank@example.com')).toBeDefined();
    expect(bw.org.member('erin@example.com')).toBeUndefined();
  }, 60_000);
});

describe('switching from the official connector: OneLogin', () => {
  let onelogin: OneLoginEmulator;
  afterEach(async () => onelogin.stop());

  it('runs test and sync from the official data.json; the first sync sends nothing', async () => {
    onelogin = await startOneLoginEmulator();
    const d = onelogin.directory;
    const staff = d.addRole('Staff');
    const leads = d.addRole('Leads');
    const alice = d.addUser({ email: 'Alice@Example.com', roleIds: [staff.id, leads.id] });
    // No valid email: the username is used, as the official connector does.
    const bob = d.addUser({ email: null, username: 'bob@example.com', roleIds: [leads.id] });
    const carol = d.addUser({ email: 'carol@example.com', status: 2, roleIds: [staff.id] });
    const erin = d.addUser({ email: 'erin@example.com', roleIds: [staff.id] });
    // The official reader keeps OneLogin's ids as the numbers its API returns: its request (and
    // so its hash) has "externalId":10000, not "10000". Users and roles in listing order.
    const lastRequest = JSON.stringify({
      groups: [
        { name: 'Staff', externalId: staff.id, memberExternalIds: [alice.id, carol.id, erin.id] },
        { name: 'Leads', externalId: leads.id, memberExternalIds: [alice.id, bob.id] },
      ],
      members: [
        { email: 'alice@example.com', externalId: alice.id, deleted: false },
        { email: 'bob@example.com', externalId: bob.id, deleted: false },
        { email: 'carol@example.com', externalId: carol.id, deleted: false },
        { email: 'erin@example.com', externalId: erin.id, deleted: false },
      ],
      overwriteExisting: false,
      largeImport: false,
      inviteUsersAfterProvisioning: false,
    });
    await writeOfficialFolder(dataDir, bw, {
      directoryType: 4,
      sectionKey: 'directoryOnelogin',
      section: {
        id: 'c3d2a1b0-0000-4000-8000-0000000000a1',
        clientId: onelogin.clientId,
        clientSecret: onelogin.clientSecret,
        region: 'us',
        // Ours: where the emulator is (the official connector derives it from the region).
        apiUrl: onelogin.apiUrl,
      },
      lastRequestJson: lastRequest,
      plaintext: true,
    });
    const people = [alice, bob, carol, erin].map((u) => ({
      email: (u.email ?? u.username!).toLowerCase(),
      externalId: String(u.id),
    }));
    seedOrganization(
      people,
      [
        {
          name: 'Staff',
          externalId: String(staff.id),
          members: ['alice@example.com', 'carol@example.com', 'erin@example.com'],
        },
        {
          name: 'Leads',
          externalId: String(leads.id),
          members: ['alice@example.com', 'bob@example.com'],
        },
      ],
      'erin@example.com',
    );
    await switchAndSync(
      'erin@example.com',
      () => void d.addUser({ email: 'frank@example.com' }),
      'frank@example.com',
    );
  }, 60_000);
});
