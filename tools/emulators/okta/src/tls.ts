import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestTlsMaterial {
  /** PEM of the throwaway CA that signed the server certificate; give it to the client. */
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI
 * in a temp folder that is removed again. Node cannot mint X.509 certificates itself, and a CA
 * (rather than a self-signed leaf) is what the client trusts in production too.
 */
export async function createTestTls(): Promise<TestTlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'bwdc-okta-tls-'));
  try {
    const p = (name: string): string => join(dir, name);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      p('ca.key'),
      '-out',
      p('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=bwdc test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run('openssl', [
      'req',
      ...ec,
      '-keyout',
      p('server.key'),
      '-out',
      p('server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]);
    await writeFile(
      p('ext.cnf'),
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
    );
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      p('server.csr'),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('server.pem'),
      '-days',
      '2',
      '-extfile',
      p('ext.cnf'),
    ]);
    const [caCert, cert, key] = await Promise.all(
      ['ca.pem', 'server.pem', 'server.key'].map((f) => readFile(p(f), 'utf8')),
    );
    return { caCert: caCert!, cert: cert!, key: key! };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
