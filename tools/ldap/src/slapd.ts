import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { freePort, makeTempDir, removeDir, run, ServerProcess } from './process';
import { makeTestPki, type TestPki } from '@bwdc/test-pki';

/** A real directory server started for a test; `stop()` kills it and removes its folder. */
export interface RunningLdapServer {
  /** `ldap://127.0.0.1:<port>`: plain, and StartTLS-capable. */
  readonly url: string;
  /** `ldaps://127.0.0.1:<port>`. */
  readonly ldapsUrl: string;
  /** The URL to use with StartTLS (the certificate names 127.0.0.1). */
  readonly startTlsUrl?: string;
  readonly host: string;
  readonly port: number;
  readonly ldapsPort: number;
  /** The private CA that signed the server (and client) certificates. */
  readonly caCertPath: string;
  readonly pki: TestPki;
  readonly baseDn: string;
  /** An ordinary account, subject to the server's size limits (what bwdc should bind as). */
  readonly bindDn: string;
  readonly bindPassword: string;
  /** The administrator, for loading and changing test data. */
  readonly adminDn: string;
  readonly adminPassword: string;
  /** The server's working folder (database, config, logs). */
  readonly dir: string;
  /** Adds the entries of an LDIF text (records without `changetype` are adds). */
  add(ldif: string): Promise<void>;
  /** Applies an LDIF text of change records (`changetype: modify` ...). */
  modify(ldif: string): Promise<void>;
  /** Deletes entries by DN. */
  delete(...dns: string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SlapdOptions {
  /** LDIF loaded after start with ldapadd, so the memberOf and refint overlays see it. */
  readonly ldif?: string;
  /**
   * A file loaded with slapadd before start: fast for large directories, but overlays are
   * bypassed (no memberOf values).
   */
  readonly bulkLdifFile?: string;
  readonly baseDn?: string;
  /** The server's size limit for ordinary accounts (default 500, like a stock server). */
  readonly sizeLimit?: number;
  /** Require a client certificate signed by the test CA on TLS connections. */
  readonly requireClientCert?: boolean;
}

const SCHEMAS = ['core', 'cosine', 'nis', 'inetorgperson'];

/**
 * Starts OpenLDAP slapd from a temp folder on two free loopback ports: ldap (with StartTLS) and
 * ldaps, with a private CA, paged results, memberOf (groupOfNames/member) and refint.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<RunningLdapServer> {
  const dir = await makeTempDir('bwdc-slapd-');
  try {
    return await startIn(dir, options);
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

async function startIn(dir: string, options: SlapdOptions): Promise<RunningLdapServer> {
  const baseDn = options.baseDn ?? 'dc=example,dc=com';
  const host = '127.0.0.1';
  const adminDn = `cn=admin,${baseDn}`;
  const adminPassword = 'admin-secret';
  const bindDn = `cn=reader,${baseDn}`;
  const bindPassword = 'reader-secret';
  const pki = await makeTestPki(dir, ['localhost', '127.0.0.1']);
  await mkdir(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  const limit = options.sizeLimit ?? 500;
  await writeFile(
    conf,
    [
      ...SCHEMAS.map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      `argsfile ${path.join(dir, 'slapd.args')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload memberof',
      'moduleload refint',
      `TLSCACertificateFile ${pki.caCertPath}`,
      `TLSCertificateFile ${pki.serverCertPath}`,
      `TLSCertificateKeyFile ${pki.serverKeyPath}`,
      `TLSVerifyClient ${options.requireClientCert ? 'demand' : 'never'}`,
      `sizelimit size.soft=${limit} size.hard=${limit} size.prtotal=unlimited`,
      'database mdb',
      'maxsize 4294967296',
      `suffix "${baseDn}"`,
      `rootdn "${adminDn}"`,
      `rootpw ${adminPassword}`,
      `directory ${path.join(dir, 'db')}`,
      'index objectClass eq',
      'index uid,cn,mail eq',
      'index member,memberUid eq',
      'index modifyTimestamp eq',
      'access to attrs=userPassword by self write by anonymous auth by * none',
      'access to * by * read',
      'overlay memberof',
      'memberof-group-oc groupOfNames',
      'memberof-member-ad member',
      'memberof-memberof-ad memberOf',
      'memberof-refint TRUE',
      'overlay refint',
      'refint_attributes member',
      '',
    ].join('\n'),
  );
  const domain = /^dc=([^,]+)/i.exec(baseDn)?.[1] ?? 'example';
  const baseLdif = [
    `dn: ${baseDn}`,
    'objectClass: dcObject',
    'objectClass: organization',
    `o: ${domain}`,
    `dc: ${domain}`,
    '',
    `dn: ${bindDn}`,
    'objectClass: organizationalRole',
    'objectClass: simpleSecurityObject',
    'cn: reader',
    `userPassword: ${bindPassword}`,
    '',
  ].join('\n');
  await run('slapadd', ['-q', '-f', conf, '-b', baseDn], { input: baseLdif });
  if (options.bulkLdifFile)
    await run('slapadd', ['-q', '-f', conf, '-b', baseDn, '-l', options.bulkLdifFile]);

  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort(host);
    const ldapsPort = await freePort(host);
    const url = `ldap://${host}:${port}`;
    const ldapsUrl = `ldaps://${host}:${ldapsPort}`;
    const proc = ServerProcess.spawn('slapd', '/usr/sbin/slapd', [
      '-h',
      `${url}/ ${ldapsUrl}/`,
      '-f',
      conf,
      '-d',
      '0',
    ]);
    try {
      await proc.waitForPorts(
        [
          { host, port },
          { host, port: ldapsPort },
        ],
        15_000,
      );
    } catch (error) {
      // Most likely another process took a port between freePort() and slapd's bind: retry.
      lastError = error;
      await proc.stop();
      continue;
    }
    const pwFile = path.join(dir, 'admin.pw');
    await writeFile(pwFile, adminPassword, { mode: 0o600 });
    const clientEnv = {
      ...process.env,
      LDAPTLS_CACERT: pki.caCertPath,
      LDAPTLS_CERT: pki.clientCertPath,
      LDAPTLS_KEY: pki.clientKeyPath,
    };
    const auth = ['-x', '-H', url, '-D', adminDn, '-y', pwFile];
    const server: RunningLdapServer = {
      url,
      ldapsUrl,
      startTlsUrl: url,
      host,
      port,
      ldapsPort,
      caCertPath: pki.caCertPath,
      pki,
      baseDn,
      bindDn,
      bindPassword,
      adminDn,
      adminPassword,
      dir,
      add: async (ldif) =>
        void (await run('ldapmodify', ['-a', ...auth], { input: ldif, env: clientEnv })),
      modify: async (ldif) => void (await run('ldapmodify', auth, { input: ldif, env: clientEnv })),
      delete: async (...dns) =>
        void (await run('ldapdelete', [...auth, ...dns], { env: clientEnv })),
      stop: async () => {
        await proc.stop();
        await removeDir(dir);
      },
    };
    try {
      if (options.ldif) await server.add(options.ldif);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }
  throw lastError;
}
