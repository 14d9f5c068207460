/**
 * @bwdc/emulator-bitwarden: a loopback Bitwarden server for tests, benchmarks and the demo.
 * It implements the identity token endpoint and the Public API import with the official server's
 * semantics (or Vaultwarden's), plus fault injection and an inspection API.
 * Specification: the project's Bitwarden server contract notes.
 */
export {
  startBitwardenEmulator,
  type BitwardenEmulator,
  type BitwardenEmulatorOptions,
  type EmulatorMode,
  type Fault,
  type OtherOrganization,
  type RecordedRequest,
} from './emulator';
export {
  EventType,
  MemberStatus,
  MemberType,
  type EmulatedGroup,
  type EmulatedMember,
  type EmulatorEvent,
  type SeedGroup,
  type SeedMember,
} from './model';
