import { SecretStoreUnavailableError } from './errors';
import { PlaintextSecretStore, type PlaintextSecretFile } from './plaintext';

function memoryFile(
  withUpdate: boolean,
): PlaintextSecretFile & { values: Record<string, string>; updates: number } {
  const file = {
    values: {} as Record<string, string>,
    updates: 0,
    read: async () => ({ ...file.values }),
    write: async (v: Record<string, string>) => void (file.values = { ...v }),
    update: undefined as PlaintextSecretFile['update'],
  };
  if (withUpdate) {
    file.update = async (fn) => {
      file.updates++;
      file.values = fn({ ...file.values });
    };
  }
  return file;
}

describe('PlaintextSecretStore', () => {
  it.each([true, false])(
    'sets, reads and deletes through the file adapter (locked update: %s)',
    async (withUpdate) => {
      const file = memoryFile(withUpdate);
      const store = new PlaintextSecretStore(file);
      await store.set('apiKeyClientSecret', 's1');
      await store.set('secretLdap:c1', 'pw');
      expect(file.values).toEqual({ apiKeyClientSecret: 's1', 'secretLdap:c1': 'pw' });
      expect(await store.get('secretLdap:c1')).toBe('pw');
      await store.delete('apiKeyClientSecret');
      expect(await store.get('apiKeyClientSecret')).toBeUndefined();
      expect(await store.get('toString')).toBeUndefined();
      expect(file.updates).toBe(withUpdate ? 3 : 0);
    },
  );

  it("reports the adapter's failure with its message as detail", async () => {
    const store = new PlaintextSecretStore({
      read: async () => Promise.reject(new Error('/data/data.json: is not valid JSON')),
      write: async () => undefined,
    });
    const error = await store.get('accessToken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
    expect((error as Error).message).toMatch(
      /Cannot read the secret "accessToken" from data.json: .*is not valid JSON/,
    );
  });
});
