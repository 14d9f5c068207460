import { SecretStoreUnavailableError } from './errors';
import { KeychainSecretStore, classifyKeychainError, type KeytarLike } from './keychain';

function fakeKeytar(): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) =>
      void entries.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
  };
}

describe('KeychainSecretStore', () => {
  it('stores values JSON-encoded under the official service name, as the official connector does', async () => {
    const keytar = fakeKeytar();
    const store = new KeychainSecretStore({ load: () => keytar });
    await store.set('secretLdap:c1', 'pa"ss');
    expect(keytar.entries.get('Bitwarden Directory Connector/secretLdap:c1')).toBe('"pa\\"ss"');
    expect(await store.get('secretLdap:c1')).toBe('pa"ss');
    await store.delete('secretLdap:c1');
    await store.delete('secretLdap:c1');
    expect(await store.get('secretLdap:c1')).toBeUndefined();
  });

  it('reads entries stored bare by keytar-era versions', async () => {
    const keytar = fakeKeytar();
    keytar.entries.set('Bitwarden Directory Connector/secretOkta', 'bare-token');
    keytar.entries.set('Bitwarden Directory Connector/secretLdap', '12345');
    const store = new KeychainSecretStore({ load: () => keytar });
    expect(await store.get('secretOkta')).toBe('bare-token');
    expect(await store.get('secretLdap')).toBe('12345');
  });

  it('turns a module that cannot load into advice, not a crash, and only when used', async () => {
    let loads = 0;
    const store = new KeychainSecretStore({
      load: () => {
        loads++;
        throw new Error(
          'libsecret-1.so.0: cannot open shared object file: No such file or directory',
        );
      },
    });
    expect(loads).toBe(0);
    const error = await store
      .set('apiKeyClientSecret', 'value-never-shown')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
    const e = error as SecretStoreUnavailableError;
    expect(e.code).toBe('SECRET_STORE_FAILED');
    expect(e.problem).toBe('libsecret-missing');
    expect(e.message).toMatch(
      /Cannot save the organization API key \(client_secret\) in the OS keychain: libsecret .* is not installed/,
    );
    // The store's account names are internal: the admin reads what the secret is.
    expect(e.message).not.toContain('apiKeyClientSecret');
    expect(e.actions.join('\n')).toContain('--secretenv');
    expect(e.actions.join('\n')).toMatch(/apt-get install libsecret-1-0/);
    expect(e.actions.join('\n')).toMatch(/BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true/);
    expect(e.actions.join('\n')).toMatch(/BW_CLIENTSECRET/);
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('value-never-shown');
  });

  it('checkAvailable resolves when the keychain answers and explains when it does not', async () => {
    await expect(
      new KeychainSecretStore({ load: () => fakeKeytar() }).checkAvailable(),
    ).resolves.toBeUndefined();
    const broken = fakeKeytar();
    broken.getPassword = async () =>
      Promise.reject(new Error('Cannot create an item in a locked collection'));
    await expect(
      new KeychainSecretStore({ load: () => broken }).checkAvailable(),
    ).rejects.toMatchObject({
      problem: 'keyring-locked',
      message: expect.stringMatching(/^Cannot reach the OS keychain: the keyring is locked/),
    });
  });

  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'no-dbus-session'],
    ['Could not connect: No such file or directory', 'no-dbus-session'],
    [
      'The name org.freedesktop.secrets was not provided by any .service files',
      'no-secret-service',
    ],
    ['Cannot create an item in a locked collection', 'keyring-locked'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'keyring-locked'],
    [
      'libsecret-1.so.0: cannot open shared object file: No such file or directory',
      'libsecret-missing',
    ],
    ["Cannot find module '@github/keytar'", 'keychain-module-missing'],
    ['Something else entirely', 'unknown'],
  ])('classifies "%s" as %s', (message, problem) => {
    expect(
      classifyKeychainError(new Error(message), { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }),
    ).toBe(problem);
  });
});
