import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnector } from '@bwdc/connector';
import { createFakeConnector, sampleChanges } from '../testing/fake-connector';
import { BwdcError, CancelledError } from '@bwdc/core';
import { createBridgeBackend, type BackendOptions } from './backend';
import { describeProgress } from './report-view';

function setup(overrides: Partial<BackendOptions> = {}) {
  const fake = createFakeConnector();
  const runOnSchedule = jest.fn<
    ReturnType<NonNullable<BackendOptions['runOnSchedule']>>,
    Parameters<NonNullable<BackendOptions['runOnSchedule']>>
  >(
    (options) =>
      new Promise<void>((resolve) => options.signal.addEventListener('abort', () => resolve())),
  );
  const backend = createBridgeBackend({
    connector: fake.connector,
    mode: 'browser',
    version: '1.2.3',
    runOnSchedule,
    ...overrides,
  });
  return { ...fake, backend, runOnSchedule };
}

describe('the bridge backend', () => {
  it('describes the app and its data file', async () => {
    const { backend } = setup();
    await expect(backend.appInfo()).resolves.toEqual({
      version: '1.2.3',
      mode: 'browser',
      dataFile: '/tmp/bwdc-fake/data.json',
      canPickFiles: false,
    });
  });

  it('gives the settings catalogue with values, secrets masked', async () => {
    const { backend, connector } = setup();
    await connector.config.set('directory', 'ldap');
    await connector.config.set('ldap.password', 'hunter2');
    const s = await backend.settings();
    expect(s.directory).toBe('ldap');
    expect(s.catalogue.find((d) => d.name === 'ldap.password')).toMatchObject({
      kind: 'text',
      secret: true,
      section: 'ldap',
    });
    expect(s.catalogue.find((d) => d.name === 'onelogin.region')).toMatchObject({
      kind: 'choice',
      choices: ['us', 'eu'],
    });
    expect(s.values['ldap.password']).toBe('[STORED SECURELY]');
    expect(JSON.stringify(s)).not.toContain('hunter2');
  });

  it('sends the LDAP defaults of both kinds of directory by setting name, for placeholders', async () => {
    const { backend } = setup();
    const { ldapDefaults } = await backend.settings();
    expect(ldapDefaults.activeDirectory).toMatchObject({
      'sync.userObjectClass': 'person',
      'sync.groupNameAttribute': 'name',
      'sync.userPath': 'CN=Users',
    });
    expect(ldapDefaults.otherLdap).toMatchObject({
      'sync.userObjectClass': 'inetOrgPerson',
      'sync.groupNameAttribute': 'cn',
    });
    expect(ldapDefaults.otherLdap).not.toHaveProperty('sync.userPath');
  });

  it('saves the directory first and reports each refused field by name', async () => {
    const { backend, state } = setup();
    const result = await backend.saveSettings([
      { name: 'ldap.port', value: 'not-a-number' },
      { name: 'ldap.hostname', value: 'dc1.example.com' },
      { name: 'directory', value: 'ldap' },
      { name: 'ldap.nope', value: 'x' },
    ]);
    expect(state.calls.slice(0, 1)).toEqual(['set directory']);
    expect(result.saved).toEqual(['directory', 'ldap.hostname']);
    expect(result.errors).toEqual({
      'ldap.port': 'ldap.port: expected a number',
      'ldap.nope': 'Unknown setting.',
    });
    expect(result.settings.values['ldap.hostname']).toBe('dc1.example.com');
  });

  it('saves secrets after the fields that choose the account they belong to', async () => {
    const { backend, state } = setup();
    await backend.saveSettings([
      { name: 'ldap.password', value: 'pw' },
      { name: 'ldap.username', value: 'cn=reader' },
      { name: 'directory', value: 'ldap' },
    ]);
    expect(state.calls).toEqual(['set directory', 'set ldap.username', 'set ldap.password']);
  });

  it('sends an empty value as "unset"', async () => {
    const { backend, connector } = setup();
    await connector.config.set('ldap.hostname', 'h');
    await backend.saveSettings([{ name: 'ldap.hostname', value: '' }]);
    expect((await connector.config.get('ldap.hostname')).value).toBeNull();
  });

  it('imports a Google key file into the client email and private key', async () => {
    const { backend, state } = setup();
    const ok = await backend.importGoogleKey(
      JSON.stringify({
        type: 'service_account',
        client_email: 'sa@p.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nabc',
      }),
    );
    expect(ok.errors).toEqual({});
    expect(state.settings.get('gsuite.clientEmail')).toBe('sa@p.iam.gserviceaccount.com');
    expect(state.secrets.get('gsuite.privateKey')).toContain('BEGIN PRIVATE KEY');
    expect((await backend.importGoogleKey('{nope')).errors['gsuite.privateKey']).toMatch(
      /not JSON/,
    );
    expect((await backend.importGoogleKey('{"a":1}')).errors['gsuite.privateKey']).toMatch(
      /no client_email/,
    );
  });

  it('maps the dashboard from status and the schedule', async () => {
    const { backend, connector } = setup();
    await connector.login('organization.org-1', 'right-secret');
    await connector.config.set('directory', 'okta');
    await expect(backend.dashboard()).resolves.toEqual({
      loggedIn: true,
      organizationId: 'org-1',
      directory: 'okta',
      lastUserSync: null,
      lastGroupSync: null,
      schedule: {
        running: false,
        intervalMinutes: null,
        syncing: false,
        lastRunAt: null,
        lastResult: null,
        lastError: null,
      },
      activity: null,
      // The server the organization is on, and this session's log (empty before any run).
      server: 'bitwarden.com',
      log: [],
    });
  });

  it('starts the schedule with sync.interval, or upstream’s 5 minutes when unset', async () => {
    const { backend, connector, runOnSchedule } = setup();
    await connector.login('organization.o', 'right-secret');
    await expect(backend.startSchedule()).resolves.toMatchObject({
      running: true,
      intervalMinutes: 5,
    });
    await backend.stopSchedule();
    await connector.config.set('sync.interval', '15');
    await expect(backend.startSchedule()).resolves.toMatchObject({
      running: true,
      intervalMinutes: 15,
    });
    expect(runOnSchedule.mock.calls.map((c) => c[0].intervalMinutes)).toEqual([5, 15]);
    await expect(backend.stopSchedule()).resolves.toMatchObject({ running: false });
  });

  it('refuses to start the schedule when logged out, and stops it on logout', async () => {
    const { backend, connector, state } = setup();
    await expect(backend.startSchedule()).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
    await connector.login('organization.o', 'right-secret');
    await backend.startSchedule();
    await backend.logout();
    expect(backend.scheduler.state().running).toBe(false);
    expect(state.loggedIn).toBe(false);
  });

  it('runs Sync Now through the scheduler and summarizes the report', async () => {
    const { backend, connector } = setup();
    await connector.login('organization.o', 'right-secret');
    const result = await backend.syncNow();
    expect(result).toMatchObject({
      usersSynced: 2,
      groupsSynced: 1,
      requestsSent: 1,
      skippedUnchanged: false,
    });
    // Since the app names what a sync changed, the summary carries the changes (issue 17).
    // ...and its warnings, which the dashboard shows (issue 18).
    expect(Object.keys(result).sort()).toEqual([
      'changes',
      'finishedAt',
      'groupsSynced',
      'removedFromPlan',
      'requestsSent',
      'skippedUnchanged',
      'usersSynced',
      'warningCount',
      'warnings',
    ]);
    expect(backend.scheduler.state().lastResult).toEqual(result);
  });

  it('names what a sync changed, keeping the first entries of long lists and whole counts', async () => {
    const fake = createFakeConnector({
      sync: async (options = {}) =>
        ({
          usersSynced: 300,
          groupsSynced: 0,
          requestsSent: 1,
          skippedUnchanged: false,
          warnings: [],
          finishedAt: '2026-01-01T00:00:00.000Z',
          forced: options.force ?? false,
          removed: [],
          guard: { removals: [] },
          changes: sampleChanges({
            invite: Array.from({ length: 300 }, (_, i) => ({
              email: `u${i}@example.com`,
              externalId: `u${i}`,
            })),
            counts: { ...sampleChanges().counts, invite: 300 },
          }),
        }) as never,
    });
    const backend = createBridgeBackend({
      connector: fake.connector,
      mode: 'browser',
      version: '1',
    });
    const result = await backend.syncNow();
    expect(result.changes!.invite).toHaveLength(100);
    expect(result.changes!.counts.invite).toBe(300);
    expect(result.changes!.remove).toEqual([
      { email: 'dave@example.com', externalId: 'u4', reason: 'deleted in the directory' },
    ]);
  });

  it('names the removals from the plan when the organization could not be read', async () => {
    const fake = createFakeConnector({
      sync: async () =>
        ({
          usersSynced: 2,
          groupsSynced: 0,
          requestsSent: 1,
          skippedUnchanged: false,
          warnings: [],
          finishedAt: '2026-01-01T00:00:00.000Z',
          removed: [
            {
              email: 'bob@example.com',
              externalId: 'b',
              reason: 'missing',
              reasonText: 'gone from the directory',
              wasManaged: true,
            },
          ],
          guard: { removals: [] },
          changesUnavailable: 'no members route',
        }) as never,
    });
    const backend = createBridgeBackend({
      connector: fake.connector,
      mode: 'browser',
      version: '1',
    });
    const result = await backend.syncNow();
    expect(result.changes).toBeNull();
    expect(result.removedFromPlan).toEqual([
      { email: 'bob@example.com', externalId: 'b', reason: 'gone from the directory' },
    ]);
  });

  it('goes past the safety guard only when asked to', async () => {
    const forced: (boolean | undefined)[] = [];
    const fake = createFakeConnector({
      sync: async (options = {}) => {
        forced.push(options.force);
        return {
          usersSynced: 0,
          groupsSynced: 0,
          requestsSent: 0,
          skippedUnchanged: true,
          warnings: [],
          finishedAt: '2026-01-01T00:00:00.000Z',
        } as never;
      },
    });
    const backend = createBridgeBackend({
      connector: fake.connector,
      mode: 'browser',
      version: '1',
    });
    await backend.syncNow();
    await backend.syncNow(true);
    expect(forced).toEqual([false, true]);
  });

  it('carries a guard refusal with who would be removed and whether it may be forced', () => {
    const { backend } = setup();
    const removals = Array.from({ length: 250 }, (_, i) => ({
      externalId: `u${i}`,
      email: `u${i}@example.com`,
      reason: 'missing' as const,
      reasonText: 'gone from the directory',
      wasManaged: true,
    }));
    // What SafetyLimitError carries (the engine's class is not the app's to import).
    const refusal = Object.assign(
      new BwdcError('SAFETY_LIMIT', 'Refusing to sync: it would remove 250 of the 300 members.'),
      { wouldRemove: removals, forceable: true },
    );
    const info = backend.describeError(refusal);
    expect(info).toMatchObject({ code: 'SAFETY_LIMIT', removalCount: 250, forceable: true });
    expect(info.removals).toHaveLength(200);
    expect(info.removals![0]).toEqual({
      email: 'u0@example.com',
      externalId: 'u0',
      reason: 'gone from the directory',
    });
    expect(backend.describeError(new BwdcError('CANCELLED', 'x'))).not.toHaveProperty('removals');
  });

  it('returns the test result as the official JSON, with what it would change', async () => {
    const { backend } = setup();
    const result = await backend.test(false);
    expect(result.object).toBe('test');
    expect(result.changes).toMatchObject({
      invite: [{ email: 'bob@example.com', externalId: 'u2' }],
      remove: [{ email: 'dave@example.com', reason: 'deleted in the directory' }],
      counts: { invite: 1, remove: 1, groups: 1 },
    });
    expect(result.guard).toEqual({
      refused: false,
      forceable: true,
      reason: null,
      groupLosses: [],
    });
    expect(result.groups[0]).toEqual({
      externalId: 'g1',
      displayName: 'Engineering',
      userIds: ['u1', 'u2'],
    });
    expect(result.disabledUsers).toEqual([{ externalId: 'u3', displayName: 'carol@example.com' }]);
  });

  it('tests even when the organization cannot be read, and says why', async () => {
    const asked: unknown[] = [];
    const fake = createFakeConnector({
      changes: async (options = {}) => {
        asked.push([options.optional, options.withTest]);
        return {
          test: await fake.connector.test(options),
          changes: undefined,
          unavailable: 'This Bitwarden server does not offer GET /public/members',
          guard: {
            refused: false,
            forceable: true,
            reason: undefined,
            check: undefined,
            groupLosses: [],
          },
          warnings: [],
        };
      },
    });
    const backend = createBridgeBackend({
      connector: fake.connector,
      mode: 'browser',
      version: '1',
    });
    const result = await backend.test(false);
    expect(asked).toEqual([[true, true]]);
    expect(result.enabledUsers).toHaveLength(2);
    expect(result.changes).toBeNull();
    expect(result.changesUnavailable).toContain('does not offer');
  });

  it('attaches a verify failure to the field of the directory in use', async () => {
    const { backend, connector } = setup();
    await connector.config.set('directory', 'ldap');
    const error = await backend.verifyDirectory().catch((e: unknown) => e);
    expect(backend.describeError(error)).toMatchObject({
      code: 'DIRECTORY_AUTH_FAILED',
      setting: 'ldap.password',
    });
  });

  it('checks for updates against the configured feed', async () => {
    const check = jest.fn(async () => ({
      currentVersion: '1.2.3',
      latestVersion: '1.3.0',
      updateAvailable: true,
      downloadUrl: undefined,
    }));
    const { backend } = setup({ checkForUpdate: check, feedUrl: 'http://127.0.0.1:9/feed' });
    await expect(backend.checkForUpdate()).resolves.toEqual({
      currentVersion: '1.2.3',
      latestVersion: '1.3.0',
      updateAvailable: true,
      downloadUrl: null,
    });
    expect(check).toHaveBeenCalledWith({
      currentVersion: '1.2.3',
      feedUrl: 'http://127.0.0.1:9/feed',
    });
  });

  it('picks files only where a native dialog exists', async () => {
    await expect(setup().backend.pickFile({ title: 'CA' })).resolves.toBeNull();
    const pickFile = jest.fn(async () => '/etc/ssl/ca.pem');
    const { backend } = setup({ pickFile });
    await expect(backend.pickFile({ title: 'CA', extensions: ['pem'] })).resolves.toBe(
      '/etc/ssl/ca.pem',
    );
    expect((await backend.appInfo()).canPickFiles).toBe(true);
  });

  it('clears the cache and sets the server through the connector', async () => {
    const { backend, state } = setup();
    await backend.setServer('https://bw.example.com');
    await backend.clearCache();
    expect(state.settings.get('server')).toBe('https://bw.example.com');
    expect(state.calls).toContain('clearCache');
    await expect(backend.setServer('http://bw.example.com')).rejects.toThrow(/https/);
  });

  it('shows a running test step by step and cancels it', async () => {
    const fake = createFakeConnector();
    let report:
      | ((p: { phase: string; read?: { phase: string; done: number } }) => void)
      | undefined;
    fake.connector.test = (options = {}) =>
      new Promise((_resolve, reject) => {
        report = options.onProgress as typeof report;
        options.signal?.addEventListener('abort', () => reject(new CancelledError('The test')));
      });
    const backend = createBridgeBackend({
      connector: fake.connector,
      mode: 'browser',
      version: '1',
    });
    const running = backend.test(false);
    await new Promise((r) => setImmediate(r));
    expect((await backend.dashboard()).activity).toMatchObject({
      kind: 'test',
      manual: true,
      step: 'Starting the test',
    });
    report!({ phase: 'read', read: { phase: 'users', done: 1200 } });
    expect((await backend.dashboard()).activity?.step).toBe(
      'Reading users from the directory (1,200 so far)',
    );
    await backend.cancel();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await backend.dashboard()).activity).toBeNull();
  });

  it('cancels Sync Now, which then records the cancellation', async () => {
    const fake = createFakeConnector();
    fake.connector.sync = (options = {}) =>
      new Promise((_resolve, reject) =>
        options.signal?.addEventListener('abort', () => reject(new CancelledError('The sync'))),
      );
    const backend = createBridgeBackend({
      connector: fake.connector,
      mode: 'browser',
      version: '1',
    });
    const running = backend.syncNow();
    await new Promise((r) => setImmediate(r));
    expect((await backend.dashboard()).activity).toMatchObject({ kind: 'sync', manual: true });
    await backend.cancel();
    await expect(running).rejects.toThrow('The sync was cancelled.');
    expect(backend.scheduler.state().lastError).toMatchObject({ code: 'CANCELLED' });
  });

  it("keeps a log of the session, every line timed, with a run's warnings and failures", async () => {
    const summaryWarning =
      'No groups were read, though sync.groups is on. Check sync.groupObjectClass ("group").';
    const fake = createFakeConnector({
      changes: async () => ({
        test: { object: 'test', groups: [], enabledUsers: [], disabledUsers: [], deletedUsers: [] },
        changes: sampleChanges(),
        unavailable: undefined,
        guard: {
          refused: false,
          forceable: true,
          reason: undefined,
          check: undefined,
          groupLosses: [],
        },
        warnings: [summaryWarning, ...Array.from({ length: 8 }, (_, i) => `entry ${i}`)],
      }),
      sync: async () => {
        throw new BwdcError('DIRECTORY_UNREACHABLE', 'ldap://dc1:389: cannot connect.');
      },
    });
    const { backend } = setup({ connector: fake.connector });
    await fake.connector.login('organization.o', 'right-secret');
    await fake.connector.config.set('server', 'https://bw.example.com');

    const result = await backend.test(false);
    expect(result.warnings[0]).toBe(summaryWarning);
    expect(result.warningCount).toBe(9);
    await expect(backend.syncNow()).rejects.toThrow('cannot connect');

    const dashboard = await backend.dashboard();
    expect(dashboard.server).toBe('https://bw.example.com');
    expect(dashboard.log.map((l) => [l.level, l.text])).toEqual([
      ['info', 'Test started.'],
      ['info', 'Test complete: 0 user(s) and 0 group(s) would be sent.'],
      ['warning', summaryWarning],
      ['warning', 'entry 0'],
      ['warning', 'entry 1'],
      ['warning', 'entry 2'],
      ['warning', 'entry 3'],
      ['warning', "4 more warning(s): see Test Now's result."],
      ['info', 'Sync started.'],
      ['error', 'Sync failed: ldap://dc1:389: cannot connect.'],
    ]);
    for (const line of dashboard.log) expect(Date.parse(line.at)).not.toBeNaN();
  });

  it('describes each phase of a run for people', () => {
    expect(describeProgress({ phase: 'load' })).toBe('Loading the last sync state');
    expect(describeProgress({ phase: 'read' })).toBe('Reading the directory');
    expect(
      describeProgress({ phase: 'read', read: { phase: 'members', done: 5, total: 40 } }),
    ).toBe('Reading group members from the directory (5 of 40)');
    expect(describeProgress({ phase: 'plan' })).toBe('Working out the changes');
    expect(describeProgress({ phase: 'post', done: 1, total: 3 })).toBe(
      'Sending to Bitwarden (1 of 3 requests)',
    );
    expect(describeProgress({ phase: 'commit' })).toBe('Saving the sync state');
  });
});

