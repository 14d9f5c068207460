/** Dates and counts as the dashboard shows them. */

export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatRelative(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const ms = now.getTime() - new Date(iso).getTime();
  if (Number.isNaN(ms)) return '';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The CLI's line after a sync, so the app and `bwdc sync` say the same thing. */
export function syncSentence(result: {
  usersSynced: number;
  groupsSynced: number;
  requestsSent: number;
  skippedUnchanged: boolean;
}): string {
  if (result.skippedUnchanged || result.requestsSent === 0)
    return 'Nothing changed since the last sync, so nothing was sent.';
  return `Synced ${plural(result.groupsSynced, 'group')} and ${plural(result.usersSynced, 'user')}.`;
}

/** A log line's time: the local date and time to the second, the same width on every line. */
export function formatLogTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
