/**
 * @bwdc/provider-entra: users and groups from Entra ID (Azure AD) through Microsoft Graph, with
 * an app registration's client credentials, delta queries for incremental reads, and the
 * official connector's Entra filters.
 */
export { EntraDirectoryProvider, type EntraIo } from './entra-provider';
export { EntraError } from './errors';
export { resolveEndpoints, type EntraEndpoints } from './endpoints';
export {
  GROUP_FILTER_KEYWORDS,
  USER_FILTER_KEYWORDS,
  parseGroupFilter,
  parseUserFilter,
  type GroupFilter,
  type UserFilter,
} from './filters';
