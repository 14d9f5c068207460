/**
 * @bwdc/core: the domain model, configuration schemas, errors and logger contract that every
 * bwdc package shares. Depends on nothing of ours.
 */
export {
  DirectoryType,
  directoryTypeName,
  parseDirectoryType,
  type DirectoryGroup,
  type DirectorySnapshot,
  type DirectoryUser,
} from './model';
export {
  BwdcError,
  CancelledError,
  ConfigValidationError,
  DirectoryError,
  FilterSyntaxError,
  fileProblem,
  filterCorrection,
  isBwdcError,
  throwIfCancelled,
  type ConfigIssue,
  type ErrorCode,
} from './errors';
export {
  SecretRedactor,
  createLogger,
  isSecretFieldName,
  silentLogger,
  stderrSink,
  type LogLevel,
  type LogRecord,
  type LogSink,
  type Logger,
} from './logger';
export { escapeControlChars, escapeJsonText } from './escape';
export { joinJsonStrings } from './json-strings';
export * from './config/index';
export { closestWord } from './suggest';
export * from './resilience/index';
export { MemberStatus, MemberType, memberStatusName, memberTypeName } from './members';
export type {
  ImportGroup,
  ImportMember,
  ImportRequest,
  ManagedMember,
  SyncCheckpoint,
} from './sync-contracts';
