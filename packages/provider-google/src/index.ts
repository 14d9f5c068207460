/**
 * @bwdc/provider-google: Google Workspace users and groups through the Admin SDK Directory API,
 * as a service account with domain-wide delegation acting as the configured admin.
 */
export { GoogleDirectoryProvider, type GoogleProviderIo } from './provider';
export { DEFAULT_ROOT_URL, DEFAULT_TOKEN_URI } from './settings';
export { FIELD_MASKS, PAGE_SIZE } from './read';
export { GOOGLE_RETRY_POLICY } from './client';
export { GoogleError, type GoogleErrorKind } from './errors';
export { parseServiceAccountKey, readServiceAccountKeyFile } from './key-file';
export { GOOGLE_DIRECTORY_SCOPES } from './token';
