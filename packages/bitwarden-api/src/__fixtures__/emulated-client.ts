/** The real client against a Bitwarden emulator on loopback, each closed after its test. */
import {
  startBitwardenEmulator,
  type BitwardenEmulator,
  type BitwardenEmulatorOptions,
} from '@bwdc/emulator-bitwarden';
import { BitwardenApiClient, resolveEnvironmentUrls, type BitwardenApiOptions } from '../index';

const emulators: BitwardenEmulator[] = [];
const clients: BitwardenApiClient[] = [];

export async function emulator(options: BitwardenEmulatorOptions = {}): Promise<BitwardenEmulator> {
  const e = await startBitwardenEmulator(options);
  emulators.push(e);
  return e;
}

/** A client of the emulator's organization; retries wait 5 ms unless `extra.retry` says otherwise. */
export function clientFor(
  e: BitwardenEmulator,
  extra: Partial<BitwardenApiOptions> = {},
): BitwardenApiClient {
  const c = new BitwardenApiClient({
    urls: resolveEnvironmentUrls({ base: e.url }),
    clientId: e.clientId,
    clientSecret: e.clientSecret,
    deviceIdentifier: '4a6d1cde-0000-4000-8000-00000000a11d',
    version: '1.2.3',
    platform: 'linux',
    ...extra,
    retry: { baseDelayMs: 5, ...extra.retry },
  });
  clients.push(c);
  return c;
}

/** For `afterEach`: closes every client and stops every emulator made since the last call. */
export async function closeAll(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
}
