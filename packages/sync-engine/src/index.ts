/**
 * @bwdc/sync-engine: everything that is the same for every directory. From a provider's snapshot
 * to Bitwarden import requests (normalize, filter, flatten nested groups, dedupe, remove leavers,
 * batch, fingerprint, safety guard), and the run that posts them and commits the checkpoint only
 * after every request succeeded.
 */
export { SyncEngine } from './engine';
export type {
  ChangesOptions,
  ChangesResult,
  CheckpointStore,
  ImportApi,
  SyncEngineDeps,
  SyncOptions,
  TestOptions,
} from './engine-api';
export {
  DuplicateEmailError,
  RequestTooLargeError,
  SafetyLimitError,
  describeRefusal,
  type DuplicateConflict,
} from './errors';
export { buildPlan } from './plan';
export { isAcceptableEmail, normalizeEmail } from './admit';
export { syncFilterClauses } from './filters';
export { flattenGroups, type FlattenInput, type FlattenResult } from './flatten';
export {
  BATCH_BODY_BYTES,
  BATCH_SIZE,
  SERVER_BODY_LIMIT,
  buildRequests,
  type RequestOptions,
} from './requests';
export { fingerprintOf, legacyFingerprintOf, writeRequestsJson } from './fingerprint';
export { toTestResponse } from './test-response';
export {
  diffOrganization,
  type ChangeCounts,
  type ChangedMember,
  type ChangesPlan,
  type EmailMismatch,
  type GroupChange,
  type MemberNote,
  type MemberRemoval,
  type OrganizationChanges,
  type UnmanagedMember,
  type WaitingMember,
} from './changes';
export {
  type OrganizationGroupState,
  type OrganizationMemberState,
  type OrganizationReader,
  type OrganizationState,
} from './organization';
export {
  REMOVAL_REASON_TEXT,
  type Fingerprint,
  type GroupLoss,
  type GuardCheck,
  type GuardVerdict,
  type LeftOutEntry,
  type LeftOutReason,
  type MissingUsersVerdict,
  type PlanInput,
  type PlanCounts,
  type PlannedGroup,
  type PlannedUser,
  type RemovalReason,
  type RemovedMember,
  type SyncPhase,
  type SyncPlanResult,
  type SyncContext,
  type SyncProgress,
  type SyncReport,
  type TestResponse,
  type TestUser,
} from './types';
