import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { run } from './process';
import type { RunningLdapServer } from './slapd';

/**
 * Runs OpenLDAP's `ldapsearch` with the paged-results control against a server, as a baseline
 * for benchmarks: wall time, entries returned and ldapsearch's peak RSS (via /usr/bin/time).
 */
export async function ldapsearchPaged(
  server: RunningLdapServer,
  search: { base: string; filter: string; attributes: readonly string[]; pageSize: number },
): Promise<{ ms: number; entries: number; maxRssKb: number }> {
  const pw = path.join(server.dir, 'bind.pw');
  await writeFile(pw, server.bindPassword, { mode: 0o600 });
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [
    'ldapsearch -LLL -x',
    '-H',
    quote(server.url),
    '-D',
    quote(server.bindDn),
    '-y',
    quote(pw),
    '-b',
    quote(search.base),
    '-E',
    `pr=${search.pageSize}/noprompt`,
    quote(search.filter),
    ...search.attributes.map(quote),
    "| grep -c '^dn:'",
  ].join(' ');
  const started = Date.now();
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', '%M', 'sh', '-c', command]);
  return {
    ms: Date.now() - started,
    entries: Number(stdout.trim()),
    maxRssKb: Number(stderr.trim().split('\n').pop()),
  };
}
