/**
 * @bwdc/provider-onelogin: the OneLogin directory provider. Reads users and roles (as groups)
 * over OneLogin's REST API with client-credentials auth, the official connector's email rules
 * and status mapping, and retries on 429.
 */
export { OneLoginDirectoryProvider, type OneLoginProviderIo } from './onelogin-provider';
export { OneLoginError } from './errors';
