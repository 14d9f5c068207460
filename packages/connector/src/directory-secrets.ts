import { randomUUID } from 'node:crypto';
import {
  BwdcError,
  DIRECTORY_SECTIONS,
  SECRET_PLACEHOLDER,
  type DirectorySection,
  type SecretRedactor,
} from '@bwdc/core';
import { scopedSecretKey, type SecretStore } from '@bwdc/secure-storage';

type RawSection = Record<string, unknown>;

/**
 * Ours, in a directory section: the setting whose change cleared the section's secret, so the
 * next run can say why the secret is missing. Removed when the secret is set again.
 */
export const SECRET_CLEARED_BY = 'secretClearedBy';

/** A secret that did not follow a change of server or account. */
export interface ClearedSecret {
  /** `ldap.password`. */
  readonly setting: string;
  /** The identity setting whose change cleared it: `ldap.hostname`. */
  readonly because: string;
}

/**
 * Gives the section a new id when an identity field changed (or it has none yet), as the official
 * connector does; `changed` names the identity fields that differ.
 */
export function withConfigId(
  section: DirectorySection,
  before: RawSection,
  after: RawSection,
): { section: RawSection; changed: readonly string[] } {
  const changed = DIRECTORY_SECTIONS[section].identityFields.filter(
    (f) => (before[f] ?? null) !== (after[f] ?? null),
  );
  if (typeof after.id === 'string' && after.id !== '' && changed.length === 0)
    return { section: after, changed };
  return { section: { ...after, id: randomUUID() }, changed };
}

/** True when the section holds a secret: the placeholder, or the secret itself in plaintext mode. */
export function hasSecret(section: DirectorySection, raw: RawSection): boolean {
  const field = DIRECTORY_SECTIONS[section].secret?.field;
  const value = field === undefined ? undefined : raw[field];
  return typeof value === 'string' && value !== '';
}

/**
 * `section.clearedBy`: after a change of an identity field, the section without its secret and
 * with a note of why, or undefined when there was no secret to clear.
 */
export function clearSecretAfterIdentityChange(
  section: DirectorySection,
  before: RawSection,
  next: RawSection,
  because: string,
): { section: RawSection; cleared: ClearedSecret } | undefined {
  const secret = DIRECTORY_SECTIONS[section].secret;
  if (!secret || !hasSecret(section, before)) return undefined;
  return {
    section: { ...next, [secret.field]: null, [SECRET_CLEARED_BY]: because },
    cleared: { setting: settingName(section, secret.field), because },
  };
}

/** What to tell the admin when a change cleared a secret. */
export function clearedSecretNotice(cleared: ClearedSecret): string {
  return (
    `${cleared.setting} was cleared because ${cleared.because} changed: a secret saved for one ` +
    `server or account is never sent to another. Set it again: bwdc config ${cleared.setting} <value>`
  );
}

/** The next run's error when a secret is missing because a change cleared it. */
export class SecretClearedError extends BwdcError {
  constructor(readonly cleared: ClearedSecret) {
    super(
      'DIRECTORY_NOT_CONFIGURED',
      `${cleared.setting} is not set: it was cleared when ${cleared.because} changed, because a ` +
        'secret saved for one server or account is never sent to another.',
      { actions: [`Set it again: bwdc config ${cleared.setting} <value>`] },
    );
  }
}

/**
 * Reads a directory's secret: the store's key scoped to the config id (an environment override
 * wins there), upstream's unscoped and former keys, then the section itself (plaintext mode, as
 * the official connector keeps it). A secret a change cleared is reported as such.
 */
export async function readDirectorySecret(
  secrets: SecretStore,
  section: DirectorySection,
  raw: RawSection,
  redactor: SecretRedactor,
): Promise<string | undefined> {
  const spec = DIRECTORY_SECTIONS[section].secret;
  if (!spec) return undefined;
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
  let value = id ? await secrets.get(scopedSecretKey(spec.storeKey, id)) : undefined;
  for (const key of [spec.storeKey, ...spec.formerStoreKeys]) {
    if (value !== undefined) break;
    value = await secrets.get(key);
  }
  const inline = raw[spec.field];
  if (
    value === undefined &&
    typeof inline === 'string' &&
    inline !== SECRET_PLACEHOLDER &&
    inline !== ''
  )
    value = inline;
  const clearedBy = raw[SECRET_CLEARED_BY];
  if (value === undefined && typeof clearedBy === 'string') {
    throw new SecretClearedError({ setting: settingName(section, spec.field), because: clearedBy });
  }
  redactor.register(value);
  return value;
}

/**
 * Saves a directory's secret (an empty value deletes it) and returns what the section's secret
 * field then holds. In the secret store: under the key scoped to the config id, the section holding
 * the placeholder. In plaintext mode (`inSection`): in the section itself, where the official
 * connector reads it, and any key an earlier bwdc kept it under is removed.
 */
export async function writeDirectorySecret(
  secrets: SecretStore,
  section: DirectorySection,
  raw: RawSection,
  value: string | undefined,
  inSection: boolean,
): Promise<string | null> {
  const spec = DIRECTORY_SECTIONS[section].secret;
  if (!spec) return null;
  if (value === undefined || value === '' || inSection) {
    await forgetDirectorySecret(secrets, section, raw);
    return value === undefined || value === '' ? null : value;
  }
  await secrets.set(scopedSecretKey(spec.storeKey, String(raw.id)), value);
  return SECRET_PLACEHOLDER;
}

/** Deletes a directory's secret from the store: its scoped key, and upstream's unscoped and former keys. */
export async function forgetDirectorySecret(
  secrets: SecretStore,
  section: DirectorySection,
  raw: RawSection,
): Promise<void> {
  const spec = DIRECTORY_SECTIONS[section].secret;
  if (!spec) return;
  const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
  for (const key of [spec.storeKey, ...spec.formerStoreKeys]) {
    if (id) await secrets.delete(scopedSecretKey(key, id));
    await secrets.delete(key);
  }
}

/** The catalogue's name of a section's field: `ldap.password`. */
function settingName(section: DirectorySection, field: string): string {
  return `${section}.${field}`;
}
