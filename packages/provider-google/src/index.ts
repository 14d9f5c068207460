/**
 * @bwdc/provider-google: Google Workspace users and groups through the Admin SDK Directory API,
 * as a service account with domain-wide delegation acting as the configured admin.
 */
export {
  DEFAULT_ROOT_URL,
  DEFAULT_TOKEN_URI,
  FIELD_MASKS,
  GoogleDirectoryProvider,
  PAGE_SIZE,
  type GoogleProviderIo,
} from './provider';
export { GoogleError, type GoogleErrorKind } from './errors';
export { parseServiceAccountKey, readServiceAccountKeyFile } from './key-file';
export { GOOGLE_DIRECTORY_SCOPES } from './token';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
