import { formatDateTime, formatRelative, plural, syncSentence, formatLogTime } from './format';
import { membersByName } from './screens/TestResults';

describe('dashboard formatting', () => {
  it('says what a sync sent, like `bwdc sync`', () => {
    expect(
      syncSentence({ usersSynced: 7, groupsSynced: 1, requestsSent: 1, skippedUnchanged: false }),
    ).toBe('Synced 1 group and 7 users.');
    expect(
      syncSentence({ usersSynced: 0, groupsSynced: 0, requestsSent: 0, skippedUnchanged: true }),
    ).toBe('Nothing changed since the last sync, so nothing was sent.');
    expect(
      syncSentence({ usersSynced: 0, groupsSynced: 0, requestsSent: 0, skippedUnchanged: false }),
    ).toBe('Nothing changed since the last sync, so nothing was sent.');
  });

  it('formats times and counts', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(formatRelative('2026-03-01T11:59:40Z', now)).toBe('just now');
    expect(formatRelative('2026-03-01T11:15:00Z', now)).toBe('45 min ago');
    expect(formatRelative('2026-03-01T07:00:00Z', now)).toBe('5 h ago');
    expect(formatRelative('2026-02-28T12:00:00Z', now)).toBe('1 day ago');
    expect(formatRelative(null, now)).toBe('');
    expect(formatDateTime(null)).toBe('Never');
    expect(formatDateTime('2026-03-01T12:00:00Z', 'en-US')).toMatch(/Mar 1, 2026/);
    expect(plural(1, 'group')).toBe('1 group');
    expect(plural(2000, 'user')).toBe('2,000 users');
  });
});

describe('formatLogTime', () => {
  it('gives the local date and time to the second, zero-padded to one width', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5).toISOString();
    expect(formatLogTime(at)).toBe('2026-01-02 03:04:05');
    expect(formatLogTime('not a time')).toBe('not a time');
  });
});

describe('membersByName', () => {
  it("sorts a group's members by the name shown, case-insensitively, ids last resort", () => {
    const names = new Map([
      ['u1', 'carol@example.com'],
      ['u2', 'Alice@example.com'],
      ['u3', 'bob@example.com'],
    ]);
    expect(membersByName(['u1', 'u2', 'u3', 'u0'], names).map((m) => m.name)).toEqual([
      'Alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'u0',
    ]);
  });
});
