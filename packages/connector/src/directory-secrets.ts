import { randomUUID } from 'node:crypto';
import { SECRET_FIELDS, type ConfigSection, type SecretRedactor } from '@bwdc/core';
import { scopedSecretKey, type SecretStore } from '@bwdc/secure-storage';

/** What data.json holds where a secret would be, as the official connector writes it. */
export const SECRET_PLACEHOLDER = '[STORED SECURELY]';

type DirectorySection = Exclude<ConfigSection, 'sync'>;
type RawSection = Record<string, unknown>;

/**
 * The fields that say which account a directory configuration talks to. When one changes, the
 * configuration gets a new id, so a secret saved for one server is never sent to another.
 */
const IDENTITY_FIELDS: Readonly<Partial<Record<DirectorySection, readonly string[]>>> = {
  ldap: ['hostname', 'domain', 'username'],
  entra: ['tenant', 'applicationId'],
  okta: ['orgUrl'],
  gsuite: ['clientEmail', 'domain', 'customer'],
  onelogin: ['clientId', 'region'],
};

/** Gives the section a new id when an identity field changed (or it has none yet). */
export function withConfigId(
  section: DirectorySection,
  before: RawSection,
  after: RawSection,
): RawSection {
  const fields = IDENTITY_FIELDS[section] ?? [];
  const changed = fields.some((f) => (before[f] ?? null) !== (after[f] ?? null));
  if (typeof after.id === 'string' && after.id !== '' && !changed) return after;
  return { ...after, id: randomUUID() };
}

/** Reads a directory's secret: the key scoped to the config id, then upstream's unscoped key. */
export async function readDirectorySecret(
  secrets: SecretStore,
  section: DirectorySection,
  raw: RawSection,
  redactor: SecretRedactor,
): Promise<string | undefined> {
  const spec = SECRET_FIELDS[section];
  if (!spec) return undefined;
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
  let value = id ? await secrets.get(scopedSecretKey(spec.legacyKey, id)) : undefined;
  if (value === undefined) value = await secrets.get(spec.legacyKey);
  if (value === undefined && section === 'entra') value = await secrets.get('secretAzure');
  // A plaintext data.json keeps the secret in the section itself.
  const inline = raw[spec.field];
  if (
    value === undefined &&
    typeof inline === 'string' &&
    inline !== SECRET_PLACEHOLDER &&
    inline !== ''
  )
    value = inline;
  redactor.register(value);
  return value;
}

/** Saves (or, for an empty value, deletes) a directory's secret under its scoped key. */
export async function writeDirectorySecret(
  secrets: SecretStore,
  section: DirectorySection,
  raw: RawSection,
  value: string | undefined,
): Promise<void> {
  const spec = SECRET_FIELDS[section];
  if (!spec) return;
  const key = scopedSecretKey(spec.legacyKey, String(raw.id));
  if (value === undefined || value === '') {
    await secrets.delete(key);
    await secrets.delete(spec.legacyKey);
  } else {
    await secrets.set(key, value);
  }
}
