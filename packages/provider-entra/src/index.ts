/**
 * @bwdc/provider-entra: users and groups from Entra ID (Azure AD) through Microsoft Graph, with
 * an app registration's client credentials, delta queries for incremental reads, and the
 * official connector's Entra filters.
 */
export { EntraDirectoryProvider, type EntraIo } from './provider';
export { ENTRA_RETRY_POLICY } from './client';
export { EntraError } from './errors';
export { resolveEndpoints, type EntraEndpoints } from './settings';
export {
  ENTRA_FILTER_SYNTAX,
  GROUP_FILTER_KEYWORDS,
  USER_FILTER_KEYWORDS,
  parseGroupFilter,
  parseUserFilter,
  type GroupFilter,
  type UserFilter,
} from './filters';
