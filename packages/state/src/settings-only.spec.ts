import { describe, expect, it } from '@jest/globals';
import { withMemberListsLast, withoutMemberLists } from './settings-only';

const lists = [
  {
    organizationId: 'org-1',
    directoryType: 0,
    members: [
      { externalId: 'cn=a,ou=x', email: 'a@example.com' },
      // Brackets, braces, quotes and backslashes inside strings are not structure.
      { externalId: 'cn=b ]}{[ \\"quoted\\" \\\\', email: 'b"}]@example.com' },
      { externalId: 'cn=\u00e9t\u00e9 \\\\', email: 'c@example.com' },
      // A string that ends in a backslash, then brackets that a misread string boundary would count.
      { externalId: 'ends in a backslash \\', email: ']]]]}}}}@example.com' },
    ],
    groupMemberCounts: { 'cn=g1': 2, 'cn=g]"': 0 },
  },
];

const settings = {
  stateVersion: 9,
  writtenBy: 'bwdc',
  directoryType: 0,
  directoryLdap: { hostname: 'ldap.example.com', rootPath: 'dc=example,dc=com' },
  sync: { users: true, groups: true },
};

/** data.json as every write lays it out. */
const written = (document: Record<string, unknown>): Buffer =>
  Buffer.from(`${JSON.stringify(withMemberListsLast(document), null, 2)}\n`);

describe('withMemberListsLast', () => {
  it('moves the member lists last and keeps every other key, in order', () => {
    const document = { managedMembers: lists, ...settings, apiKeyClientId: 'id' };
    const laid = withMemberListsLast(document);
    expect(Object.keys(laid)).toEqual([
      ...Object.keys(settings),
      'apiKeyClientId',
      'managedMembers',
    ]);
    expect(laid).toEqual(document);
    expect(withMemberListsLast(settings)).toBe(settings);
  });
});

describe('withoutMemberLists', () => {
  it('gives the settings of a file laid out as bwdc writes it, without parsing the lists', () => {
    const text = withoutMemberLists(written({ managedMembers: lists, ...settings }));
    expect(text).toBeDefined();
    expect(text).not.toContain('managedMembers');
    expect(JSON.parse(text!)).toEqual(settings);
    // Without a trailing line break too.
    const bytes = written({ ...settings, managedMembers: lists });
    expect(JSON.parse(withoutMemberLists(bytes.subarray(0, bytes.length - 1))!)).toEqual(settings);
  });

  it('leaves any other layout to a whole parse', () => {
    const cases: [string, Buffer][] = [
      ['no member lists', written(settings)],
      [
        'a key after the lists',
        Buffer.from(JSON.stringify({ ...settings, managedMembers: lists, z: 1 }, null, 2)),
      ],
      [
        'compact, as another program may write it',
        Buffer.from(JSON.stringify({ ...settings, managedMembers: lists })),
      ],
      [
        'a key hidden after the lists on their last line',
        Buffer.from(
          `${JSON.stringify(settings, null, 2).slice(0, -2)},\n  "managedMembers": [], "directoryLdap": {"hostname": "other"}\n}\n`,
        ),
      ],
      [
        'lists that are not a list',
        Buffer.from(
          `${JSON.stringify(settings, null, 2).slice(0, -2)},\n  "managedMembers": 5\n}\n`,
        ),
      ],
    ];
    for (const [name, bytes] of cases)
      expect([name, withoutMemberLists(bytes)]).toEqual([name, undefined]);
  });

  it('leaves a file cut short anywhere in the lists to a whole parse', () => {
    const bytes = written({ ...settings, managedMembers: lists });
    const start = bytes.indexOf('"managedMembers"');
    for (let end = start; end < bytes.length - 2; end++)
      expect([end, withoutMemberLists(bytes.subarray(0, end))]).toEqual([end, undefined]);
  });
});
