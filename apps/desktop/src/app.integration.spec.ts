/**
 * End to end: the real React UI, built with vite and served in browser mode, driven in Debian's
 * Chromium against the real connector, a real slapd and the Bitwarden emulator. Writes a
 * screenshot of each screen to apps/desktop/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createConnector } from '@bwdc/connector';
import { silentLogger } from '@bwdc/core';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import {
  GROUPS_OU,
  PEOPLE_OU,
  generateLdif,
  startSlapd,
  type DirectoryFixture,
  type RunningLdapServer,
} from '@bwdc/tools-ldap';
import {
  createBridgeBackend,
  dispatch,
  filesInFolder,
  startUiServer,
  type BridgeBackend,
  type UiServer,
} from '@bwdc/ui';
import { launchChromium } from './testing/browser';

jest.setTimeout(180_000);

const APP_DIR = join(__dirname, '..');
/** The renderer lives in @bwdc/ui, the package the desktop app and `bwdc ui` share. */
const UI_DIR = dirname(require.resolve('@bwdc/ui/package.json'));
const SCREENSHOTS = join(APP_DIR, 'screenshots');

/** A small company, so the screenshots show what an admin would see. */
const FIXTURE: DirectoryFixture = {
  users: [
    { email: 'alice.nguyen@example.com', uid: 'anguyen' },
    { email: 'bob.schmidt@example.com', uid: 'bschmidt' },
    { email: 'carla.rossi@example.com', uid: 'crossi' },
    { email: 'david.okafor@example.com', uid: 'dokafor' },
    { email: 'emma.larsen@example.com', uid: 'elarsen' },
    { email: 'farid.haddad@example.com', uid: 'fhaddad' },
    { email: 'grace.kim@example.com', uid: 'gkim' },
  ],
  groups: [
    {
      name: 'Engineering',
      memberEmails: ['alice.nguyen@example.com', 'bob.schmidt@example.com'],
      childGroups: ['Platform'],
    },
    { name: 'Platform', memberEmails: ['carla.rossi@example.com'] },
    { name: 'Finance', memberEmails: ['david.okafor@example.com', 'emma.larsen@example.com'] },
    {
      name: 'Support',
      memberEmails: [
        'farid.haddad@example.com',
        'grace.kim@example.com',
        'alice.nguyen@example.com',
      ],
    },
  ],
};

let work: string;
let slapd: RunningLdapServer;
let bitwarden: BitwardenEmulator;
let feed: Server;
let backend: BridgeBackend;
let ui: UiServer;
let browser: Browser;
let page: Page;

/** vite build of the renderer into a temp folder, as `npm run build` does into dist/renderer. */
function buildRenderer(outDir: string): void {
  const vite = join(
    dirname(createRequire(join(UI_DIR, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  execFileSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      join(UI_DIR, 'vite.config.mjs'),
      '--outDir',
      outDir,
      '--emptyOutDir',
    ],
    {
      cwd: UI_DIR,
      stdio: 'pipe',
    },
  );
}

/** A GitHub-style release feed on loopback for Check for Updates. */
async function startFeed(): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        tag_name: 'v0.2.0',
        html_url: 'https://github.com/bwdc/bwdc/releases/tag/v0.2.0',
        assets: [],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function shot(name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: options.fullPage ?? false,
    animations: 'disabled',
  });
}

const field = (label: string) =>
  page.locator('.field', { has: page.getByLabel(label, { exact: true }) });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bwdc-desktop-e2e-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const rendererDir = join(work, 'renderer');
  buildRenderer(rendererDir);
  slapd = await startSlapd({ ldif: generateLdif(FIXTURE, 'dc=example,dc=com') });
  bitwarden = await startBitwardenEmulator({ mode: 'selfhosted' });
  feed = await startFeed();
  const connector = createConnector({
    dataDir: join(work, 'data'),
    env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' },
    version: '0.1.0',
    logger: silentLogger,
  });
  backend = createBridgeBackend({
    connector,
    mode: 'browser',
    version: '0.1.0',
    feedUrl: `http://127.0.0.1:${(feed.address() as AddressInfo).port}/releases/latest`,
  });
  ui = await startUiServer({
    handle: (m, a) => dispatch(backend, m, a),
    files: filesInFolder(rendererDir),
  });
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  page.setDefaultTimeout(30_000);
});

