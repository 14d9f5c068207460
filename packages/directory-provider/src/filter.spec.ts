import { FilterSyntaxError } from '@bwdc/core';
import { filterMatcher, parseFilter } from './filter';

describe('parseFilter', () => {
  it('treats empty and blank filters as no filter', () => {
    expect(parseFilter(undefined)).toEqual({ clause: undefined, native: undefined });
    expect(parseFilter('  ')).toEqual({ clause: undefined, native: undefined });
  });

  it('parses an include list, trimmed and lower-cased, empty values dropped', () => {
    expect(parseFilter('include: Alice@Example.com ,bob@example.com,,')).toEqual({
      clause: { keyword: 'include', values: ['alice@example.com', 'bob@example.com'] },
      native: undefined,
    });
  });

  it('accepts the keyword in any case', () => {
    expect(parseFilter('EXCLUDE:a@x.io')!.clause!.keyword).toBe('exclude');
  });

  it('splits the native query off after the first bar', () => {
    expect(parseFilter('exclude:a@x.io|(department=Sales)')).toEqual({
      clause: { keyword: 'exclude', values: ['a@x.io'] },
      native: '(department=Sales)',
    });
  });

  it('keeps an LDAP OR filter whole, bars included', () => {
    expect(parseFilter('|(|(ou=a)(ou=b))').native).toBe('(|(ou=a)(ou=b))');
    expect(parseFilter('include:x|(|(ou=a)(ou=b))').native).toBe('(|(ou=a)(ou=b))');
  });

  it('allows a native query alone', () => {
    expect(parseFilter('|orgUnitPath=/Staff')).toEqual({
      clause: undefined,
      native: 'orgUnitPath=/Staff',
    });
  });

  it('accepts directory-specific keywords when the provider allows them', () => {
    expect(
      parseFilter('includeGroup:ID1,id2', ['include', 'exclude', 'includeGroup']).clause,
    ).toEqual({
      keyword: 'includegroup',
      values: ['id1', 'id2'],
    });
  });

  it.each([
    ['includ:a@x.io', 'unknown keyword "includ"; use one of include, exclude'],
    ['include', '"include" must be one keyword and a list'],
    ['include:a:b', '"include:a:b" must be one keyword and a list'],
    ['include: , ', '"include:" lists no values'],
    ['includeGroup:abc', 'unknown keyword "includeGroup"'],
  ])('rejects %p with a clear message', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it('quotes the whole filter in the error', () => {
    expect(() => parseFilter('bogus:x|(cn=*)')).toThrow('Invalid filter "bogus:x|(cn=*)"');
  });
});

describe('filterMatcher', () => {
  it('keeps everything without a clause', () => {
    expect(filterMatcher(undefined)('anyone@x.io')).toBe(true);
  });

  it('include keeps only listed values, case-insensitively', () => {
    const keep = filterMatcher(parseFilter('include:alice@x.io').clause);
    expect(keep('ALICE@x.io ')).toBe(true);
    expect(keep('bob@x.io')).toBe(false);
    expect(keep(undefined)).toBe(false);
  });

  it('exclude drops only listed values', () => {
    const keep = filterMatcher(parseFilter('exclude:alice@x.io').clause);
    expect(keep('Alice@X.io')).toBe(false);
    expect(keep('bob@x.io')).toBe(true);
  });
});
