import { user } from './__fixtures__/helpers';
import { LeftOutLog } from './left-out';

describe('LeftOutLog', () => {
  it('keeps the provider warnings first, then entries and warnings in the order they come', () => {
    const log = new LeftOutLog(['from the provider']);
    log.user(user('a'), 'no-email', 'a has no email');
    log.user(user('b'), 'user-filter', 'b is filtered', false);
    log.warn('something else');
    expect(log.warnings).toEqual(['from the provider', 'a has no email', 'something else']);
    expect(log.entries.map((e) => [e.externalId, e.label, e.reason])).toEqual([
      ['id-a', 'a@example.com', 'no-email'],
      ['id-b', 'b@example.com', 'user-filter'],
    ]);
  });

  it('names groups by their name', () => {
    const log = new LeftOutLog([]);
    log.group(
      {
        externalId: 'g',
        referenceId: 'cn=g',
        name: 'Ops',
        userMemberExternalIds: [],
        groupMemberReferenceIds: [],
      },
      'group-filter',
      'Ops is filtered',
      false,
    );
    expect(log.entries).toEqual([
      {
        kind: 'group',
        externalId: 'g',
        referenceId: 'cn=g',
        label: 'Ops',
        reason: 'group-filter',
        message: 'Ops is filtered',
      },
    ]);
    expect(log.warnings).toEqual([]);
  });

  it("keeps a user's first reason, except that dedupe's tombstone verdict replaces it", () => {
    const log = new LeftOutLog([]);
    log.user(user('a'), 'user-filter', 'filtered', false);
    log.notSentAs('id-a', 'deleted');
    expect(log.whyNotSent('id-a')).toBe('user-filter');
    log.user(user('a'), 'tombstone', 'old entry', true, 'a@example.com');
    expect(log.whyNotSent('id-a')).toBe('tombstone');
    expect(log.whyNotSent('id-b')).toBeUndefined();
  });
});
