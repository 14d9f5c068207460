/**
 * @bwdc/provider-onelogin: the OneLogin directory provider. Reads users and roles (as groups)
 * over OneLogin's REST API with client-credentials auth, the official connector's email rules
 * and status mapping, and retries, rate-limit waits and timeouts from core's resilience layer.
 */
export { OneLoginDirectoryProvider, type OneLoginProviderIo } from './provider';
export { ONELOGIN_RETRY_POLICY } from './client';
export { OneLoginError } from './errors';
