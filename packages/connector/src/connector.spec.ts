import 'reflect-metadata';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BwdcError,
  DirectoryType,
  LOGIN_SECRET_KEYS,
  silentLogger,
  type DirectoryConfig,
  type DirectoryUser,
  type ImportRequest,
  type SyncConfig,
} from '@bwdc/core';
import { InMemoryDirectoryProvider } from '@bwdc/directory-provider';
import { InMemorySecretStore } from '@bwdc/secure-storage';
import { SafetyLimitError, SyncEngine, type SyncContext } from '@bwdc/sync-engine';
import { Connector } from './connector';
import { connectorContainer } from './create-connector';
import { NoDirectoryError, NotLoggedInError } from './errors';
import {
  BITWARDEN_CLIENT_FACTORY,
  DIRECTORY_PROVIDER_FACTORY,
  SECRET_STORE,
  SYNC_ENGINE_FACTORY,
  type BitwardenClient,
  type BitwardenClientSettings,
} from './tokens';

const ORG = '3f1c2a4e-0000-4000-8000-000000000001';
const CLIENT_ID = `organization.${ORG}`;
const SECRET = 'the-client-secret';
const NOW = new Date('2026-11-26T08:00:00.000Z');
const OFFICIAL_V8 = join(__dirname, '../../state/test/fixtures/official-v8-data.json');

function person(name: string): DirectoryUser {
  return {
    externalId: `id-${name}`,
    referenceId: `uid=${name},ou=people,dc=example,dc=com`,
    email: `${name}@example.com`,
    disabled: false,
    deleted: false,
  };
}

/** The Bitwarden server as the facade sees it: checks the API key, records imports. */
class FakeBitwarden {
  readonly clients: BitwardenClientSettings[] = [];
  readonly posted: ImportRequest[] = [];
  open = 0;

  readonly factory = async (settings: BitwardenClientSettings): Promise<BitwardenClient> => {
    this.clients.push(settings);
    this.open++;
    const posted = this.posted;
    let accessToken: string | undefined;
    return {
      organizationId: settings.clientId.slice('organization.'.length),
      get accessToken() {
        return accessToken;
      },
      login: async () => {
        if (settings.clientSecret !== SECRET)
          throw new BwdcError('BITWARDEN_AUTH_FAILED', 'invalid_client');
        accessToken = `token-${this.clients.length}`;
      },
      importOrganization: async (request) => void posted.push(request),
      // Like Vaultwarden: no member routes, so a sync names its removals from the plan.
      readOrganization: async () => {
        throw new BwdcError('BITWARDEN_REQUEST_FAILED', 'This server has no member routes.');
      },
      close: async () => void this.open--,
    };
  };
}

/** A connector over a temp data folder, with fakes registered through its container. */
function setup(dataDir = mkdtempSync(join(tmpdir(), 'bwdc-connector-')), initialSecrets = {}) {
  const container = connectorContainer({ dataDir, env: {} });
  const secrets = new InMemorySecretStore(initialSecrets);
  const bitwarden = new FakeBitwarden();
  const directory = new InMemoryDirectoryProvider({
    users: Array.from({ length: 10 }, (_, i) => person(`u${i}`)),
  });
  const providersBuilt: { directory: DirectoryConfig; sync: SyncConfig }[] = [];
  const contexts: SyncContext[] = [];
  container.register(SECRET_STORE, { useValue: secrets });
  container.register(BITWARDEN_CLIENT_FACTORY, { useValue: bitwarden.factory });
  container.register(DIRECTORY_PROVIDER_FACTORY, {
    useValue: async (config: DirectoryConfig, sync: SyncConfig) => {
      providersBuilt.push({ directory: config, sync });
      return directory;
    },
  });
  container.register(SYNC_ENGINE_FACTORY, {
    useValue: (deps) => {
      contexts.push(deps.context);
      return new SyncEngine({ ...deps, logger: silentLogger, now: () => NOW });
    },
  });
  const connector = container.resolve(Connector);
  const file = () => readFileSync(join(dataDir, 'data.json'), 'utf8');
  return { dataDir, connector, secrets, bitwarden, directory, providersBuilt, contexts, file };
}

