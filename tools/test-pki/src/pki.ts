import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

async function run(command: string, args: readonly string[]): Promise<void> {
  try {
    await execFileAsync(command, [...args]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `${command} ${args[0]} failed (is the openssl package installed?): ${stderr || String(error)}`,
    );
  }
}

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

/** PEM texts of a CA and of a server certificate it signed for 127.0.0.1 and localhost. */
export interface LoopbackTls {
  /** Give this to the client as its trusted CA. */
  readonly caCert: string;
  readonly cert: string;
  readonly key: string;
}

/** A throwaway PKI for an in-process HTTPS server on loopback; its folder is removed again. */
export async function loopbackTls(): Promise<LoopbackTls> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bwdc-tls-'));
  try {
    const pki = await makeTestPki(dir, ['127.0.0.1', 'localhost']);
    return {
      caCert: await readFile(pki.caCertPath, 'utf8'),
      cert: await readFile(pki.serverCertPath, 'utf8'),
      key: await readFile(pki.serverKeyPath, 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
