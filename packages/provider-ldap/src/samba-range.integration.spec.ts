import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseConfig, type Logger } from '@bwdc/core';
import { startSambaAd, type RunningSambaServer } from '@bwdc/tools-ldap';
import { LdapDirectoryProvider } from './index';

const MEMBERS = 5000;
let server: RunningSambaServer;

beforeAll(async () => {
  server = await startSambaAd({ bulkGroup: { name: 'everyone-big', members: MEMBERS } });
}, 600_000);
afterAll(async () => server?.stop());

function provider(memberRangeSize: number | undefined, logger: Logger): LdapDirectoryProvider {
  return new LdapDirectoryProvider(
    parseConfig('ldap', {
      hostname: server.host,
      port: server.port,
      rootPath: server.domainDn,
      ad: true,
      username: server.bindDn,
      password: server.bindPassword,
      pageSize: 500,
    }),
    parseConfig('sync', {
      users: true,
      groups: true,
      userPath: 'OU=Bulk,OU=bwdc',
      groupPath: 'OU=Bulk,OU=bwdc',
    }),
    logger,
    { memberRangeSize },
  );
}

function recordingLogger(): Logger & { ranges: { values: number; ranges: number }[] } {
  const ranges: { values: number; ranges: number }[] = [];
  return {
    ranges,
    debug: (message, fields) => {
      if (message === 'Read a ranged member attribute')
        ranges.push(fields as { values: number; ranges: number });
    },
    info: () => {},
    warn: () => {},
    error: () => {},
  };
}

describe('AD range retrieval on Samba', () => {
  it(`reads all ${MEMBERS} members of a group by walking member;range= pages`, async () => {
    const logger = recordingLogger();
    const snapshot = await provider(1000, logger).fetch({
      users: true,
      groups: true,
      mode: 'full',
    });
    expect(snapshot.users).toHaveLength(MEMBERS);
    const group = snapshot.groups?.find((g) => g.name === 'everyone-big');
    expect(new Set(group?.userMemberExternalIds).size).toBe(MEMBERS);
    expect(new Set(group?.userMemberExternalIds)).toEqual(
      new Set(snapshot.users?.map((u) => u.externalId)),
    );
    expect(logger.ranges).toEqual([
      { group: expect.stringContaining('everyone-big'), values: MEMBERS, ranges: 5 },
    ]);
  }, 120_000);

  it('reads the same members without explicit ranges (the server decides)', async () => {
    const snapshot = await provider(undefined, recordingLogger()).fetch({
      users: true,
      groups: true,
      mode: 'full',
    });
    expect(
      snapshot.groups?.find((g) => g.name === 'everyone-big')?.userMemberExternalIds,
    ).toHaveLength(MEMBERS);
  }, 120_000);
});
