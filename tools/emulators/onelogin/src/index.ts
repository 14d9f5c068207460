/**
 * @bwdc/emulator-onelogin: a loopback emulator of OneLogin's client-credentials token endpoint
 * and the API v1 users and roles lists, for tests and benchmarks. It checks Basic client auth
 * and `Authorization: bearer:<token>`, pages by `pagination.next_link`, filters on the query
 * parameters OneLogin supports (with `*` wildcards), and injects 429s, failures and token expiry.
 */
export {
  startOneLoginEmulator,
  type OneLoginDirectoryMutators,
  type OneLoginEmulator,
  type OneLoginEmulatorClock,
  type OneLoginEmulatorOptions,
  type OneLoginFaults,
  type OneLoginRateLimit,
  type OneLoginRoleRecord,
  type OneLoginUserRecord,
  type OneLoginUserStatus,
  type RecordedOneLoginRequest,
} from './emulator';
