import { chmod, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { run } from './process';

/** Files of a private CA, a server certificate it signed, and a client certificate it signed. */
export interface TestPki {
  readonly caCertPath: string;
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
  readonly clientCertPath: string;
  readonly clientKeyPath: string;
}

/**
 * Makes a throwaway PKI in `dir` with openssl. The server certificate names `hosts` (DNS names
 * and IP addresses) in its subjectAltName, so clients can verify the name they connect to.
 */
export async function makeTestPki(
  dir: string,
  hosts: readonly string[],
  commonName = 'localhost',
): Promise<TestPki> {
  const p = (name: string): string => path.join(dir, name);
  const san = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p('ca-key.pem'),
    '-out',
    p('ca.pem'),
    '-days',
    '3',
    '-subj',
    '/CN=bwdc test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await issue(p, 'server', commonName, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  await issue(p, 'client', 'bwdc test client', 'extendedKeyUsage=clientAuth\n');
  for (const key of ['ca-key.pem', 'server-key.pem', 'client-key.pem']) await chmod(p(key), 0o600);
  return {
    caCertPath: p('ca.pem'),
    serverCertPath: p('server.pem'),
    serverKeyPath: p('server-key.pem'),
    clientCertPath: p('client.pem'),
    clientKeyPath: p('client-key.pem'),
  };
}

async function issue(
  p: (name: string) => string,
  name: string,
  cn: string,
  extensions: string,
): Promise<void> {
  await run('openssl', [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    p(`${name}-key.pem`),
    '-out',
    p(`${name}.csr`),
    '-subj',
    `/CN=${cn}`,
  ]);
  await writeFile(p(`${name}.ext`), extensions);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    p(`${name}.csr`),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca-key.pem'),
    '-CAcreateserial',
    '-out',
    p(`${name}.pem`),
    '-days',
    '3',
    '-extfile',
    p(`${name}.ext`),
  ]);
}
