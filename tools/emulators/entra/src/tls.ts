import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI in a
 * temp folder that is removed again. The certificate is its own CA: a client that is given it as
 * `ca` trusts the emulator and nothing else.
 */
export async function makeLoopbackCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bwdc-entra-tls-'));
  try {
    const keyPath = path.join(dir, 'key.pem');
    const certPath = path.join(dir, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=bwdc Entra emulator test CA',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } catch (error) {
    throw new Error(
      `could not make a test certificate with openssl (is the openssl package installed?): ${String(error)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