describe('the bridge backend over the real connector', () => {
  it('says which secret a changed server cleared, and shows it as not set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bwdc-backend-'));
    try {
      const backend = createBridgeBackend({
        connector: createConnector({
          dataDir: dir,
          env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' },
        }),
        mode: 'browser',
        version: '1.2.3',
      });
      await backend.saveSettings([
        { name: 'directory', value: 'ldap' },
        { name: 'ldap.hostname', value: 'dc1.example.com' },
        { name: 'ldap.password', value: 'pw' },
      ]);
      expect((await backend.settings()).values['ldap.password']).toBe('[STORED SECURELY]');
      const changed = await backend.saveSettings([{ name: 'ldap.hostname', value: 'dc2' }]);
      expect(changed.notices).toEqual([
        expect.stringContaining('ldap.password was cleared because ldap.hostname changed'),
      ]);
      expect(changed.settings.values['ldap.password']).toBeNull();
      // Typed again in the same save as the change: set, so nothing to say.
      await backend.saveSettings([{ name: 'ldap.password', value: 'pw2' }]);
      const both = await backend.saveSettings([
        { name: 'ldap.hostname', value: 'dc3' },
        { name: 'ldap.password', value: 'pw3' },
      ]);
      expect(both.notices).toEqual([]);
      expect(both.settings.values['ldap.password']).toBe('[STORED SECURELY]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
