import { cursorFromOfficialSync, nextCursor, parseCursor } from './revision';

const USERS = new Date('2026-11-20T08:10:00.000Z');
const GROUPS = new Date('2026-11-20T08:12:00.000Z');
const both = { users: true, groups: true };

describe('cursorFromOfficialSync', () => {
  it('reads users and groups from the official times, by the configured attribute, unverified', () => {
    const text = cursorFromOfficialSync(' whenChanged ', { users: USERS, groups: GROUPS }, both);
    expect(parseCursor(text, both)).toEqual({
      v: 1,
      attr: 'whenChanged',
      users: USERS.toISOString(),
      groups: GROUPS.toISOString(),
      unverified: true,
    });
  });

  it('offers none where the official connector read everything: no revision attribute set', () => {
    for (const attr of [undefined, '', '  '])
      expect(cursorFromOfficialSync(attr, { users: USERS, groups: GROUPS }, both)).toBeUndefined();
  });

  it('offers none when a kind now read has no official time', () => {
    expect(cursorFromOfficialSync('whenChanged', { groups: GROUPS }, both)).toBeUndefined();
    expect(cursorFromOfficialSync('whenChanged', { users: USERS }, both)).toBeUndefined();
    const usersOnly = cursorFromOfficialSync(
      'modifyTimestamp',
      { users: USERS },
      { users: true, groups: false },
    );
    expect(parseCursor(usersOnly, { users: true, groups: false })).toMatchObject({
      users: USERS.toISOString(),
    });
  });

  it("is replaced after the read by a cursor of bwdc's own", () => {
    const official = parseCursor(
      cursorFromOfficialSync('whenChanged', { users: USERS, groups: GROUPS }, both),
      both,
    );
    const next = JSON.parse(nextCursor('whenChanged', '2026-11-30T00:00:00.000Z', both, official));
    expect(next).not.toHaveProperty('unverified');
  });
});
