import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunningLdapServer } from './slapd';

export interface PagedSearch {
  readonly base: string;
  readonly filter: string;
  readonly attributes: readonly string[];
  readonly pageSize: number;
}

/**
 * A shell command running OpenLDAP's `ldapsearch` with the paged-results control against a
 * server, bound as its ordinary account, printing the number of entries it received: the floor
 * benchmarks compare a read with. The password goes in a file next to the server's data.
 */
export async function ldapsearchCommand(
  server: RunningLdapServer,
  search: PagedSearch,
): Promise<string> {
  const pw = path.join(server.dir, 'bind.pw');
  await writeFile(pw, server.bindPassword, { mode: 0o600 });
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
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
}
