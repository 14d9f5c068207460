import { describe, expect, it } from '@jest/globals';
import { jsonPieces } from './json-pieces';

const ids = (n: number, prefix = 'uid=user') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i},ou=people,dc=example,dc=com`);

/** Shaped like `bwdc test`'s plan, large enough for every array to be sliced. */
const plan = {
  object: 'test',
  groups: Array.from({ length: 600 }, (_, g) => ({
    externalId: `cn=g${g}`,
    displayName: g % 7 ? `Group ${g}` : 'Ünïcode "quoted" \\ name\n',
    userIds: ids(g === 0 ? 3000 : g % 50),
  })),
  enabledUsers: ids(1000).map((id) => ({ externalId: id, displayName: `${id}@example.com` })),
  disabledUsers: [],
  deletedUsers: [{ externalId: 'x', displayName: 'x@example.com' }],
};

const cases: [string, unknown][] = [
  ['the test plan', plan],
  ['the plan wrapped by --response', { success: true, data: plan }],
  [
    'a long list of settings',
    { object: 'list', data: ids(700).map((name) => ({ name, value: null })) },
  ],
  [
    'what JSON.stringify leaves out or turns to null',
    {
      a: undefined,
      f: () => 1,
      big: Array.from({ length: 300 }, (_, i) => (i % 3 ? i : undefined)),
      date: new Date(0),
      nested: { deeper: { list: ids(400) }, empty: {}, none: [] },
    },
  ],
  ['a bare long array', ids(1000)],
  [
    'long arrays inside array elements, between ordinary ones',
    Array.from({ length: 200 }, (_, i) =>
      i % 50 === 3 ? { list: ids(100), n: i } : i % 70 === 5 ? ids(70) : { n: i },
    ),
  ],
  [
    'long runs of strings, some needing escapes, between other values',
    Array.from(
      { length: 5000 },
      (_, i) =>
        [
          `cn=a "quoted" ${i}`,
          `cn=back\\slash ${i}`,
          `line\nbreak ${i}`,
          `\u0001 control ${i}`,
          `lone \ud800 surrogate ${i}`,
          `pair \ud83d\ude00 ${i}`,
          `bidi \u202e and \u2028 ${i}`,
          i,
          null,
          '",",',
          '',
        ][i % 400 === 0 ? (i / 400) % 11 : 11] ?? `uid=user${i},ou=people`,
    ),
  ],
  ['a small value', { object: 'message', title: 'ok' }],
];

describe('jsonPieces', () => {
  for (const [name, value] of cases) {
    it(`writes exactly JSON.stringify's text for ${name}, compact and indented`, () => {
      expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value));
      expect([...jsonPieces(value, '  ')].join('')).toBe(JSON.stringify(value, null, '  '));
    });
  }

  it('writes a large document in small pieces, a large group included', () => {
    const pieces = [...jsonPieces(plan)];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    expect(total).toBeGreaterThan(500_000);
    // Tens of kilobytes at most, though group 0 alone lists 3000 members.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(40_000);
  });
});
