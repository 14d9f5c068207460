export * from './directories';
export * from './sync';
export {
  SECTION_OF_TYPE,
  canonicalSettingName,
  parseConfig,
  parseDirectoryConfig,
  type ConfigBySection,
  type ConfigSection,
  type DirectoryConfig,
} from './validate';
export { applyActiveDirectoryDefaults } from './adjust';
export { checkServerUrl, isLoopbackHost, type HttpPolicy, type ServerUrlCheck } from './url';
export {
  SECRET_FIELDS,
  coerceSettingValue,
  findSetting,
  listSettings,
  type SettingInfo,
} from './settings';
