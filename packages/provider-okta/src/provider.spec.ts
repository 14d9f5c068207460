import { officialCursor } from './provider';

const USERS = new Date('2026-11-20T08:10:00.000Z');
const GROUPS = new Date('2026-11-20T08:05:00.000Z');

describe('officialCursor', () => {
  it('starts from the earlier of the official times of the kinds read', () => {
    const times = { users: USERS, groups: GROUPS };
    expect(officialCursor(times, { users: true, groups: true })).toBe(GROUPS.toISOString());
    expect(officialCursor(times, { users: true, groups: false })).toBe(USERS.toISOString());
    expect(officialCursor(times, { users: false, groups: true })).toBe(GROUPS.toISOString());
  });

  it('offers none when a kind read has no official time, or nothing is read', () => {
    expect(officialCursor({ groups: GROUPS }, { users: true, groups: true })).toBeUndefined();
    expect(officialCursor({ users: USERS }, { users: true, groups: true })).toBeUndefined();
    expect(officialCursor({ users: USERS }, { users: false, groups: false })).toBeUndefined();
  });
});
