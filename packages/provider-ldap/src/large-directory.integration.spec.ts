/**
 * A large directory loaded with slapadd (so without memberOf, which the provider must not need),
 * read in full, compared with `ldapsearch` paging the same entries from the same server in the
 * same run. Prints the figures; asserts only completeness. The default size keeps `npx jest`
 * quick; the benchmark of the issue is
 *   BENCH_USERS=100000 BENCH_GROUPS=10000 npx jest packages/provider-ldap/src/large-directory
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { CancelledError, parseConfig, silentLogger } from '@bwdc/core';
import {
  ldapsearchPaged,
  startSlapd,
  writeLargeDirectoryLdif,
  type RunningLdapServer,
} from '@bwdc/tools-ldap';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { LdapDirectoryProvider } from './index';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 1_000);
const PAGE = 1000;
const BASE = 'dc=example,dc=com';
let server: RunningLdapServer;
let work: string;
let memberships = 0;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'bwdc-large-'));
  const file = path.join(work, 'large.ldif');
  let t = Date.now();
  memberships = await writeLargeDirectoryLdif(file, BASE, { users: USERS, groups: GROUPS });
  const generated = Date.now() - t;
  t = Date.now();
  server = await startSlapd({ bulkLdifFile: file });
  console.log(
    `generated ${USERS} users / ${GROUPS} groups / ${memberships} memberships in ${generated} ms; slapadd + start ${Date.now() - t} ms`,
  );
}, 900_000);

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function createProviderForRead(): LdapDirectoryProvider {
  return new LdapDirectoryProvider(
    parseConfig('ldap', {
      hostname: '127.0.0.1',
      port: server.port,
      rootPath: BASE,
      ad: false,
      username: server.bindDn,
      password: server.bindPassword,
      pageSize: PAGE,
    }),
    parseConfig('sync', {
      users: true,
      groups: true,
      userPath: 'ou=people',
      groupPath: 'ou=groups',
    }),
    silentLogger,
  );
}

it('stops a large read part-way when the signal fires', async () => {
  const controller = new AbortController();
  const seen: number[] = [];
  const read = createProviderForRead().fetch({
    users: true,
    groups: true,
    mode: 'full',
    signal: controller.signal,
    onProgress: (p) => {
      if (p.phase === 'users') seen.push(p.done);
      if (p.phase === 'users' && p.done >= 2 * PAGE) controller.abort();
    },
  });
  await expect(read).rejects.toBeInstanceOf(CancelledError);
  expect(Math.max(...seen)).toBeLessThan(USERS);
}, 120_000);

it(`reads all ${USERS} users and ${GROUPS} groups (nested 4 deep) of a directory without memberOf`, async () => {
  const provider = createProviderForRead();
  const users = await ldapsearchPaged(server, {
    base: `ou=people,${BASE}`,
    filter: '(objectClass=inetOrgPerson)',
    attributes: ['mail', 'uid'],
    pageSize: PAGE,
  });
  const groups = await ldapsearchPaged(server, {
    base: `ou=groups,${BASE}`,
    filter: '(objectClass=groupOfNames)',
    attributes: ['cn', 'member'],
    pageSize: PAGE,
  });
  const searchMs = users.ms + groups.ms;
  expect(users.entries + groups.entries).toBe(USERS + GROUPS);

  // The first read in a process pays for JIT warm-up; a second read shows the steady state.
  let t = Date.now();
  const first = await provider.fetch({ users: true, groups: true, mode: 'full' });
  const firstMs = Date.now() - t;
  expect(first.users).toHaveLength(USERS);

  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  t = Date.now();
  const snapshot = await provider.fetch({ users: true, groups: true, mode: 'full' });
  const ms = Date.now() - t;
  clearInterval(sampler);

  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    [
      `ldapsearch (pr=${PAGE}): ${users.entries + groups.entries} entries in ${searchMs} ms, max RSS ${(Math.max(users.maxRssKb, groups.maxRssKb) / 1024).toFixed(0)} MB`,
      `provider, first read in the process: ${firstMs} ms (${(firstMs / searchMs).toFixed(2)}x ldapsearch)`,
      `provider, second read: ${ms} ms (${(ms / searchMs).toFixed(2)}x ldapsearch); process RSS ${mb(before.rss)} -> peak ${mb(peakRss)}, heap peak ${mb(peakHeap)}`,
    ].join('\n'),
  );
  expect(snapshot.users).toHaveLength(USERS);
  expect(snapshot.groups).toHaveLength(GROUPS);
  expect(snapshot.groups!.reduce((n, g) => n + g.userMemberExternalIds.length, 0)).toBe(
    memberships,
  );
  expect(snapshot.groups!.reduce((n, g) => n + g.groupMemberReferenceIds.length, 0)).toBe(
    GROUPS - 1,
  );
  expect(snapshot.warnings).toEqual([]);
}, 900_000);
