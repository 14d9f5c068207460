/**
 * @bwdc/provider-okta: the Okta directory provider. Reads users and groups through the official
 * Okta SDK with `SSWS` token auth, paces itself by Okta's rate-limit headers, retries and times
 * out through core's resilience layer, and reads incrementally by `lastUpdated`.
 */
export { OktaDirectoryProvider, type OktaProviderIo } from './provider';
export { OKTA_RETRY_POLICY } from './client';
export { OktaError } from './errors';
export { RateLimitGovernor, readRateLimitHeaders, type RateLimitHeaders } from './rate-limit';
