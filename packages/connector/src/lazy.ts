/**
 * Packages loaded on first use, so the quick commands (`bwdc config`, `last-sync`, ...) do not pay
 * for them: the Bitwarden client's HTTP stack (undici) and the Google SDK each take ~80 ms to load.
 * The providers are loaded the same way, by `createDirectoryProvider`.
 */
export const bitwardenApi = (): Promise<typeof import('@bwdc/bitwarden-api')> =>
  import('@bwdc/bitwarden-api');

export const googleProvider = (): Promise<typeof import('@bwdc/provider-google')> =>
  import('@bwdc/provider-google');
