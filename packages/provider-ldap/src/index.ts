/**
 * @bwdc/provider-ldap: the LDAP and Active Directory DirectoryProvider (ldapts). Settings are the
 * official connector's `ldap.*` and `sync.*` fields; see README.md for defaults and behaviour.
 */
export { LdapDirectoryProvider, type LdapProviderOptions } from './provider';
export { LdapError, toLdapError, type FailureContext, type LdapFailure } from './errors';
export { LDAP_FILTER_SYNTAX, ldapFilterProblem } from './filter';
export { domainPart, resolveSettings, searchPath, type LdapSettings } from './settings';
export {
  escapeFilterValue,
  guidToString,
  normalizeDn,
  parseGeneralizedTime,
  toGeneralizedTime,
} from './values';
