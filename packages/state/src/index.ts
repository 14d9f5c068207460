/**
 * @bwdc/state: data.json, shared by the CLI and the desktop app. Finds the data folder as the
 * official connector does, reads its state versions 3 to 8 and migrates them, writes atomically
 * (temp file, fsync, rename, mode 0600) under a cross-process lock, and never resets a file it
 * cannot read.
 */
export { resolveDataDir, APPLICATION_NAME, DATA_FILE_NAME, PORTABLE_DATA_DIR } from './paths';
export {
  StateStore,
  type PlaintextSecretsAdapter,
  type SecretSink,
  type StateStoreOptions,
  type WithLockOptions,
} from './store';
export { StateCorruptError, StateLockedError, StateWriteError } from './errors';
export {
  CURSOR_KEY,
  MANAGED_MEMBERS_KEY,
  type ConnectorState,
  type DirectoryConfigs,
  type EnvironmentUrls,
} from './model';
export { clearSyncCache, selectTarget } from './changes';
export {
  CURRENT_VERSION,
  OFFICIAL_LATEST_VERSION,
  OFFICIAL_MIN_VERSION,
  migrateDocument,
  type MigrationResult,
} from './migrations/index';
