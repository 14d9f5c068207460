export * from './directories';
export * from './sync';
export {
  SECTION_OF_TYPE,
  parseConfig,
  parseDirectoryConfig,
  type ConfigBySection,
  type ConfigSection,
  type DirectoryConfig,
} from './validate';
export {
  ldapSyncDefaults,
  withLdapSyncDefaults,
  type LdapSyncConfig,
  type LdapSyncDefaultField,
  type LdapSyncDefaults,
} from './adjust';
export {
  checkServerUrl,
  isLoopbackHost,
  plainHttpWarning,
  type HttpPolicy,
  type ServerUrlCheck,
} from './url';
export {
  DIRECTORY_SECTIONS,
  GENERAL_SETTINGS,
  LOGIN_SECRET_KEYS,
  SECRET_PLACEHOLDER,
  SECTION_ALIASES,
  coerceSettingValue,
  findSetting,
  isSecretStoreKey,
  listSettings,
  secretLabel,
  suggestSetting,
  type DirectorySecretInfo,
  type DirectorySection,
  type DirectorySectionInfo,
  type GeneralSetting,
  type SettingInfo,
} from './settings';