async function configuredAndLoggedIn() {
  const s = setup();
  await s.connector.config.set('directory', 'ldap');
  await s.connector.config.set('ldap.hostname', 'dc1.example.com');
  await s.connector.config.set('ldap.password', 'ldap-secret');
  await s.connector.config.set('server', 'https://vault.example.com');
  await s.connector.config.set('sync.users', 'true');
  await s.connector.login(CLIENT_ID, SECRET);
  return s;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const track = <T extends { dataDir: string }>(s: T): T => (made.push(s.dataDir), s);

describe('Connector (fakes registered through its container, real data.json in a temp folder)', () => {
  it('logs in: checks the key with the server, then keeps it and the organization', async () => {
    const { connector, secrets, bitwarden, file } = track(setup());
    expect(await connector.status()).toMatchObject({ loggedIn: false, organizationId: undefined });
    await connector.config.set('server', 'https://vault.example.com');

    expect(await connector.login(` ${CLIENT_ID} `, `${SECRET}\n`)).toEqual({ organizationId: ORG });

    expect(bitwarden.clients).toEqual([
      expect.objectContaining({
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        urls: expect.objectContaining({ api: 'https://vault.example.com/api' }),
      }),
    ]);
    // The server knows this installation by data.json's appId.
    expect(bitwarden.clients[0]!.deviceIdentifier).toBe(
      (JSON.parse(file()) as { appId: string }).appId,
    );
    expect(bitwarden.open).toBe(0);
    expect(await secrets.get(LOGIN_SECRET_KEYS.apiKeyClientSecret)).toBe(SECRET);
    expect(await connector.status()).toMatchObject({ loggedIn: true, organizationId: ORG });
  });

  it('keeps nothing when the server refuses the key, and refuses a key that is not an organization key', async () => {
    const { connector, secrets, bitwarden, file } = track(setup());
    await connector.config.set('directory', 'ldap');
    const before = file();

    await expect(connector.login(CLIENT_ID, 'wrong')).rejects.toMatchObject({
      code: 'BITWARDEN_AUTH_FAILED',
    });
    expect(bitwarden.open).toBe(0);
    await expect(connector.login('user.1234', SECRET)).rejects.toMatchObject({
      code: 'BITWARDEN_AUTH_FAILED',
      message: expect.stringContaining('organization API key'),
    });
    expect(bitwarden.clients).toHaveLength(1);
    expect(secrets.keys()).toEqual([]);
    expect(file()).toBe(before);
    expect((await connector.status()).loggedIn).toBe(false);
  });

  it('logs out: forgets the key and tokens, keeps the organization, and runs refuse until the next login', async () => {
    const { connector, secrets } = track(await configuredAndLoggedIn());
    await connector.logout();
    expect(secrets.keys()).not.toContain(LOGIN_SECRET_KEYS.apiKeyClientId);
    expect(secrets.keys()).not.toContain(LOGIN_SECRET_KEYS.apiKeyClientSecret);
    expect(secrets.keys()).not.toContain(LOGIN_SECRET_KEYS.accessToken);
    expect(await connector.status()).toMatchObject({ loggedIn: false, organizationId: ORG });
    await expect(connector.test()).rejects.toBeInstanceOf(NotLoggedInError);
    await expect(connector.sync()).rejects.toBeInstanceOf(NotLoggedInError);
  });

  it('refuses to run without a configured directory', async () => {
    const { connector } = track(setup());
    await connector.login(CLIENT_ID, SECRET);
    await expect(connector.test()).rejects.toBeInstanceOf(NoDirectoryError);
  });

  it('tests: builds the configured provider with its secret, and posts and saves nothing', async () => {
    const { connector, bitwarden, providersBuilt, contexts, file } = track(
      await configuredAndLoggedIn(),
    );
    const before = file();

    const result = await connector.test();

    expect(result.object).toBe('test');
    expect(result.enabledUsers.map((u) => u.displayName)).toHaveLength(10);
    expect(providersBuilt).toHaveLength(1);
    const { directory, sync } = providersBuilt[0]!;
    expect(directory.type).toBe(DirectoryType.Ldap);
    expect(directory.config).toMatchObject({
      hostname: 'dc1.example.com',
      password: 'ldap-secret',
    });
    expect(sync.users).toBe(true);
    expect(contexts).toEqual([{ organizationId: ORG, apiUrl: 'https://vault.example.com/api' }]);
    expect(bitwarden.posted).toEqual([]);
    expect(bitwarden.open).toBe(0);
    expect(file()).toBe(before);
  });

  it('syncs: posts the plan, then saves the checkpoint; an unchanged directory posts nothing', async () => {
    const { connector, bitwarden } = track(await configuredAndLoggedIn());

    const report = await connector.sync();

    expect(report.requestsSent).toBe(1);
    expect(bitwarden.posted[0]!.members).toHaveLength(10);
    expect(bitwarden.open).toBe(0);
    expect(await connector.status()).toMatchObject({
      loggedIn: true,
      directoryType: DirectoryType.Ldap,
      lastUserSync: NOW.toISOString(),
    });
    expect(await connector.lastSync('users')).toBe(NOW.toISOString());

    const again = await connector.sync();
    expect(again.skippedUnchanged).toBe(true);
    expect(bitwarden.posted).toHaveLength(1);
  });

  it('refuses a sync that removes too many members, saves nothing, and goes through when forced', async () => {
    const { connector, bitwarden, directory, file } = track(await configuredAndLoggedIn());
    await connector.sync();
    directory.users = directory.users.slice(0, 6);
    const before = file();

    const error = await connector.sync().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SafetyLimitError);
    expect((error as SafetyLimitError).wouldRemove.map((m) => m.email)).toEqual([
      'u6@example.com',
      'u7@example.com',
      'u8@example.com',
      'u9@example.com',
    ]);
    expect(bitwarden.posted).toHaveLength(1);
    expect(file()).toBe(before);

    const forced = await connector.sync({ force: true });
    expect(forced.forced).toBe(true);
    expect(bitwarden.posted[1]!.members.filter((m) => m.deleted)).toHaveLength(4);
  });

  it("runs from an official connector's data.json (state version 8) and its keychain entries", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bwdc-connector-'));
    copyFileSync(OFFICIAL_V8, join(dataDir, 'data.json'));
    const official = JSON.parse(readFileSync(OFFICIAL_V8, 'utf8')) as { organizationId: string };
    const { connector, providersBuilt } = track(
      setup(dataDir, {
        [LOGIN_SECRET_KEYS.apiKeyClientId]: `organization.${official.organizationId}`,
        [LOGIN_SECRET_KEYS.apiKeyClientSecret]: SECRET,
        [LOGIN_SECRET_KEYS.accessToken]: 'an-access-token-the-official-connector-kept',
        secretLdap: 'ldap-secret',
      }),
    );

    expect(await connector.status()).toEqual({
      loggedIn: true,
      organizationId: official.organizationId,
      directoryType: DirectoryType.Ldap,
      lastUserSync: '2026-11-20T08:15:00.000Z',
      lastGroupSync: '2026-11-20T08:15:01.000Z',
    });
    await connector.verifyDirectory();
    expect(providersBuilt[0]!.directory).toMatchObject({
      type: DirectoryType.Ldap,
      config: { hostname: 'ldap.example.com', port: 636, password: 'ldap-secret' },
    });
    expect(providersBuilt[0]!.sync).toMatchObject({
      userFilter: '(memberOf=cn=staff,ou=groups,dc=example,dc=com)',
      largeImport: true,
    });
  });

  it('gives each data folder its own container: connectors side by side share nothing', async () => {
    const one = track(await configuredAndLoggedIn());
    const two = track(setup());
    expect(one.connector.config).not.toBe(two.connector.config);
    expect((await two.connector.status()).loggedIn).toBe(false);
    await one.connector.sync();
    expect(await two.connector.lastSync('users')).toBeUndefined();
    expect(two.bitwarden.clients).toEqual([]);
  });
});
