import { describe, expect, it } from '@jest/globals';
import { joinJsonStrings } from './json-strings';

describe('joinJsonStrings', () => {
  const ids = ['cn=a,ou=x', 'uid=b,dc=example', 'Ünïcödé é', ''];

  it("is JSON.stringify's elements, compact or indented", () => {
    expect(`[${joinJsonStrings(ids)}]`).toBe(JSON.stringify(ids));
    expect(`[\n  ${joinJsonStrings(ids, ',\n  ')}\n]`).toBe(JSON.stringify(ids, null, 2));
    expect(joinJsonStrings([])).toBe('');
    expect(joinJsonStrings(['one'])).toBe('"one"');
  });

  it('leaves every string JSON.stringify escapes to it', () => {
    for (const odd of ['a"b', 'c\\d', 'e\nf', '\u0001', '\ud800', '\ud83d\ude00', '","'])
      for (const separator of [',', ',\n    '])
        expect([odd, joinJsonStrings([...ids, odd], separator)]).toEqual([odd, undefined]);
    // Halves of a pair in two ids are two lone surrogates.
    expect(joinJsonStrings(['\ud83d', '\ude00'])).toBeUndefined();
  });
});
