import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'ldapts';
import { readFile } from 'node:fs/promises';
import { contractFixture, generateLdif, startSlapd, type RunningLdapServer } from './index';

describe('startSlapd', () => {
  let server: RunningLdapServer;

  beforeAll(async () => {
    server = await startSlapd({
      ldif: generateLdif(contractFixture('ldap'), 'dc=example,dc=com'),
      sizeLimit: 3,
    });
  }, 60_000);
  afterAll(async () => server?.stop());

  it('serves the fixture over ldaps with memberOf filled in', async () => {
    const client = new Client({
      url: server.ldapsUrl,
      tlsOptions: { ca: await readFile(server.caCertPath) },
    });
    try {
      await client.bind(server.bindDn, server.bindPassword);
      const { searchEntries } = await client.search(server.baseDn, {
        filter: '(uid=alice)',
        attributes: ['memberOf', 'mail'],
      });
      expect(searchEntries[0]?.mail).toBe('alice@example.com');
      expect(searchEntries[0]?.memberOf).toBe('cn=engineering,ou=groups,dc=example,dc=com');
    } finally {
      await client.unbind();
    }
  });

  it('speaks StartTLS on the plain port and enforces its size limit on ordinary accounts', async () => {
    const client = new Client({ url: server.startTlsUrl! });
    try {
      await client.startTLS({ ca: await readFile(server.caCertPath) });
      await client.bind(server.bindDn, server.bindPassword);
      await expect(
        client.search(server.baseDn, { filter: '(objectClass=inetOrgPerson)' }),
      ).rejects.toMatchObject({ code: 4 });
      const paged = await client.search(server.baseDn, {
        filter: '(objectClass=inetOrgPerson)',
        paged: { pageSize: 2 },
      });
      expect(paged.searchEntries).toHaveLength(5);
    } finally {
      await client.unbind();
    }
  });

  it('adds, modifies and deletes entries', async () => {
    await server.add(
      'dn: uid=zed,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: zed\ncn: zed\nsn: Z\nmail: zed@example.com\n',
    );
    await server.modify(
      'dn: uid=zed,ou=people,dc=example,dc=com\nchangetype: modify\nreplace: mail\nmail: zed2@example.com\n',
    );
    const client = new Client({ url: server.url });
    try {
      await client.bind(server.adminDn, server.adminPassword);
      const found = await client.search('uid=zed,ou=people,dc=example,dc=com', { scope: 'base' });
      expect(found.searchEntries[0]?.mail).toBe('zed2@example.com');
      await server.delete('uid=zed,ou=people,dc=example,dc=com');
      await expect(
        client.search('uid=zed,ou=people,dc=example,dc=com', { scope: 'base' }),
      ).rejects.toMatchObject({ code: 32 });
    } finally {
      await client.unbind();
    }
  });
});
