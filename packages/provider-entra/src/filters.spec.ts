import { describe, expect, it } from '@jest/globals';
import { FilterSyntaxError } from '@bwdc/core';
import { groupPasses, parseGroupFilter, parseUserFilter, userPasses } from './filters';

describe('Entra user filter', () => {
  it('reads every clause, keywords case-insensitively, values lower-cased', () => {
    const filter = parseUserFilter(
      'IncludeGroup:AAA,bbb | exclude:Carol@Example.com|excludeGroup:ccc',
    );
    expect(filter).toEqual({
      includeEmails: undefined,
      excludeEmails: new Set(['carol@example.com']),
      includeGroupIds: ['aaa', 'bbb'],
      excludeGroupIds: ['ccc'],
    });
  });

  it('merges repeated keywords', () => {
    expect(parseUserFilter('include:a@x.com|include:b@x.com').includeEmails).toEqual(
      new Set(['a@x.com', 'b@x.com']),
    );
  });

  it('keeps everyone without a filter', () => {
    expect(userPasses(parseUserFilter(undefined), { id: 'u', email: undefined }, {})).toBe(true);
  });

  it('applies all clauses together', () => {
    const filter = parseUserFilter('includeGroup:g|exclude:bob@x.com');
    const inGroup = new Set(['alice', 'bob']);
    expect(userPasses(filter, { id: 'alice', email: 'alice@x.com' }, { included: inGroup })).toBe(
      true,
    );
    expect(userPasses(filter, { id: 'bob', email: 'bob@x.com' }, { included: inGroup })).toBe(
      false,
    );
    expect(userPasses(filter, { id: 'carol', email: 'carol@x.com' }, { included: inGroup })).toBe(
      false,
    );
  });

  it('drops a user without email when emails are included by name', () => {
    expect(userPasses(parseUserFilter('include:a@x.com'), { id: 'u', email: undefined }, {})).toBe(
      false,
    );
  });

  it.each([
    ['an unknown keyword', 'includeAdministrativeUnit:x'],
    ['a clause without values', 'include:'],
    ['an empty clause', 'include:a@x.com||exclude:b@x.com'],
    ['text that is no clause', 'include:a@x.com|(mail=*)'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseUserFilter(text)).toThrow(FilterSyntaxError);
  });
});

describe('Entra group filter', () => {
  it('matches names case-insensitively and administrative-unit sets by id', () => {
    const filter = parseGroupFilter('exclude:Sales|includeAdministrativeUnit:AU1');
    expect(filter.includeUnitIds).toEqual(['au1']);
    const inUnit = new Set(['g1', 'g2']);
    expect(groupPasses(filter, { id: 'G1', name: 'Engineering' }, { included: inUnit })).toBe(true);
    expect(groupPasses(filter, { id: 'g2', name: ' SALES ' }, { included: inUnit })).toBe(false);
    expect(groupPasses(filter, { id: 'g3', name: 'Support' }, { included: inUnit })).toBe(false);
  });

  it('rejects user keywords', () => {
    expect(() => parseGroupFilter('includeGroup:x')).toThrow(/unknown keyword "includeGroup"/);
  });
});
