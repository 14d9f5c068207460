import { isRecord, type Migration, type StateDocument } from './types';

/** Our first version. Upstream's last is 8; a document at 9 or above carries this marker too. */
export const WRITTEN_BY = 'writtenBy';
export const BWDC = 'bwdc';
export const MIGRATED_FROM = 'migratedFrom';

/**
 * From the official connector's version 8 to bwdc's first. Only `sync.removeMissingUsers` is
 * written, as false: upstream never removed members that vanished from the directory, and an
 * admin who switches must turn that on knowingly. Everything else stays where the official
 * connector keeps it (plaintext secrets in their sections, the Entra delta tokens, the sync
 * hash), so the official connector can still run from the folder (its version 8 reads version 9).
 */
export const bwdcFirstVersion: Migration = {
  from: [8],
  to: 9,
  name: '08-bwdc',
  apply(document) {
    const out: StateDocument = { ...document, stateVersion: 9, [WRITTEN_BY]: BWDC };
    const sync = isRecord(document.sync) ? document.sync : {};
    if (sync.removeMissingUsers === undefined) out.sync = { ...sync, removeMissingUsers: false };
    return out;
  },
};
