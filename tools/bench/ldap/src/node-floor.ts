/**
 * The Node floor: what any Node program pays to read the same entries with the LDAP client bwdc
 * uses (ldapts, its own decoder), users and groups on two connections at once as bwdc reads them,
 * keeping nothing and printing only the two counts. It separates what Node and the client cost
 * from what bwdc adds. Run by the benchmark as a process of its own:
 *   node node-floor.js <url> <bind DN> <base> <page size>   (password in BENCH_BIND_PASSWORD)
 */
import { Client } from 'ldapts';

async function count(
  url: string,
  bindDn: string,
  base: string,
  filter: string,
  attributes: string[],
  pageSize: number,
): Promise<number> {
  const client = new Client({ url });
  try {
    await client.bind(bindDn, process.env.BENCH_BIND_PASSWORD ?? '');
    let entries = 0;
    for await (const page of client.searchPaginated(base, {
      filter,
      attributes,
      paged: { pageSize },
    })) {
      entries += page.searchEntries.length;
    }
    return entries;
  } finally {
    await client.unbind();
  }
}

async function main(): Promise<void> {
  const [url, bindDn, base, page] = process.argv.slice(2);
  if (!url || !bindDn || !base || !page)
    throw new Error('usage: node-floor <url> <bind DN> <base> <page>');
  const counts = await Promise.all([
    count(
      url,
      bindDn,
      `ou=people,${base}`,
      '(objectClass=inetOrgPerson)',
      ['mail', 'uid'],
      Number(page),
    ),
    count(
      url,
      bindDn,
      `ou=groups,${base}`,
      '(objectClass=groupOfNames)',
      ['cn', 'member'],
      Number(page),
    ),
  ]);
  console.log(counts.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
