import { describe, expect, it } from '@jest/globals';
import { ldapFilterProblem } from './filter';

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
