/**
 * @bwdc/tools-ldap (private): real directory servers for tests and benchmarks. `startSlapd`
 * runs OpenLDAP and `startSambaAd` a Samba AD DC, each from a temp folder on loopback, loaded
 * with a fixture; `stop()` kills the server and removes its folder.
 */
export { startSlapd, type RunningLdapServer, type SlapdOptions } from './slapd';
export {
  SAMBA_BASE_DN,
  SAMBA_FIXTURE_OU,
  SAMBA_REALM,
  sambaGroupDn,
  sambaUserDn,
  startSambaAd,
  type RunningSambaServer,
  type SambaOptions,
} from './samba';
export {
  GROUPS_OU,
  PEOPLE_OU,
  contractFixture,
  escapeDnValue,
  generateLdif,
  groupDn,
  uidOf,
  userDn,
  writeLargeDirectoryLdif,
  type DirectoryFixture,
  type FixtureGroup,
  type FixtureUser,
  type LargeDirectoryOptions,
} from './fixtures';
export { ldapsearchCommand, type PagedSearch } from './ldapsearch';
