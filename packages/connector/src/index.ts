/**
 * @bwdc/connector: the composition root and the embedding facade. The CLI, the desktop app and
 * other Node tools use bwdc only through `createConnector`.
 *
 * ```ts
 * const connector = createConnector({ dataDir: '/srv/bwdc/acme' });
 * const plan = await connector.test();            // what a sync would send
 * const { changes } = await connector.changes();  // what it would change in the organization
 * const report = await connector.sync({ signal }); // send it; cancellable
 * ```
 */
export { createConnector, type ConnectorOptions } from './create-connector';
export {
  Connector,
  type ChangesReport,
  type ConnectorStatus,
  type GuardSummary,
  type RunOptions,
  type TestReport,
} from './connector';
export {
  ConfigService,
  type ConfigServiceOptions,
  type SettingChangeResult,
  type SettingValue,
} from './config-service';
export { NoDirectoryError, NotLoggedInError, UnknownSettingError } from './errors';
export { SecretClearedError, type ClearedSecret } from './directory-secrets';
export { runOnSchedule, type ScheduleOptions } from './schedule';
export {
  UPDATE_FEED_VARIABLE,
  UpdateFeedNotConfiguredError,
  checkForUpdate,
  compareVersions,
  type UpdateInfo,
} from './update-check';
export { describeRefusal } from '@bwdc/sync-engine';
export type {
  GroupChange,
  GroupLoss,
  MemberRemoval,
  OrganizationChanges,
  SafetyLimitError,
  SyncProgress,
  SyncReport,
  TestResponse,
} from '@bwdc/sync-engine';
