import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Control } from 'ldapts';
import { readFile } from 'node:fs/promises';
import {
  contractFixture,
  SAMBA_FIXTURE_OU,
  sambaUserDn,
  startSambaAd,
  type RunningSambaServer,
} from './index';

describe('startSambaAd', () => {
  let server: RunningSambaServer;

  beforeAll(async () => {
    server = await startSambaAd({ fixture: contractFixture('ad') });
  }, 180_000);
  afterAll(async () => server?.stop());

  it('serves the fixture over ldaps with objectGUID, userAccountControl and tombstones', async () => {
    const client = new Client({
      url: server.ldapsUrl,
      tlsOptions: { ca: await readFile(server.caCertPath) },
    });
    try {
      await client.bind(server.bindDn, server.bindPassword);
      const { searchEntries } = await client.search(`OU=People,${SAMBA_FIXTURE_OU}`, {
        filter: '(objectClass=user)',
        attributes: ['sAMAccountName', 'userAccountControl', 'objectGUID'],
        explicitBufferAttributes: ['objectGUID'],
      });
      const byName = Object.fromEntries(searchEntries.map((e) => [String(e.sAMAccountName), e]));
      expect(Object.keys(byName).sort()).toEqual(['alice', 'bob', 'carol', 'dave']);
      expect(Number(byName.carol!.userAccountControl) & 2).toBe(2);
      expect(Number(byName.alice!.userAccountControl) & 2).toBe(0);
      expect((byName.alice!.objectGUID as Buffer).length).toBe(16);
      const deleted = await client.search(
        `CN=Deleted Objects,${server.domainDn}`,
        {
          filter: '(isDeleted=TRUE)',
          attributes: ['sAMAccountName'],
        },
        [new Control('1.2.840.113556.1.4.417', { critical: true })],
      );
      expect(deleted.searchEntries.map((e) => e.sAMAccountName)).toContain('erin');
    } finally {
      await client.unbind();
    }
  });

  it('changes entries at runtime', async () => {
    await server.modify(
      `dn: ${sambaUserDn('dave')}\nchangetype: modify\nreplace: description\ndescription: changed\n`,
    );
    const client = new Client({ url: server.url });
    try {
      await client.bind(server.bindDn, server.bindPassword);
      const found = await client.search(sambaUserDn('dave'), {
        scope: 'base',
        attributes: ['description'],
      });
      expect(found.searchEntries[0]?.description).toBe('changed');
    } finally {
      await client.unbind();
    }
  });
});
