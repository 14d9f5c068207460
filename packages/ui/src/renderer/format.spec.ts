import { formatDateTime, formatRelative, plural, syncSentence } from './format';

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
