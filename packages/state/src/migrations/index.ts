import { accountToFlat } from './03-account-to-flat';
import { windowsCredentialEncoding } from './05-windows-credential-encoding';
import { windowsSecretCatchUp } from './06-windows-secret-catch-up';
import { inviteFlag } from './07-invite-flag';
import { BWDC, MIGRATED_FROM, WRITTEN_BY, bwdcFirstVersion } from './08-bwdc';
import { MigrationError, isRecord, type Migration, type StateDocument } from './types';

export { BWDC, MIGRATED_FROM, WRITTEN_BY } from './08-bwdc';
export {
  MigrationError,
  PENDING_SECRET_COPIES,
  isRecord,
  type Migration,
  type PendingSecretCopy,
  type StateDocument,
} from './types';

export const MIGRATIONS: readonly Migration[] = [
  accountToFlat,
  windowsCredentialEncoding,
  windowsSecretCatchUp,
  inviteFlag,
  bwdcFirstVersion,
];

/** The official connector's oldest readable and newest known state versions. */
export const OFFICIAL_MIN_VERSION = 3;
export const OFFICIAL_LATEST_VERSION = 8;
/** The version bwdc writes. */
export const CURRENT_VERSION = 9;

/** Keys only a data.json with settings has; their presence tells an unstamped upstream file from an empty one. */
const UPSTREAM_KEYS = [
  'directoryType',
  'organizationId',
  'entityId',
  'sync',
  'directoryLdap',
  'directoryGsuite',
  'directoryEntra',
  'directoryOkta',
  'directoryOnelogin',
  'environmentUrls',
  'lastSyncHash',
];

/**
 * The state version of a document, read as upstream reads it: the top-level `stateVersion`,
 * else `global.stateVersion` (versions 3 and 4), else upstream's latest for a file with settings
 * (upstream did not always stamp fresh installs). An empty document is a new bwdc folder.
 */
export function documentVersion(document: StateDocument): number {
  if (document.stateVersion !== undefined && document.stateVersion !== null) {
    if (typeof document.stateVersion !== 'number' || !Number.isInteger(document.stateVersion)) {
      throw new MigrationError(
        `"stateVersion" must be a whole number, found ${JSON.stringify(document.stateVersion)}`,
      );
    }
    return document.stateVersion;
  }
  if (isRecord(document.global)) {
    const version = document.global.stateVersion;
    return typeof version === 'number' ? version : OFFICIAL_LATEST_VERSION;
  }
  return UPSTREAM_KEYS.some((key) => document[key] != null)
    ? OFFICIAL_LATEST_VERSION
    : CURRENT_VERSION;
}

export interface MigrationResult {
  readonly document: StateDocument;
  /** The version the document had; equal to CURRENT_VERSION when nothing ran. */
  readonly fromVersion: number;
  readonly applied: readonly string[];
}

/** Brings a document of any readable version to CURRENT_VERSION. Pure: the input is not changed. */
export function migrateDocument(input: StateDocument): MigrationResult {
  const fromVersion = documentVersion(input);
  if (fromVersion < OFFICIAL_MIN_VERSION) {
    throw new MigrationError(
      `state version ${fromVersion} is too old to migrate (the oldest readable is ${OFFICIAL_MIN_VERSION}); ` +
        'open it once with the official Directory Connector 2.x or reconfigure',
    );
  }
  if (fromVersion > OFFICIAL_LATEST_VERSION && input[WRITTEN_BY] !== BWDC) {
    throw new MigrationError(
      `state version ${fromVersion} was written by a newer official Directory Connector; ` +
        `bwdc reads its versions ${OFFICIAL_MIN_VERSION} to ${OFFICIAL_LATEST_VERSION}`,
    );
  }
  if (fromVersion > CURRENT_VERSION) {
    throw new MigrationError(
      `state version ${fromVersion} was written by a newer bwdc; this one understands up to ${CURRENT_VERSION}`,
    );
  }

  let document: StateDocument = { ...input };
  if (fromVersion === CURRENT_VERSION) {
    // A new folder, or one of ours.
    return {
      document: { ...document, stateVersion: CURRENT_VERSION, [WRITTEN_BY]: BWDC },
      fromVersion,
      applied: [],
    };
  }
  const applied: string[] = [];
  let version = fromVersion;
  while (version < CURRENT_VERSION) {
    const step = MIGRATIONS.find((m) => m.from.includes(version));
    if (!step) throw new MigrationError(`no migration from state version ${version}`);
    document = step.apply(document);
    applied.push(step.name);
    version = step.to;
  }
  document[MIGRATED_FROM] = fromVersion;
  return { document, fromVersion, applied };
}
