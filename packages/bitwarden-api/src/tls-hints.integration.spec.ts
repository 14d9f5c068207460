import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LogRecord } from '@bwdc/core';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { loopbackTls } from '@bwdc/test-pki';
import { BitwardenApiClient, BitwardenApiError, resolveEnvironmentUrls } from './index';

/**
 * What an admin sees for the two TLS mistakes of a first setup, through real sockets: a server
 * URL that got https:// for a plain-http port, and a server whose certificate comes from a CA
 * this machine does not trust.
 */
describe('Bitwarden TLS failures say what to change', () => {
  let emulator: BitwardenEmulator;
  let untrusted: Server;
  const clients: BitwardenApiClient[] = [];

  beforeAll(async () => {
    emulator = await startBitwardenEmulator();
    const tls = await loopbackTls();
    untrusted = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => untrusted.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await emulator.stop();
    await new Promise((resolve) => untrusted.close(resolve));
  });

  const login = async (base: string) => {
    const warnings: LogRecord[] = [];
    const client = new BitwardenApiClient({
      urls: resolveEnvironmentUrls({ base }),
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      deviceIdentifier: '4a6d1cde-0000-4000-8000-00000000a11d',
      version: '1.2.3',
      retry: { baseDelayMs: 5 },
      logger: {
        debug() {},
        info() {},
        warn: (message, fields) =>
          warnings.push({ level: 'warn', message, fields: fields ?? {}, time: new Date() }),
        error() {},
      },
    });
    clients.push(client);
    const error = await client.login().then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error: error as BitwardenApiError, warnings };
  };

  it('https:// to a plain-http port: says so once, without retrying, and how to set http://', async () => {
    const { host } = new URL(emulator.url);
    const { error, warnings } = await login(`https://${host}`);
    expect(error).toBeInstanceOf(BitwardenApiError);
    expect(error.message).toBe(
      `Bitwarden did not answer POST https://${host}/identity/connect/token: https://${host} does not speak TLS (ERR_SSL_WRONG_VERSION_NUMBER), so it is probably a plain-http port.`,
    );
    expect(error.actions[0]).toBe(
      `A server URL typed without http:// or https:// gets https://. If this server is on plain http, set it so: bwdc config server http://${host}`,
    );
    expect(warnings).toEqual([]);
  });

  it('a certificate from an unknown CA: names NODE_EXTRA_CA_CERTS', async () => {
    const port = (untrusted.address() as AddressInfo).port;
    const { error, warnings } = await login(`https://127.0.0.1:${port}`);
    expect(error.message).toMatch(
      new RegExp(
        `^Bitwarden did not answer POST https://127\\.0\\.0\\.1:${port}/identity/connect/token: the certificate of https://127\\.0\\.0\\.1:${port} is not trusted here \\([A-Z_]+\\)\\.$`,
      ),
    );
    expect(error.actions[0]).toContain('NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
    expect(warnings).toEqual([]);
  });
});
