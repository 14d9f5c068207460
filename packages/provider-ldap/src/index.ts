/**
 * @bwdc/provider-ldap: the LDAP and Active Directory DirectoryProvider (ldapts). Settings are the
 * official connector's `ldap.*` and `sync.*` fields; see README.md for defaults and behaviour.
 */
export { LdapDirectoryProvider, type LdapProviderOptions } from './provider';
export { LdapError, toLdapError, type FailureContext, type LdapFailure } from './errors';
export {
  NON_AD_DEFAULTS,
  domainPart,
  parseDirectoryFilter,
  resolveSettings,
  searchPath,
  type DirectoryFilter,
  type LdapSettings,
} from './settings';
export {
  escapeFilterValue,
  guidToString,
  normalizeDn,
  parseGeneralizedTime,
  toGeneralizedTime,
} from './values';