afterAll(async () => {
  await browser?.close();
  await backend?.dispose();
  await ui?.close();
  await new Promise((resolve) => (feed ? feed.close(resolve) : resolve(undefined)));
  await bitwarden?.stop();
  await slapd?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the desktop UI in browser mode', () => {
  it('refuses the page without the token', async () => {
    const other = await browser.newPage();
    await other.goto(`${ui.origin}/`);
    await other.getByTestId('fatal').waitFor();
    expect(await other.getByTestId('fatal').textContent()).toContain('no valid access token');
    await other.close();
  });

  it('logs in to the self-hosted server with the organization API key', async () => {
    await page.goto(ui.url);
    await page.getByRole('heading', { name: 'Log in to your organization' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    await page.getByLabel('Server').selectOption('self');
    await page.getByLabel('Server URL').fill(bitwarden.url);
    await page.getByLabel('Client ID').fill(bitwarden.clientId);
    await page.getByLabel('Client secret').fill('not-the-secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await field('Client secret').getByRole('alert').waitFor();
    await shot('01-login-refused');
    await page.getByLabel('Client secret').fill(bitwarden.clientSecret);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // Which organization, on which server: both named, not a bare GUID.
    expect(await page.getByTestId('sidebar-server').textContent()).toBe(bitwarden.url);
    expect(await page.locator('.sidebar').textContent()).toContain(
      `Organization ID${bitwarden.organizationId}`,
    );
    expect(await page.getByTestId('dashboard-lead').textContent()).toBe(
      `Keep the members and groups of organization ${bitwarden.organizationId} on ${bitwarden.url} in step with your directory (choose one in Settings).`,
    );
  });

  it('configures LDAP and shows a bad password at the password field', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Directory type').selectOption('ldap');
    // An empty class or attribute shows the default it takes, by kind of directory, at once.
    const placeholder = (label: string) => page.getByLabel(label).getAttribute('placeholder');
    expect(await placeholder('User object class')).toBe('person');
    expect(await placeholder('Group name attribute')).toBe('name');
    expect(await field('User filter').textContent()).toContain('An LDAP filter, e.g. (memberOf=');
    await page.getByLabel('This server uses Active Directory').uncheck();
    expect(await placeholder('User object class')).toBe('inetOrgPerson');
    expect(await placeholder('Group name attribute')).toBe('cn');
    await page.getByLabel('Server hostname').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(slapd.port));
    await page.getByLabel('Root path').fill(slapd.baseDn);
    await page.getByLabel('Username').fill(slapd.bindDn);
    await page.getByLabel('Password', { exact: true }).fill('wrong-password');
    await page.getByLabel('Sync users').check();
    await page.getByLabel('User path').fill(PEOPLE_OU);
    await page.getByLabel('User object class').fill('inetOrgPerson');
    await page.getByLabel('User email attribute').fill('mail');
    await page.getByLabel('Sync groups').check();
    await page.getByLabel('Group path').fill(GROUPS_OU);
    await page.getByLabel('Group object class').fill('groupOfNames');
    await page.getByLabel('Group name attribute').fill('cn');
    await page.getByLabel('Member attribute').fill('member');
    await page.getByLabel('Creation date attribute').fill('createTimestamp');
    await page.getByLabel('Revision date attribute').fill('modifyTimestamp');
    // Testing uses saved settings: the button says it saves the changes first, and the result that it did.
    await page.getByRole('button', { name: 'Save and test connection' }).click();
    const error = field('Password').getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('ldap.password');
    expect(await page.getByTestId('verify-notice').textContent()).toMatch(
      /^Saved \d+ changes, then tested\. The directory refused the connection\./,
    );
    await field('Password').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot('03-settings-bad-password');

    await page.getByLabel('Password', { exact: true }).fill(slapd.bindPassword);
    await page.getByRole('button', { name: 'Save and test connection' }).click();
    await page
      .getByTestId('verify-notice')
      .filter({ hasText: 'Saved 1 change, then tested. Connected' })
      .waitFor();
    expect(await page.getByRole('button', { name: 'Test connection' }).count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('04-settings-ldap', { fullPage: true });
  });

  it('refuses an invalid value next to its field, and says so where it can be seen', async () => {
    await page.getByLabel('Page size').fill('0');
    // The field says "at least 5": 2 is refused, not stored and shown as 5 later.
    await page.getByLabel('Sync interval (minutes)').fill('2');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const error = field('Page size').getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('ldap.pageSize');
    expect((await field('Sync interval (minutes)').getByRole('alert').textContent())?.trim()).toBe(
      'sync.interval: must be at least 5 (minutes), or 0 to turn the schedule off.',
    );
    expect((await backend.settings()).values['sync.interval']).toBeNull();
    await page.getByLabel('Page size').fill('500');
    expect(await field('Page size').getByRole('alert').count()).toBe(0);
    await page.getByLabel('Sync interval (minutes)').fill('5');
    await page.getByLabel('Sync interval (minutes)').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const saved = page.getByTestId('save-notice').filter({ hasText: 'Settings saved.' });
    await saved.waitFor();
    // Far down the form, the notice is still on screen: it sits in the sticky header.
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    const box = await saved.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(860);
    await shot('14-settings-saved-in-view');
    expect((await backend.settings()).values['ldap.pageSize']).toBe(500);
    expect((await backend.settings()).values['sync.interval']).toBe(5);
  });

  it('tests: first what will change in the organization, then the users and the groups', async () => {
    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Test Now' }).click();
    const results = page.getByTestId('test-results');
    await results.waitFor();
    // What will change comes first: everyone is invited, every group is created.
    const first = results.getByRole('tab').first();
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await first.textContent()).toContain('What will change');
    expect(await results.getByTestId('changes-headline').textContent()).toBe(
      `${FIXTURE.users.length} members to invite, 0 members to remove, ${FIXTURE.groups.length} groups to change.`,
    );
    for (const user of FIXTURE.users)
      await results.getByTestId('changes-invite').getByText(user.email, { exact: true }).waitFor();
    expect(await results.getByTestId('changes-groups').textContent()).toContain(
      'Engineering — new group; members: alice.nguyen@example.com, bob.schmidt@example.com, carla.rossi@example.com',
    );
    expect(await results.getByTestId('changes-unmanaged').textContent()).toContain(
      'owner@example.com (Owner, confirmed)',
    );
    await shot('10-dashboard-test-changes', { fullPage: true });
    expect(
      bitwarden.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/import')),
    ).toEqual([]);

    await results.getByRole('tab', { name: /^Users/ }).click();
    expect(await results.getByTestId('count-users').textContent()).toBe(
      String(FIXTURE.users.length),
    );
    expect(await results.getByTestId('count-groups').textContent()).toBe(
      String(FIXTURE.groups.length),
    );
    for (const user of FIXTURE.users)
      await results.getByText(user.email, { exact: true }).waitFor();
    await shot('05-dashboard-test-users');
    await results.getByRole('tab', { name: /Groups/ }).click();
    const engineering = results.locator('tr', { hasText: 'Engineering' });
    // Platform is nested in Engineering, so its member is flattened into it.
    for (const email of [
      'alice.nguyen@example.com',
      'bob.schmidt@example.com',
      'carla.rossi@example.com',
    ]) {
      await engineering.getByText(email, { exact: true }).waitFor();
    }
    // Members in alphabetical order; each row's cells share their top and bottom edges.
    const support = await results
      .locator('tr', { hasText: 'Support' })
      .getByTestId('group-members')
      .locator('li')
      .allTextContents();
    expect(support).toEqual([
      'alice.nguyen@example.com',
      'farid.haddad@example.com',
      'grace.kim@example.com',
    ]);
    for (const row of await results.locator('tbody tr').all()) {
      const cells = await row
        .locator('td')
        .evaluateAll((tds) =>
          tds.map((td) => [td.getBoundingClientRect().top, td.getBoundingClientRect().bottom]),
        );
      expect(cells[1]).toEqual(cells[0]);
    }
    await shot('06-dashboard-test-groups');
    expect(bitwarden.org.members().map((m) => m.email)).toEqual(['owner@example.com']);
  });

  it('syncs, and the organization changes', async () => {
    await page.getByRole('button', { name: 'Sync Now' }).click();
    const result = page.getByTestId('sync-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(
      `Synced ${FIXTURE.groups.length} groups and ${FIXTURE.users.length} users.`,
    );
    expect(await result.getByTestId('sync-invited').textContent()).toMatch(
      new RegExp(`^Invited ${FIXTURE.users.length}: alice\\.nguyen@example\\.com, `),
    );
    const emails = bitwarden.org
      .members()
      .map((m) => m.email)
      .sort();
    expect(emails).toEqual(['owner@example.com', ...FIXTURE.users.map((u) => u.email)].sort());
    expect(
      bitwarden.org
        .groups()
        .map((g) => g.name)
        .sort(),
    ).toEqual(FIXTURE.groups.map((g) => g.name).sort());
    const engineering = bitwarden.org.groups().find((g) => g.name === 'Engineering')!;
    expect([...engineering.memberEmails].sort()).toEqual([
      'alice.nguyen@example.com',
      'bob.schmidt@example.com',
      'carla.rossi@example.com',
    ]);
    await page.getByTestId('stat-users').filter({ hasNotText: 'Never' }).waitFor();
  });

  it('tests only what changed since the last sync, and syncs a new user', async () => {
    await page.getByLabel('Only changes since the last successful sync').check();
    await page.getByRole('button', { name: 'Test Now' }).click();
    await page.getByTestId('activity-test').waitFor({ state: 'detached' });
    const results = page.getByTestId('test-results');
    await results.waitFor();
    expect(await results.getByTestId('count-users').textContent()).toBe('0');

    await slapd.add(
      [
        'dn: uid=hsato,ou=people,dc=example,dc=com',
        'objectClass: inetOrgPerson',
        'uid: hsato',
        'cn: hsato',
        'sn: Sato',
        'mail: hana.sato@example.com',
        '',
      ].join('\n'),
    );
    await page.getByRole('button', { name: 'Test Now' }).click();
    await results.getByText('hana.sato@example.com', { exact: true }).waitFor();
    expect(await results.getByTestId('count-users').textContent()).toBe('1');
    await page.getByLabel('Only changes since the last successful sync').uncheck();
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByTestId('sync-result').waitFor();
    expect(bitwarden.org.member('hana.sato@example.com')).toBeDefined();
  });

  it('names a removed user after a sync, and forces a refused mass removal only after confirmation', async () => {
    // The guard starts at 10 members by default; this company is smaller.
    await backend.saveSettings([{ name: 'sync.removalGuardMinimum', value: '1' }]);
    await slapd.delete('uid=gkim,ou=people,dc=example,dc=com');
    await page.getByRole('button', { name: 'Test Now' }).click();
    const results = page.getByTestId('test-results');
    await results.getByTestId('changes-remove').waitFor();
    expect(await results.getByTestId('changes-remove').textContent()).toContain(
      'grace.kim@example.com — gone from the directory',
    );
    await page.getByRole('button', { name: 'Sync Now' }).click();
    const removed = page.getByTestId('sync-result').getByTestId('sync-removed');
    await removed.waitFor();
    expect(await removed.textContent()).toContain(
      'Removed 1:grace.kim@example.com — gone from the directory',
    );
    expect(bitwarden.org.member('grace.kim@example.com')).toBeUndefined();
    await page.getByTestId('sync-card').scrollIntoViewIfNeeded();
    await shot('11-dashboard-sync-removed');

    // Three more leave at once: more than sync.maxRemovalShare (25 %) of the members.
    await slapd.delete(
      'uid=dokafor,ou=people,dc=example,dc=com',
      'uid=elarsen,ou=people,dc=example,dc=com',
      'uid=fhaddad,ou=people,dc=example,dc=com',
    );
    await page.getByRole('button', { name: 'Sync Now' }).click();
    const refusal = page.getByTestId('sync-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Sync refused by the safety guard');
    const list = refusal.getByTestId('guard-removals');
    for (const email of [
      'david.okafor@example.com',
      'emma.larsen@example.com',
      'farid.haddad@example.com',
    ])
      expect(await list.textContent()).toContain(`${email} — gone from the directory`);
    expect(bitwarden.org.member('david.okafor@example.com')).toBeDefined();
    await shot('12-dashboard-guard-refusal');

    await refusal.getByRole('button', { name: 'Sync Anyway…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Remove 3 members?');
    await shot('13-confirm-force-sync');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(bitwarden.org.member('david.okafor@example.com')).toBeDefined();

    await refusal.getByRole('button', { name: 'Sync Anyway…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove and Sync' }).click();
    const forced = page.getByTestId('sync-result').getByTestId('sync-removed');
    await forced.waitFor();
    expect(await forced.textContent()).toContain('Removed 3:');
    for (const email of [
      'david.okafor@example.com',
      'emma.larsen@example.com',
      'farid.haddad@example.com',
    ])
      expect(bitwarden.org.member(email)).toBeUndefined();
  });

  it('refuses a sync that would empty the groups (a wrong user object class), listing each group', async () => {
    await backend.saveSettings([{ name: 'sync.userObjectClass', value: 'inetOrgPersn' }]);
    await page.getByRole('button', { name: 'Sync Now' }).click();
    const refusal = page.getByTestId('sync-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('returned groups but no users');
    const groups = refusal.getByTestId('guard-groups');
    expect(await groups.textContent()).toContain('Engineering — 3 of 3 members (left empty)');
    expect(await groups.textContent()).toContain('Support — 1 of 1 member (left empty)');
    await refusal.getByRole('button', { name: 'Sync Anyway…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toMatch(/Take members out of \d+ groups\?/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const engineering = bitwarden.org.groups().find((g) => g.name === 'Engineering')!;
    expect(engineering.memberEmails).toHaveLength(3);
    // Put right, the next sync goes through and changes nothing.
    await backend.saveSettings([{ name: 'sync.userObjectClass', value: 'inetOrgPerson' }]);
    await page.getByRole('button', { name: 'Sync Now' }).click();
    await page.getByTestId('sync-result').waitFor();
    expect(bitwarden.org.groups().find((g) => g.name === 'Engineering')!.memberEmails).toHaveLength(
      3,
    );
  });

  it('starts and stops the scheduled sync', async () => {
    await page.getByRole('button', { name: 'Start Sync' }).click();
    await page.getByTestId('schedule-pill').filter({ hasText: 'Running' }).waitFor();
    await page.getByTestId('stat-schedule').filter({ hasText: 'Every 5 minutes' }).waitFor();
    expect(backend.scheduler.state()).toMatchObject({ running: true, intervalMinutes: 5 });
    // The first scheduled run happens at once; wait for it so the screenshot shows its outcome.
    await page.getByTestId('schedule-result').waitFor();
    await page.getByTestId('stat-schedule').filter({ hasNotText: 'Syncing now' }).waitFor();
    await shot('07-dashboard-running');
    await page.getByRole('button', { name: 'Stop Sync' }).click();
    await page.getByTestId('schedule-pill').filter({ hasText: 'Stopped' }).waitFor();
    expect(backend.scheduler.state().running).toBe(false);
    // What the last run did stays on the dashboard after Stop Sync.
    expect(await page.getByTestId('schedule-result').textContent()).toMatch(/^Last run /);

    // The session's log: every line starts with its time.
    const log = page.getByTestId('log');
    await log.scrollIntoViewIfNeeded();
    const times = await log.locator('li time').allTextContents();
    expect(times.length).toBe(await log.locator('li').count());
    for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const lines = await log.locator('li span').allTextContents();
    expect(lines).toContain('Scheduled sync started: now, then every 5 minutes.');
    expect(lines[lines.length - 1]).toBe('Scheduled sync stopped.');
    await shot('16-dashboard-log');
  });

  it('shows a read summary naming the setting when a class matches nothing', async () => {
    // An Active Directory class on OpenLDAP: no groups are read.
    await backend.saveSettings([{ name: 'sync.groupObjectClass', value: 'group' }]);
    await page.getByRole('button', { name: 'Test Now' }).click();
    const warnings = page.getByTestId('test-warnings');
    await warnings.waitFor();
    expect(await warnings.textContent()).toContain(
      'No groups were read, though sync.groups is on. Check sync.groupPath ("ou=groups"; relative to ldap.rootPath), sync.groupObjectClass ("group")',
    );
    await warnings.scrollIntoViewIfNeeded();
    await shot('15-dashboard-test-warnings');
    await backend.saveSettings([{ name: 'sync.groupObjectClass', value: 'groupOfNames' }]);
  });

  it('checks for updates and clears the sync cache', async () => {
    await page.getByRole('button', { name: 'More' }).click();
    await page.getByRole('button', { name: 'Check for Updates' }).click();
    await page
      .getByTestId('update-result')
      .filter({ hasText: 'Version 0.2.0 is available' })
      .waitFor();
    await page.getByRole('button', { name: 'Clear Sync Cache' }).click();
    await shot('08-more-confirm-clear-cache');
    await page.getByRole('dialog').getByRole('button', { name: 'Clear Sync Cache' }).click();
    await page.getByTestId('cache-cleared').waitFor();
    await shot('09-more');
    const dashboard = await backend.dashboard();
    expect(dashboard.lastUserSync).toBeNull();
    expect(dashboard.lastGroupSync).toBeNull();
  });

  it('logs out', async () => {
    await page.getByRole('button', { name: 'Log Out' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Log Out' }).click();
    await page.getByRole('heading', { name: 'Log in to your organization' }).waitFor();
    expect((await backend.dashboard()).loggedIn).toBe(false);
    // The login form starts on the server saved before.
    expect(await page.getByLabel('Server URL').inputValue()).toBe(bitwarden.url);
    await shot('02-login');
  });
});
