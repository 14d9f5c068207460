import { createSecretStore } from './create';
import { SecretStoreUnavailableError } from './errors';
import type { KeytarLike } from './keychain';

const neverLoaded = (): KeytarLike => {
  throw new Error('the keychain must not be touched here');
};

describe('createSecretStore', () => {
  it('uses data.json only when BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS is exactly "true"', async () => {
    const values: Record<string, string> = {};
    const plaintextFile = {
      read: async () => values,
      write: async (v: Record<string, string>) => void Object.assign(values, v),
    };
    const plain = createSecretStore({
      env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' },
      plaintextFile,
      loadKeychain: neverLoaded,
    });
    expect(plain.kind).toBe('plaintext');
    await plain.set('secretOkta', 't');
    expect(values).toEqual({ secretOkta: 't' });
    expect(
      createSecretStore({ env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: '1' }, plaintextFile })
        .kind,
    ).toBe('keychain');
  });

  it('refuses plaintext mode without a data.json adapter', () => {
    expect(() =>
      createSecretStore({ env: { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true' } }),
    ).toThrow(SecretStoreUnavailableError);
  });

  it('with the keychain off, serves overrides and says what to use when asked to save', async () => {
    const store = createSecretStore({
      env: { BW_CLIENTSECRET: 'env-secret' },
      keychain: 'off',
      loadKeychain: neverLoaded,
    });
    expect(store.kind).toBe('env+none');
    expect(await store.get('apiKeyClientSecret')).toBe('env-secret');
    expect(await store.get('secretLdap')).toBeUndefined();
    await expect(store.set('secretLdap', 'pw')).rejects.toThrow(/turned off.*/);
  });

  it('loads the keychain lazily: creating the store touches nothing', () => {
    expect(createSecretStore({ env: {}, loadKeychain: neverLoaded }).kind).toBe('keychain');
  });
});
