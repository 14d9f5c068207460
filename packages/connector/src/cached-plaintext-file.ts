import { stat } from 'node:fs/promises';
import type { PlaintextSecretFile } from '@bwdc/secure-storage';

/**
 * data.json's secrets, read once per version of the file. Each read of the state store's adapter
 * parses all of data.json, which after a sync of a large organization holds megabytes of managed
 * members (13.5 MB for 100k), and one run reads secrets half a dozen times. A write here forgets
 * the copy; a write by anyone else changes the file's identity (data.json is replaced, not
 * rewritten in place), so it is read again.
 */
export function cachedPlaintextFile(file: PlaintextSecretFile, path: string): PlaintextSecretFile {
  let cached: { readonly version: string; readonly values: Record<string, string> } | undefined;
  const version = async (): Promise<string | undefined> => {
    try {
      const s = await stat(path, { bigint: true });
      return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch {
      return undefined;
    }
  };
  const update = file.update?.bind(file);
  return {
    async read() {
      const now = await version();
      if (now !== undefined && cached?.version === now) return { ...cached.values };
      const values = await file.read();
      cached = now === undefined ? undefined : { version: now, values: { ...values } };
      return values;
    },
    async write(values) {
      cached = undefined;
      await file.write(values);
    },
    ...(update
      ? {
          async update(fn: (values: Record<string, string>) => Record<string, string>) {
            cached = undefined;
            await update(fn);
          },
        }
      : {}),
  };
}
