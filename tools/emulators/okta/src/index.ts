/**
 * @bwdc/emulator-okta: a loopback emulator of the Okta Users and Groups read API, for tests and
 * benchmarks. It checks `Authorization: SSWS <token>`, pages with `Link: rel="next"`, evaluates
 * the filter expressions the provider sends, answers with Okta's rate-limit headers and error
 * bodies, and serves HTTPS with a throwaway CA by default.
 */
export {
  startOktaEmulator,
  type OktaDirectoryMutators,
  type OktaEmulator,
  type OktaEmulatorClock,
  type OktaEmulatorOptions,
  type OktaFaults,
  type OktaGroupRecord,
  type OktaRateLimit,
  type OktaUserRecord,
  type OktaUserStatus,
  type RecordedOktaRequest,
} from './emulator';
export { FilterParseError, parseOktaFilter } from './filter';
