/**
 * Loads a generated directory (default 100k users, 10k groups nested 4 deep) into a real slapd,
 * then in one run times `ldapsearch` paging every user and group and a full read by the provider,
 * and prints both with the provider's peak memory. Figures only; it asserts nothing but
 * completeness.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseConfig, silentLogger } from '@bwdc/core';
import { LdapDirectoryProvider } from '@bwdc/provider-ldap';
import { ldapsearchPaged, startSlapd, writeLargeDirectoryLdif } from '@bwdc/tools-ldap';

const BASE = 'dc=example,dc=com';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const users = option('users', 100_000);
  const groups = option('groups', 10_000);
  const page = option('page', 1000);
  const work = await mkdtemp(join(tmpdir(), 'bwdc-bench-ldap-'));
  const file = join(work, 'directory.ldif');
  let t = performance.now();
  const memberships = await writeLargeDirectoryLdif(file, BASE, { users, groups });
  console.log(`generated ${users} users, ${groups} groups, ${memberships} memberships in ${ms(t)}`);
  t = performance.now();
  const server = await startSlapd({ bulkLdifFile: file });
  console.log(`slapadd + slapd start: ${ms(t)}`);
  try {
    const search = async (base: string, filter: string, attributes: string[]) =>
      ldapsearchPaged(server, { base: `${base},${BASE}`, filter, attributes, pageSize: page });
    const people = await search('ou=people', '(objectClass=inetOrgPerson)', ['mail', 'uid']);
    const teams = await search('ou=groups', '(objectClass=groupOfNames)', ['cn', 'member']);
    const searchMs = people.ms + teams.ms;

    const provider = new LdapDirectoryProvider(
      parseConfig('ldap', {
        hostname: '127.0.0.1',
        port: server.port,
        rootPath: BASE,
        ad: false,
        username: server.bindDn,
        password: server.bindPassword,
        pageSize: page,
      }),
      parseConfig('sync', {
        users: true,
        groups: true,
        userPath: 'ou=people',
        groupPath: 'ou=groups',
      }),
      silentLogger,
    );
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    t = performance.now();
    const snapshot = await provider.fetch({ users: true, groups: true, mode: 'full' });
    const readMs = performance.now() - t;
    clearInterval(sampler);
    if (snapshot.users?.length !== users || snapshot.groups?.length !== groups) {
      throw new Error(
        `incomplete read: ${snapshot.users?.length} users, ${snapshot.groups?.length} groups`,
      );
    }
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      [
        `ldapsearch, paged ${page}: ${people.entries + teams.entries} entries in ${searchMs.toFixed(0)} ms`,
        `provider full read:      ${users + groups} entries in ${readMs.toFixed(0)} ms = ${(readMs / searchMs).toFixed(2)}x ldapsearch`,
        `provider memory:         RSS ${mb(rssBefore)} before, peak ${mb(peak)}`,
        `load average:            ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on this machine while measuring`,
      ].join('\n'),
    );
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(0)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
