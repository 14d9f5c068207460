/**
 * @bwdc/emulator-entra: a loopback emulator of the Microsoft identity platform token endpoint and
 * the Microsoft Graph calls a directory sync makes, for tests and benchmarks. Never for production.
 */
export {
  DEFAULT_PERMISSIONS,
  startEntraEmulator,
  type EntraEmulator,
  type EntraEmulatorOptions,
  type FaultControls,
  type FaultRule,
  type RecordedRequest,
} from './emulator';
export {
  EntraDirectory,
  ODATA_TYPE,
  type AdministrativeUnitSeed,
  type GroupSeed,
  type ObjectKind,
  type StoredObject,
  type UserSeed,
} from './directory';
