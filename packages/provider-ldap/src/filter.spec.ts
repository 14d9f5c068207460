import { describe, expect, it } from '@jest/globals';
import { LDAP_FILTER_SYNTAX, ldapFilterMessage, ldapFilterProblem } from './filter';

describe('ldapFilterProblem', () => {
  it.each([
    '(&(a=1)(b=2))',
    '(a=\\29)',
    '(a=1)(b=2)',
    ' (mail=*) ',
    '(!(userAccountControl:1.2.840.113556.1.4.803:=2))',
    '(&(ou:dn:=Chicago)(!(ou:dn:=Wrigleyville)))',
    '(memberOf:1.2.840.113556.1.4.1941:=cn=Heroes,ou=users,dc=company,dc=com)',
    '(cn>=m)',
    '(&)',
  ])('accepts %p', (filter) => {
    expect(ldapFilterProblem(filter)).toBeUndefined();
  });

  it.each([
    ['(a=1', 'never closed'],
    ['(&(a=1)(b=2)', 'never closed'],
    ['(a=1))', 'unmatched ")" at position 6'],
    [')(a=1)', 'unmatched ")" at position 1'],
    ['(&())', 'empty "()"'],
    ['(!(a=1)(b=2))', 'exactly one filter'],
    ['(cn=Sales (EMEA))', 'unescaped "("'],
    ['(inclde:a@x.com)', 'not an attribute, an operator'],
    ['(=x)', 'not an attribute, an operator'],
    ['(a=1) b', 'text outside parentheses'],
    ['', 'empty'],
  ])('refuses %p: %s', (filter, problem) => {
    expect(ldapFilterProblem(filter)).toContain(problem);
  });
});

describe('ldapFilterMessage (what config refuses and a read fails with)', () => {
  it('names the setting, the problem and what to write instead', () => {
    expect(ldapFilterMessage('group', '(&(cn=staff)')).toBe(
      'sync.groupFilter: "(&(cn=staff)" is not a valid LDAP filter: the "(" at position 1 is never closed. ' +
        'Write an LDAP filter such as (memberOf=cn=staff,ou=groups,dc=example,dc=com), or start with include: or exclude: and a list of group names.',
    );
    expect(ldapFilterMessage('user', 'mail=*')).toBeUndefined();
  });

  it('is the check the LDAP syntax declares for config', () => {
    expect(LDAP_FILTER_SYNTAX.nativeProblem?.('(a=1', 'user', '(a=1')).toBe(
      ldapFilterMessage('user', '(a=1'),
    );
  });
});
