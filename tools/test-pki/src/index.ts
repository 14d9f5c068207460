/** @bwdc/test-pki (private): throwaway CAs and certificates for loopback test servers. */
export { loopbackTls, makeTestPki, type LoopbackTls, type TestPki } from './pki';
