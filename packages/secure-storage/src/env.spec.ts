import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EnvOverlaySecretStore, SECRET_ENV_VARIABLES } from './env';
import { SecretStoreUnavailableError } from './errors';
import { InMemorySecretStore, type SecretStore } from './secret-store';

function file(content: string): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'bwdc-secret-')), 'secret');
  writeFileSync(f, content, { mode: 0o600 });
  return f;
}

class UnreachableStore implements SecretStore {
  readonly kind = 'keychain';
  async get(): Promise<string | undefined> {
    throw new SecretStoreUnavailableError('no-dbus-session', 'read');
  }
  async set(): Promise<void> {
    throw new SecretStoreUnavailableError('no-dbus-session', 'save');
  }
  async delete(): Promise<void> {
    throw new SecretStoreUnavailableError('no-dbus-session', 'delete');
  }
}

describe('EnvOverlaySecretStore', () => {
  it('documents one variable per secret', () => {
    expect(SECRET_ENV_VARIABLES).toMatchObject({
      apiKeyClientId: 'BW_CLIENTID',
      apiKeyClientSecret: 'BW_CLIENTSECRET',
      secretLdap: 'BWDC_LDAP_PASSWORD',
      secretEntra: 'BWDC_ENTRA_KEY',
      secretAzure: 'BWDC_ENTRA_KEY',
      secretGsuite: 'BWDC_GSUITE_PRIVATE_KEY',
      secretOkta: 'BWDC_OKTA_TOKEN',
      secretOneLogin: 'BWDC_ONELOGIN_SECRET',
    });
  });

  it('prefers the environment over the store, for every configuration id', async () => {
    const base = new InMemorySecretStore({ 'secretLdap:c1': 'stored', secretOkta: 'stored-okta' });
    const store = new EnvOverlaySecretStore(base, { BWDC_LDAP_PASSWORD: 'from-env' });
    expect(store.kind).toBe('env+memory');
    expect(await store.get('secretLdap:c1')).toBe('from-env');
    expect(await store.get('secretLdap')).toBe('from-env');
    expect(await store.get('secretOkta')).toBe('stored-okta');
    expect(new EnvOverlaySecretStore(base, {}).kind).toBe('memory');
  });

  it('reads <NAME>_FILE without its trailing newline; the variable itself wins over the file', async () => {
    const env = {
      BW_CLIENTSECRET_FILE: file('file-secret\n'),
      BWDC_OKTA_TOKEN_FILE: file('file-token'),
      BWDC_OKTA_TOKEN: 'direct',
    };
    const store = new EnvOverlaySecretStore(new InMemorySecretStore(), env);
    expect(await store.get('apiKeyClientSecret')).toBe('file-secret');
    expect(await store.get('secretOkta')).toBe('direct');
  });

  it('turns \\n in a Google private key into line breaks', async () => {
    const store = new EnvOverlaySecretStore(new InMemorySecretStore(), {
      BWDC_GSUITE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    });
    expect(await store.get('secretGsuite:g1')).toBe(
      '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
    );
  });

  it('names the variable and file it cannot read, never a value', async () => {
    const store = new EnvOverlaySecretStore(new InMemorySecretStore(), {
      BWDC_ENTRA_KEY_FILE: '/nonexistent/entra.key',
    });
    const error = await store.get('secretEntra:e1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
    expect((error as Error).message).toMatch(
      /Cannot read BWDC_ENTRA_KEY_FILE: .*\/nonexistent\/entra.key: ENOENT/,
    );
  });

  // `BW_CLIENTID=... BW_CLIENTSECRET=... bwdc login` must keep the key for later runs without
  // the variables, as the official CLI does; reads still prefer the environment.
  it('stores what is saved even when the environment supplies the same value', async () => {
    const base = new InMemorySecretStore();
    const store = new EnvOverlaySecretStore(base, {
      BW_CLIENTID: 'organization.x',
      BW_CLIENTSECRET: 's',
    });
    await store.set('apiKeyClientId', 'organization.x');
    expect(await base.get('apiKeyClientId')).toBe('organization.x');
    await store.set('apiKeyClientId', 'organization.other');
    expect(await base.get('apiKeyClientId')).toBe('organization.other');
    expect(await store.get('apiKeyClientId')).toBe('organization.x');
  });

  it('keeps login tokens in memory when the keychain is unreachable and the API key comes from the environment', async () => {
    const store = new EnvOverlaySecretStore(new UnreachableStore(), {
      BW_CLIENTID: 'organization.x',
      BW_CLIENTSECRET: 's',
    });
    expect(await store.get('apiKeyClientSecret')).toBe('s');
    await store.set('accessToken', 'token-1');
    expect(await store.get('accessToken')).toBe('token-1');
    await store.delete('accessToken');
    await store.set('apiKeyClientSecret', 's');
    await expect(store.get('accessToken')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    // A directory secret has no such fallback: it is reported.
    await expect(store.set('secretLdap', 'pw')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
  });

  it('keeps nothing in memory without the API key in the environment', async () => {
    const store = new EnvOverlaySecretStore(new UnreachableStore(), {});
    await expect(store.set('accessToken', 'token-1')).rejects.toBeInstanceOf(
      SecretStoreUnavailableError,
    );
  });
});
