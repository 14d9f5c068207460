/**
 * @bwdc/directory-provider: the contract every directory provider implements, the shared filter
 * language, an in-memory provider for tests, and the contract test kit providers run against
 * their live source.
 */
export {
  type DirectoryProvider,
  type FetchMode,
  type FetchProgress,
  type FetchRequest,
  type OfficialSyncTimes,
} from './provider';
export {
  BASIC_KEYWORDS,
  OFFICIAL_FILTER_SYNTAX,
  filterMatcher,
  filterProblem,
  filterSetting,
  parseClause,
  parseFilter,
  type FilterClause,
  type FilterKind,
  type FilterSyntax,
  type ParsedFilter,
} from './filter';
export { InMemoryDirectoryProvider } from './in-memory-provider';
export {
  restNetworkError,
  restStatusError,
  type DirectoryErrorClass,
  type RestCall,
  type RestService,
} from './http-errors';
export { resilienceOf, type Resilience, type ResilienceIo } from './resilience-io';
export {
  cancelAtFirstRetry,
  describeProviderContract,
  viewOfFixture,
  viewOfSnapshot,
  type ContractFixture,
  type ContractKitOptions,
  type SnapshotView,
} from './contract-kit';
