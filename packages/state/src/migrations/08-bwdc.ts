import { STORED_SECURELY, isRecord, type Migration, type StateDocument } from './types';

/** Our first version. Upstream's last is 8; a document at 9 or above carries this marker too. */
export const WRITTEN_BY = 'writtenBy';
export const BWDC = 'bwdc';
export const MIGRATED_FROM = 'migratedFrom';

/** Each directory's configuration key, its secret field and the secret's account name. */
const INLINE_SECRETS: ReadonlyArray<
  readonly [configKey: string, field: string, secretKey: string]
> = [
  ['directoryLdap', 'password', 'secretLdap'],
  ['directoryEntra', 'key', 'secretEntra'],
  ['directoryGsuite', 'privateKey', 'secretGsuite'],
  ['directoryOkta', 'token', 'secretOkta'],
  ['directoryOnelogin', 'clientSecret', 'secretOneLogin'],
];

/**
 * From the official connector's version 8 to bwdc's first.
 * - `sync.removeMissingUsers` is written as false: upstream never removed members that vanished
 *   from the directory, and an admin who switches must turn that on knowingly.
 * - A secret kept inline in a directory configuration (upstream's plaintext mode) moves to the
 *   top-level secret key with that configuration's id, and the placeholder takes its place, so
 *   configurations never carry secrets.
 * - Upstream's delta tokens are dropped: they belong to its Entra reader, and our providers keep
 *   their own cursor, so the next read is a full one.
 */
export const bwdcFirstVersion: Migration = {
  from: [8],
  to: 9,
  name: '08-bwdc',
  apply(document) {
    const out: StateDocument = { ...document, stateVersion: 9, [WRITTEN_BY]: BWDC };
    const sync = isRecord(document.sync) ? document.sync : {};
    if (sync.removeMissingUsers === undefined) out.sync = { ...sync, removeMissingUsers: false };

    for (const [configKey, field, secretKey] of INLINE_SECRETS) {
      const config = document[configKey];
      if (!isRecord(config)) continue;
      const value = config[field];
      if (typeof value !== 'string' || value === '' || value === STORED_SECURELY) continue;
      const id = typeof config.id === 'string' && config.id !== '' ? config.id : undefined;
      out[id ? `${secretKey}:${id}` : secretKey] = value;
      out[configKey] = { ...config, [field]: STORED_SECURELY };
    }

    delete out.userDeltaToken;
    delete out.groupDeltaToken;
    return out;
  },
};
