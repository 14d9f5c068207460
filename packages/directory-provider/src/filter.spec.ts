import { FilterSyntaxError } from '@bwdc/core';
import {
  OFFICIAL_FILTER_SYNTAX,
  filterMatcher,
  filterProblem,
  parseFilter,
  type FilterSyntax,
} from './filter';

const ENTRA_LIKE: FilterSyntax = {
  form: 'clause',
  userKeywords: ['include', 'exclude', 'includeGroup'],
  groupKeywords: ['include', 'exclude'],
};
const LDAP_LIKE: FilterSyntax = {
  form: 'native',
  userKeywords: ['include', 'exclude'],
  groupKeywords: ['include', 'exclude'],
};

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

  it('accepts directory-specific keywords where the syntax allows them, per kind of filter', () => {
    expect(parseFilter('includeGroup:ID1,id2', ENTRA_LIKE, 'user').clause).toEqual({
      keyword: 'includegroup',
      values: ['id1', 'id2'],
    });
    expect(() => parseFilter('includeGroup:ID1', ENTRA_LIKE, 'group')).toThrow(
      'unknown keyword "includeGroup"; use one of include, exclude',
    );
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

describe('parseFilter with the native form (LDAP)', () => {
  it.each([
    '(memberOf=CN=Bitwarden,OU=Groups,DC=corp,DC=example)',
    '(!(userAccountControl:1.2.840.113556.1.4.803:=2))',
    '(|(memberOf=cn=a,dc=x)(memberOf=cn=b,dc=x))',
    '(&(ou:dn:=Chicago)(!(ou:dn:=Wrigleyville)))',
    '(memberOf:1.2.840.113556.1.4.1941:=cn=Heroes,ou=users,dc=company,dc=com)',
    'mail=*',
  ])('takes %p whole as the directory filter', (filter) => {
    expect(parseFilter(`  ${filter} `, LDAP_LIKE, 'user')).toEqual({
      clause: undefined,
      native: filter,
    });
  });

  it('reads a clause only when the text starts with a keyword and a colon', () => {
    expect(parseFilter('Include: a@x.io |(|(ou=a)(ou=b))', LDAP_LIKE, 'user')).toEqual({
      clause: { keyword: 'include', values: ['a@x.io'] },
      native: '(|(ou=a)(ou=b))',
    });
    expect(parseFilter('exclude:sales', LDAP_LIKE, 'group')).toEqual({
      clause: { keyword: 'exclude', values: ['sales'] },
      native: undefined,
    });
    // Not a keyword of this directory: the directory's filter, for its provider to judge.
    expect(parseFilter('includeGroup:x', LDAP_LIKE, 'user')).toEqual({
      clause: undefined,
      native: 'includeGroup:x',
    });
  });

  it('still rejects a malformed clause that starts with a keyword', () => {
    expect(() => parseFilter('include: , |(cn=*)', LDAP_LIKE, 'user')).toThrow(
      '"include:" lists no values',
    );
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

describe('filterProblem', () => {
  const strict = {
    ...OFFICIAL_FILTER_SYNTAX,
    nativeProblem: (native: string) => (native.includes('(') ? undefined : 'needs parentheses'),
  };

  it('names the setting of a malformed clause, as the run does', () => {
    expect(filterProblem('includ:a@example.com', OFFICIAL_FILTER_SYNTAX, 'user')).toBe(
      'Invalid filter "includ:a@example.com" in sync.userFilter: unknown keyword "includ"; use one of include, exclude',
    );
    expect(() => parseFilter('exclude:', OFFICIAL_FILTER_SYNTAX, 'group')).toThrow(
      'Invalid filter "exclude:" in sync.groupFilter: "exclude:" lists no values',
    );
  });

  it("asks the provider's check about the native part only", () => {
    expect(filterProblem('include:a|x=1', strict, 'user')).toBe('needs parentheses');
    expect(filterProblem('include:a|(x=1)', strict, 'user')).toBeUndefined();
    expect(filterProblem('include:a', strict, 'user')).toBeUndefined();
    expect(filterProblem('', strict, 'user')).toBeUndefined();
  });
});
