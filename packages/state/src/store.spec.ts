import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DirectoryType, parseConfig } from '@bwdc/core';
import { clearSyncCache, selectTarget } from './changes';
import { StateCorruptError, StateLockedError } from './errors';
import { StateStore } from './store';

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'bwdc-state-'));
}

function folderWith(content: string): StateStore {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'data.json'), content, { mode: 0o600 });
  return StateStore.open(dir);
}

describe('StateStore', () => {
  describe('a new folder', () => {
    it('reads defaults without creating a file; new installs remove missing users', async () => {
      const store = StateStore.open(path.join(tempDir(), 'not-yet'));
      const state = await store.read();
      expect(state.stateVersion).toBe(9);
      expect(state.sync).toEqual({ removeMissingUsers: true });
      expect(parseConfig('sync', state.sync).removeMissingUsers).toBe(true);
      expect(state.migratedFrom).toBeUndefined();
      expect(state.checkpoint).toEqual({});
      expect(existsSync(store.filePath)).toBe(false);
    });

    it('writes data.json with mode 0600 in a folder with mode 0700, and keeps the appId', async () => {
      const store = StateStore.open(path.join(tempDir(), 'folder'));
      const written = await store.update((s) => ({ ...s, organizationId: 'org-1' }));
      expect(statSync(store.filePath).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(store.filePath)).mode & 0o777).toBe(0o700);
      const again = await store.read();
      expect(again.appId).toBe(written.appId);
      expect(again.organizationId).toBe('org-1');
      expect(JSON.parse(readFileSync(store.filePath, 'utf8'))).toMatchObject({
        stateVersion: 9,
        organizationId: 'org-1',
      });
    });
  });

  describe('reading again', () => {
    it('sees every change to the file: by another store, in place at the same size, or removed', async () => {
      const store = folderWith(JSON.stringify({ stateVersion: 8, organizationId: 'org-1' }));
      expect((await store.read()).organizationId).toBe('org-1');
      // Another process (here another store on the same folder) replaces the file.
      await StateStore.open(store.dataDir).update((s) => ({ ...s, organizationId: 'org-2' }));
      expect((await store.read()).organizationId).toBe('org-2');
      // An editor rewriting it in place, with a value of the same length.
      writeFileSync(store.filePath, JSON.stringify({ stateVersion: 8, organizationId: 'org-3' }));
      expect((await store.read()).organizationId).toBe('org-3');
      writeFileSync(store.filePath, JSON.stringify({ stateVersion: 8, organizationId: 'org-4' }));
      expect((await store.read()).organizationId).toBe('org-4');
      const state = await store.read();
      state.sync.interval = 99;
      expect((await store.read()).sync.interval).toBeUndefined();
      rmSync(store.filePath);
      expect((await store.read()).organizationId).toBeUndefined();
    });

    it('keeps a change another writer made after the read: save and update read the file again', async () => {
      const store = folderWith(JSON.stringify({ stateVersion: 8, organizationId: 'org-1' }));
      const read = await store.read();
      const before = statSync(store.filePath);
      // In place, the same size, its times put back: only the bytes tell it changed.
      writeFileSync(
        store.filePath,
        JSON.stringify({ stateVersion: 8, organizationId: 'org-1', entityId: 'e' }).replace(
          'org-1',
          'org',
        ),
      );
      utimesSync(store.filePath, before.atime, before.mtime);
      await store.save((s) => ({ ...s, checkpoint: { ...read.checkpoint, lastSyncHash: 'h1' } }));
      let written = JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>;
      expect(written).toMatchObject({ organizationId: 'org', entityId: 'e', lastSyncHash: 'h1' });

      await StateStore.open(store.dataDir).update((s) => ({ ...s, entityId: 'other' }));
      await store.save((s) => ({ ...s, checkpoint: { ...s.checkpoint, lastSyncHash: 'h2' } }));
      written = JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>;
      expect(written).toMatchObject({ entityId: 'other', lastSyncHash: 'h2' });
      expect(statSync(store.filePath).mode & 0o777).toBe(0o600);
      // Unchanged since read: the document read is written back with the change, nothing else.
      await store.read();
      const result = await store.update((s) => ({ ...s, entityId: 'third' }));
      expect(result).toMatchObject({ entityId: 'third', organizationId: 'org' });
      expect(JSON.parse(readFileSync(store.filePath, 'utf8'))).toEqual({
        ...written,
        entityId: 'third',
      });
    });

    it('writes nothing when the function given to save throws', async () => {
      const store = folderWith(JSON.stringify({ stateVersion: 8, organizationId: 'org-1' }));
      await store.read();
      const content = readFileSync(store.filePath, 'utf8');
      await expect(
        store.save(() => {
          throw new Error('import failed');
        }),
      ).rejects.toThrow('import failed');
      expect(readFileSync(store.filePath, 'utf8')).toBe(content);
    });
  });

  describe('an official connector data.json', () => {
    it('migrates a version 8 file and reads every setting back', async () => {
      const fixture = JSON.parse(
        readFileSync(path.join(FIXTURES, 'official-v8-data.json'), 'utf8'),
      );
      const store = folderWith(JSON.stringify(fixture));
      await store.update((s) => s);
      const state = await store.read();

      expect(state.migratedFrom).toBe(8);
      expect(state.appId).toBe(fixture.appId);
      expect(state.directoryType).toBe(DirectoryType.Ldap);
      expect(state.organizationId).toBe(fixture.organizationId);
      expect(state.entityId).toBe(fixture.entityId);
      expect(state.environmentUrls).toEqual({ base: fixture.environmentUrls.base });
      expect(state.syncingDir).toBe(false);
      // Every sync setting, plus ours, off for a migrated folder.
      expect(state.sync).toEqual({ ...fixture.sync, removeMissingUsers: false });
      expect(parseConfig('sync', state.sync)).toMatchObject({
        ...fixture.sync,
        removeMissingUsers: false,
      });
      // Every setting of every directory, secrets as the placeholder.
      expect(state.directories).toEqual({
        ldap: fixture.directoryLdap,
        entra: fixture.directoryEntra,
        gsuite: fixture.directoryGsuite,
        okta: fixture.directoryOkta,
        onelogin: fixture.directoryOnelogin,
      });
      for (const name of ['ldap', 'entra', 'gsuite', 'okta', 'onelogin'] as const) {
        expect(() => parseConfig(name, state.directories[name])).not.toThrow();
      }
      // The hash is the official connector's, which lays its request out differently.
      expect(state.checkpoint).toEqual({
        lastSyncHash: fixture.lastSyncHash,
        lastSyncHashBy: 'official',
        lastUserSync: fixture.lastUserSync,
        lastGroupSync: fixture.lastGroupSync,
      });
      expect(state.officialDeltaTokens).toEqual({
        user: fixture.userDeltaToken,
        group: fixture.groupDeltaToken,
      });
      // What the official connector reads stays where it reads it.
      const written = JSON.parse(readFileSync(store.filePath, 'utf8'));
      for (const key of ['lastSyncHash', 'userDeltaToken', 'groupDeltaToken', 'organizationId'])
        expect(written[key]).toEqual(fixture[key]);
      // The desktop settings nobody here reads stay as they were.
      for (const key of [
        'window',
        'enableAlwaysOnTop',
        'enableTray',
        'enableMinimizeToTray',
        'enableCloseToTray',
        'alwaysShowDock',
        'locale',
        'installedVersion',
        'anonymousAppId',
      ]) {
        expect(state.preserved[key]).toEqual(fixture[key]);
      }
      // The original is kept beside it, byte for byte.
      expect(JSON.parse(readFileSync(`${store.filePath}.v8.bak`, 'utf8'))).toEqual(fixture);
    });

    it('reads a version 3 file without writing it', async () => {
      const text = readFileSync(path.join(FIXTURES, 'official-v3-data.json'), 'utf8');
      const store = folderWith(text);
      const state = await store.read();
      expect(state).toMatchObject({
        migratedFrom: 3,
        organizationId: '7b3c0b4e-2f8a-4a7c-9a4d-b1e2f3a4c5d6',
        directoryType: DirectoryType.Ldap,
        environmentUrls: { base: 'https://vault.example.com' },
        sync: {
          users: true,
          removeDisabled: true,
          inviteUsersAfterProvisioning: true,
          removeMissingUsers: false,
        },
        directories: {
          ldap: { hostname: 'dc1.example.com' },
          entra: { tenant: 'contoso.onmicrosoft.com' },
        },
        checkpoint: { lastSyncHash: 'aGFzaA==', lastUserSync: '2025-01-02T03:04:05.000Z' },
      });
      // Secrets the account object held never reach the model.
      expect(JSON.stringify(state)).not.toMatch(/v3-client-secret-value|v3-access-token-value/);
      expect(readFileSync(store.filePath, 'utf8')).toBe(text);
    });

    it('moves secrets found in the file into the secret store, then off the file', async () => {
      const store = folderWith(readFileSync(path.join(FIXTURES, 'official-v3-data.json'), 'utf8'));
      const clientId = 'organization.7b3c0b4e-2f8a-4a7c-9a4d-b1e2f3a4c5d6';
      const keychain = new Map<string, string>([[`${clientId}_ldapPassword`, 'ldap-pw']]);
      const sink = {
        get: async (key: string) => keychain.get(key),
        set: async (key: string, value: string) => void keychain.set(key, value),
      };
      const moved = await store.moveSecretsTo(sink);
      expect(moved.sort()).toEqual([
        'accessToken',
        'apiKeyClientId',
        'apiKeyClientSecret',
        'secretLdap',
      ]);
      expect(keychain.get('secretLdap')).toBe('ldap-pw');
      expect(keychain.get('apiKeyClientSecret')).toBe('v3-client-secret-value');
      const text = readFileSync(store.filePath, 'utf8');
      expect(text).not.toMatch(/v3-client-secret-value|v3-access-token-value|pendingSecretCopies/);
      expect(await store.moveSecretsTo(sink)).toEqual([]);
    });
  });

  describe('the way back to the official connector', () => {
    const official = () =>
      JSON.parse(readFileSync(path.join(FIXTURES, 'official-v8-data.json'), 'utf8'));

    it('marks a hash as the official one until bwdc writes its own, and again when the official connector writes one', async () => {
      const store = folderWith(JSON.stringify(official()));
      expect((await store.read()).checkpoint.lastSyncHashBy).toBe('official');
      // Other changes keep the mark.
      await store.update((s) => ({ ...s, syncingDir: true }));
      expect((await store.read()).checkpoint.lastSyncHashBy).toBe('official');
      await store.update((s) => ({ ...s, checkpoint: { lastSyncHash: 'b3Vycw==' } }));
      const ours = await store.read();
      expect(ours.checkpoint).toEqual({ lastSyncHash: 'b3Vycw==' });
      // The official connector syncs from the folder and writes its own hash (keeping other keys).
      const document = JSON.parse(readFileSync(store.filePath, 'utf8'));
      writeFileSync(store.filePath, JSON.stringify({ ...document, lastSyncHash: 'dGhlaXJz' }));
      expect((await store.read()).checkpoint).toEqual({
        lastSyncHash: 'dGhlaXJz',
        lastSyncHashBy: 'official',
      });
    });

    it('clears the official delta tokens when the official connector would: clear-cache, another organization', async () => {
      const store = folderWith(JSON.stringify(official()));
      await store.update((s) => selectTarget(s, { organizationId: 'other-org' }));
      expect((await store.read()).officialDeltaTokens).toEqual({});
      expect(readFileSync(store.filePath, 'utf8')).not.toContain('deltatoken');
      const again = folderWith(JSON.stringify(official()));
      await again.update(clearSyncCache);
      expect(readFileSync(again.filePath, 'utf8')).not.toContain('deltatoken');
    });

    it('moves plaintext-mode section secrets to the key the official connector reads in keychain mode', async () => {
      const document = official();
      document.directoryLdap.password = 'ldap-pw-inline';
      delete document.directoryOkta.id;
      document.directoryOkta.token = 'okta-token-inline';
      const store = folderWith(JSON.stringify(document));
      const keychain = new Map<string, string>();
      const sink = {
        get: async (key: string) => keychain.get(key),
        set: async (key: string, value: string) => void keychain.set(key, value),
      };
      expect((await store.moveSecretsTo(sink)).sort()).toEqual([
        `secretLdap:${document.directoryLdap.id}`,
        'secretOkta',
      ]);
      expect(keychain.get(`secretLdap:${document.directoryLdap.id}`)).toBe('ldap-pw-inline');
      expect(keychain.get('secretOkta')).toBe('okta-token-inline');
      const written = JSON.parse(readFileSync(store.filePath, 'utf8'));
      expect(written.directoryLdap.password).toBe('[STORED SECURELY]');
      expect(written.directoryOkta.token).toBe('[STORED SECURELY]');
      expect(JSON.stringify(written)).not.toMatch(/inline/);
    });

    it('in plaintext mode, puts a secret an earlier bwdc kept at the top level back into its section', async () => {
      const document = official();
      const id = document.directoryLdap.id;
      const store = folderWith(
        JSON.stringify({
          ...document,
          [`secretLdap:${id}`]: 'ldap-pw',
          secretOkta: 'not-this-one',
        }),
      );
      expect(await store.moveSecretsIntoSections()).toEqual([`secretLdap:${id}`]);
      const written = JSON.parse(readFileSync(store.filePath, 'utf8'));
      expect(written.directoryLdap.password).toBe('ldap-pw');
      expect(written).not.toHaveProperty(`secretLdap:${id}`);
      // The Okta section has an id, so an unscoped key is not its secret.
      expect(written.directoryOkta.token).toBe('[STORED SECURELY]');
      expect(await store.moveSecretsIntoSections()).toEqual([]);
    });

    it('remembers a logout across processes', async () => {
      const store = folderWith(JSON.stringify(official()));
      await store.update((s) => ({ ...s, loggedOut: true }));
      expect((await store.read()).loggedOut).toBe(true);
      expect(JSON.parse(readFileSync(store.filePath, 'utf8')).loggedOut).toBe(true);
      await store.update((s) => ({ ...s, loggedOut: undefined }));
      expect(readFileSync(store.filePath, 'utf8')).not.toContain('loggedOut');
    });
  });

  describe('a file it cannot use', () => {
    it.each([
      ['{ "stateVersion": 9, "writtenBy": "bwdc", ', /is not valid JSON/],
      ['', /is empty/],
      ['[1, 2]', /does not hold a JSON object/],
      [
        '{ "stateVersion": 9, "writtenBy": "bwdc", "sync": "yes" }',
        /"sync" must be an object, found a string/,
      ],
      [
        '{ "stateVersion": 8, "directoryType": "ldap" }',
        /"directoryType" must be a directory type code/,
      ],
      ['{ "stateVersion": 2 }', /state version 2 is too old/],
      ['{ "stateVersion": 9, "sync": {} }', /newer official Directory Connector/],
    ])(
      'refuses %j, naming the file and the problem, and leaves it untouched',
      async (content, problem) => {
        const store = folderWith(content);
        const error = await store.read().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StateCorruptError);
        expect((error as StateCorruptError).code).toBe('STATE_CORRUPT');
        expect((error as Error).message).toContain(store.filePath);
        expect((error as Error).message).toMatch(problem);
        await expect(store.update((s) => ({ ...s, organizationId: 'x' }))).rejects.toBeInstanceOf(
          StateCorruptError,
        );
        expect(readFileSync(store.filePath, 'utf8')).toBe(content);
        expect(existsSync(`${store.filePath}.v8.bak`)).toBe(false);
      },
    );

    it('reports an unreadable file as such', async () => {
      if (process.getuid?.() === 0) {
        // root reads any file; a directory in data.json's place is unreadable as a file for everyone.
        const dir = tempDir();
        const store = StateStore.open(dir);
        mkdirSync(store.filePath);
        await expect(store.read()).rejects.toThrow(/cannot be read \(EISDIR\)/);
      } else {
        const store = folderWith('{}');
        chmodSync(store.filePath, 0o000);
        await expect(store.read()).rejects.toThrow(/cannot be read \(EACCES\)/);
      }
    });

    it('says where the JSON breaks without quoting the file', async () => {
      const store = folderWith('{\n  "apiKeyClientSecret": "s3cr3t-value",\n  oops\n}');
      const error = (await store.read().catch((e: unknown) => e)) as StateCorruptError;
      expect(error.message).toMatch(/is not valid JSON \(at line 3, column 3\)/);
      expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(
        's3cr3t',
      );
      const other = folderWith('{"apiKeyClientSecret": s3cr3t-value}');
      const second = (await other.read().catch((e: unknown) => e)) as StateCorruptError;
      expect(second.message).toMatch(/is not valid JSON\./);
      expect(second.message).not.toContain('s3cr3t');
    });

    it('does not show a value in the wrong place, which might be a secret', async () => {
      const store = folderWith(
        '{ "stateVersion": 9, "writtenBy": "bwdc", "organizationId": ["hunter2-secret"] }',
      );
      await expect(store.read()).rejects.toThrow(/"organizationId" must be a string, found a list/);
      await expect(store.read()).rejects.not.toThrow(/hunter2/);
    });
  });

  describe('the checkpoint', () => {
    const members = [
      { externalId: 'u1', email: 'a@example.com' },
      { externalId: 'u2', email: 'b@example.com' },
    ];

    it('round-trips and keeps managed members per organization and directory', async () => {
      const store = StateStore.open(tempDir());
      await store.update((s) => ({
        ...s,
        organizationId: 'org-1',
        directoryType: DirectoryType.Ldap,
        checkpoint: {
          lastSyncHash: 'h1',
          cursor: 'c1',
          lastUserSync: '2026-01-01T00:00:00.000Z',
          managedMembers: members,
        },
      }));
      expect((await store.read()).checkpoint).toEqual({
        lastSyncHash: 'h1',
        cursor: 'c1',
        lastUserSync: '2026-01-01T00:00:00.000Z',
        managedMembers: members,
      });

      // Another organization starts with no list and no cursor; the first one's list is kept for it.
      const other = await store.update((s) => selectTarget(s, { organizationId: 'org-2' }));
      expect(other.checkpoint).toEqual({ lastSyncHash: 'h1' });
      await store.update((s) => ({
        ...s,
        checkpoint: { ...s.checkpoint, managedMembers: [members[0]!] },
      }));
      expect((await store.read()).checkpoint.managedMembers).toEqual([members[0]]);
      const back = await store.update((s) => selectTarget(s, { organizationId: 'org-1' }));
      expect(back.checkpoint.managedMembers).toEqual(members);
    });

    it('clear-cache forgets hash, cursor and times but not the managed members or group counts', async () => {
      const store = StateStore.open(tempDir());
      await store.update((s) => ({
        ...s,
        checkpoint: {
          lastSyncHash: 'h',
          cursor: 'c',
          managedMembers: members,
          groupMemberCounts: { g1: 2 },
        },
      }));
      const cleared = await store.update(clearSyncCache);
      expect(cleared.checkpoint).toEqual({ managedMembers: members, groupMemberCounts: { g1: 2 } });
    });

    it('keeps the group member counts with the pair, and counts without a member list', async () => {
      const dir = tempDir();
      const store = StateStore.open(dir);
      await store.update((s) => ({
        ...s,
        organizationId: 'org-1',
        directoryType: DirectoryType.Ldap,
        checkpoint: { groupMemberCounts: { 'cn=staff': 12, 'cn=empty': 0 } },
      }));
      expect((await store.read()).checkpoint).toEqual({
        groupMemberCounts: { 'cn=staff': 12, 'cn=empty': 0 },
      });
      const doc = JSON.parse(readFileSync(path.join(dir, 'data.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(doc.managedMembers).toEqual([
        {
          organizationId: 'org-1',
          directoryType: DirectoryType.Ldap,
          groupMemberCounts: { 'cn=staff': 12, 'cn=empty': 0 },
        },
      ]);
      // A later commit with members only keeps the counts; one with counts only keeps the members.
      await store.update((s) => ({ ...s, checkpoint: { managedMembers: members } }));
      expect((await store.read()).checkpoint).toEqual({
        managedMembers: members,
        groupMemberCounts: { 'cn=staff': 12, 'cn=empty': 0 },
      });
      const other = await store.update((s) => selectTarget(s, { organizationId: 'org-2' }));
      expect(other.checkpoint.groupMemberCounts).toBeUndefined();
    });

    it('refuses group counts that are not whole numbers, naming the key', async () => {
      const dir = tempDir();
      writeFileSync(
        path.join(dir, 'data.json'),
        JSON.stringify({
          stateVersion: 9,
          writtenBy: 'bwdc',
          managedMembers: [
            { organizationId: null, directoryType: null, groupMemberCounts: { g: 'x' } },
          ],
        }),
      );
      await expect(StateStore.open(dir).read()).rejects.toThrow(/"managedMembers" must be/);
    });
  });

  describe('a store that only reads settings', () => {
    const members = [
      { externalId: 'u1', email: 'a@example.com' },
      { externalId: 'u2', email: 'b@example.com' },
    ];
    const synced = async (dir: string): Promise<void> => {
      await StateStore.open(dir).update((s) => ({
        ...s,
        organizationId: 'org-1',
        directoryType: DirectoryType.Ldap,
        directories: { ldap: { hostname: 'ldap.example.com' } },
        checkpoint: { lastSyncHash: 'h1', managedMembers: members, groupMemberCounts: { g: 2 } },
      }));
    };

    it('reads the settings without the member lists, which every write keeps last', async () => {
      const dir = tempDir();
      await synced(dir);
      const doc = JSON.parse(readFileSync(path.join(dir, 'data.json'), 'utf8')) as object;
      expect(Object.keys(doc).at(-1)).toBe('managedMembers');
      const state = await StateStore.open(dir, { settingsOnly: true }).read();
      expect(state.directories.ldap).toEqual({ hostname: 'ldap.example.com' });
      expect(state.organizationId).toBe('org-1');
      expect(state.checkpoint).toEqual({ lastSyncHash: 'h1' });
      expect((await StateStore.open(dir).read()).checkpoint.managedMembers).toEqual(members);
    });

    it('keeps the member lists when it writes', async () => {
      const dir = tempDir();
      await synced(dir);
      const store = StateStore.open(dir, { settingsOnly: true });
      await store.read();
      await store.update((s) => ({
        ...s,
        directories: { ldap: { hostname: 'other.example.com' } },
      }));
      const state = await StateStore.open(dir).read();
      expect(state.directories.ldap).toEqual({ hostname: 'other.example.com' });
      expect(state.checkpoint.managedMembers).toEqual(members);
      expect(state.checkpoint.groupMemberCounts).toEqual({ g: 2 });
    });

    it('reads a file laid out otherwise whole, and refuses one cut short as any read does', async () => {
      const dir = tempDir();
      await synced(dir);
      const file = path.join(dir, 'data.json');
      const { managedMembers, ...rest } = JSON.parse(readFileSync(file, 'utf8')) as Record<
        string,
        unknown
      >;
      // An older bwdc wrote the lists before other keys.
      writeFileSync(file, JSON.stringify({ managedMembers, ...rest }, null, 2));
      const older = await StateStore.open(dir, { settingsOnly: true }).read();
      expect(older.checkpoint.managedMembers).toEqual(members);

      await synced(dir);
      const whole = readFileSync(file, 'utf8');
      writeFileSync(file, whole.slice(0, whole.length - 20));
      await expect(StateStore.open(dir, { settingsOnly: true }).read()).rejects.toThrow(
        StateCorruptError,
      );
    });
  });

  describe('plaintext secrets', () => {
    it('keeps them as top-level keys named as upstream names them, outside the model', async () => {
      const store = StateStore.open(tempDir());
      const secrets = store.plaintextSecrets();
      await secrets.write({ apiKeyClientSecret: 'top-secret-1', 'secretLdap:c1': 'ldap-pw-2' });
      await secrets.update((v) => ({ ...v, accessToken: 'token-3' }));
      expect(await secrets.read()).toEqual({
        apiKeyClientSecret: 'top-secret-1',
        'secretLdap:c1': 'ldap-pw-2',
        accessToken: 'token-3',
      });
      expect(JSON.parse(readFileSync(store.filePath, 'utf8'))).toMatchObject({
        apiKeyClientSecret: 'top-secret-1',
      });

      const state = await store.read();
      expect(JSON.stringify(state)).not.toMatch(/top-secret-1|ldap-pw-2|token-3/);
      // Writing the model back keeps them, and a secret slipped into the model is not written.
      await store.update((s) => ({
        ...s,
        preserved: { ...s.preserved, apiKeyClientId: 'sneaked-in' },
      }));
      expect(await secrets.read()).toEqual({
        apiKeyClientSecret: 'top-secret-1',
        'secretLdap:c1': 'ldap-pw-2',
        accessToken: 'token-3',
      });
      await expect(secrets.write({ sync: 'x' })).rejects.toThrow(/not a secret key/);
    });
  });

  describe('withLock', () => {
    it('refuses a second holder at once with a clear message, and lets update run inside', async () => {
      const store = StateStore.open(tempDir());
      await store.withLock(async () => {
        const error = await StateStore.open(store.dataDir)
          .withLock(async () => 'never')
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StateLockedError);
        expect((error as StateLockedError).code).toBe('STATE_LOCKED');
        expect((error as Error).message).toMatch(
          new RegExp(`Cannot start a sync in .*: process ${process.pid} on .* holds the lock`),
        );
        expect((error as StateLockedError).actions.join(' ')).toMatch(
          /Wait for the other bwdc process/,
        );
        await store.update((s) => ({ ...s, organizationId: 'inside' }));
      });
      expect((await store.read()).organizationId).toBe('inside');
    });

    it('lets a waiting holder in when the first one finishes', async () => {
      const store = StateStore.open(tempDir());
      const order: string[] = [];
      let releaseFirst!: () => void;
      const first = store.withLock(async () => {
        order.push('first in');
        await new Promise<void>((resolve) => (releaseFirst = resolve));
        order.push('first out');
      });
      while (!order.length) await new Promise((r) => setTimeout(r, 5));
      const second = store.withLock(async () => void order.push('second in'), { wait: true });
      await new Promise((r) => setTimeout(r, 200));
      expect(order).toEqual(['first in']);
      releaseFirst();
      await Promise.all([first, second]);
      expect(order).toEqual(['first in', 'first out', 'second in']);
    });

    it('releases the lock when the function throws', async () => {
      const store = StateStore.open(tempDir());
      await expect(store.withLock(async () => Promise.reject(new Error('boom')))).rejects.toThrow(
        'boom',
      );
      await expect(store.withLock(async () => 'again')).resolves.toBe('again');
    });
  });
});
