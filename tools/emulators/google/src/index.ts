/**
 * @bwdc/emulator-google: a loopback emulator of Google's OAuth token endpoint (JWT-bearer grant
 * with domain-wide delegation) and of the Admin SDK Directory API calls bwdc makes (users.list,
 * groups.list, members.list), with paging, search queries, field masks, deleted users, rate-limit
 * errors and fault injection. For tests and benchmarks only.
 */
export {
  DIRECTORY_READONLY_SCOPES,
  startGoogleEmulator,
  type ApiRoute,
  type FaultController,
  type FaultKind,
  type FaultRule,
  type GoogleEmulator,
  type GoogleEmulatorOptions,
  type GoogleRoute,
  type RecordedRequest,
  type ServiceAccountKey,
} from './emulator';
export {
  EmulatedDirectory,
  type EmulatedGroup,
  type EmulatedMembership,
  type EmulatedUser,
  type MemberRole,
  type NewGroup,
  type NewMember,
  type NewUser,
} from './directory';
