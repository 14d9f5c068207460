/**
 * @bwdc/bitwarden-api: the connector's only output. Resolves the server URLs, logs in with the
 * organization API key, posts `/public/organization/import` and reads members and groups back,
 * with timeouts, bounded retries (Retry-After honoured) and HTTPS_PROXY/NO_PROXY support.
 */
export {
  resolveEnvironmentUrls,
  isLoopbackHost,
  plainHttpWarnings,
  type EnvironmentUrls,
  type ResolvedUrls,
} from './environment';
export { BitwardenApiClient, type BitwardenApiOptions } from './client';
export { BitwardenApiError, BitwardenAuthError, type ServerErrorDetails } from './errors';
export {
  type OrganizationGroupWithMembers,
  type OrganizationReadProgress,
  type OrganizationSnapshot,
  type ReadOrganizationOptions,
} from './organization-read';
export { type OrganizationGroup, type OrganizationMember } from './models';
