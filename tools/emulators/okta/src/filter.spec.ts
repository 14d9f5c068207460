import { describe, expect, it } from '@jest/globals';
import { FilterParseError, parseOktaFilter } from './filter';

const user = {
  status: 'ACTIVE',
  lastUpdated: '2026-01-02T00:00:00.000Z',
  profile: { email: 'Alice@Example.com', department: 'Eng', level: 3 },
};

describe('parseOktaFilter', () => {
  it.each([
    ['status eq "ACTIVE"', true],
    ['status eq "active"', true],
    ['status ne "ACTIVE"', false],
    ['profile.email sw "alice"', true],
    ['profile.email co "example"', true],
    ['lastUpdated gt "2026-01-01T00:00:00.000Z"', true],
    ['lastUpdated lt "2026-01-01T00:00:00.000Z"', false],
    ['lastUpdated ge "2026-01-02T00:00:00.000Z"', true],
    ['profile.level le 3', true],
    ['profile.department pr', true],
    ['profile.manager pr', false],
    ['status eq "SUSPENDED" or profile.department eq "Eng"', true],
    [
      '(status eq "SUSPENDED" or profile.department eq "Eng") and lastUpdated gt "2027-01-01T00:00:00.000Z"',
      false,
    ],
  ])('%s -> %s', (expression, expected) => {
    expect(parseOktaFilter(expression)(user)).toBe(expected);
  });

  it.each([
    'status equals "ACTIVE"',
    'status eq ACTIVE',
    '(status eq "A"',
    'status eq "A" extra',
    'status eq "open',
  ])('rejects %s', (expression) => {
    expect(() => parseOktaFilter(expression)).toThrow(FilterParseError);
  });
});
