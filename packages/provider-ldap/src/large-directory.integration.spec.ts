/**
 * A large directory loaded with slapadd (so without memberOf, which the provider must not need)
 * and a server size limit far below the number of users: the read must be complete and
 * cancellable. Timing against ldapsearch is `node tools/bench/ldap/run.js`.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { CancelledError, parseConfig, silentLogger } from '@bwdc/core';
import { startSlapd, writeLargeDirectoryLdif, type RunningLdapServer } from '@bwdc/tools-ldap';
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
  memberships = await writeLargeDirectoryLdif(file, BASE, { users: USERS, groups: GROUPS });
  server = await startSlapd({ bulkLdifFile: file });
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
  const snapshot = await createProviderForRead().fetch({ users: true, groups: true, mode: 'full' });
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
