/**
 * What a sync will change (or changed), as text for a person: counts first, then names, long lists
 * cut with "and N more" unless `all` is set. `bwdc test --changes` and `bwdc sync` share it.
 */
import type { ChangesReport, OrganizationChanges, SyncReport } from '@bwdc/connector';

export interface TextOptions {
  /** List every entry instead of the first few. */
  readonly all?: boolean;
}

/** Entries a list shows before "and N more". */
const LISTED = 10;
/** Names shown inside one line (a group's added or removed members). */
const INLINE = 5;

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function cut<T>(items: readonly T[], limit: number, all: boolean): { shown: T[]; more: number } {
  if (all || items.length <= limit) return { shown: [...items], more: 0 };
  return { shown: items.slice(0, limit), more: items.length - limit };
}

function section<T>(
  title: string,
  items: readonly T[],
  line: (item: T) => string,
  options: TextOptions,
): string[] {
  if (items.length === 0) return [];
  const { shown, more } = cut(items, LISTED, options.all ?? false);
  const lines = [
    `${title} (${items.length.toLocaleString('en-US')}):`,
    ...shown.map((i) => `  ${line(i)}`),
  ];
  if (more > 0) lines.push(`  and ${more.toLocaleString('en-US')} more (--all lists everything)`);
  return lines;
}

function inline(names: readonly string[], options: TextOptions): string {
  const { shown, more } = cut(names, INLINE, options.all ?? false);
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function groupLine(g: OrganizationChanges['groups'][number], options: TextOptions): string {
  const parts: string[] = [];
  if (g.create) parts.push('new group');
  if (g.renamedFrom !== undefined) parts.push(`renamed from "${g.renamedFrom}"`);
  if (!g.membersCompared) {
    parts.push('members set from the directory (not compared)');
  } else if (g.create) {
    parts.push(
      g.add.length === 0
        ? 'no members'
        : `${plural(g.add.length, 'member')}: ${inline(g.add, options)}`,
    );
  } else {
    if (g.add.length > 0) parts.push(`+${g.add.length} (${inline(g.add, options)})`);
    if (g.remove.length > 0) parts.push(`-${g.remove.length} (${inline(g.remove, options)})`);
  }
  return `${g.name}: ${parts.join('; ')}`;
}

/** The headline counts: "3 to invite, 1 to remove, 2 groups to change". */
function headline(c: OrganizationChanges, verb: 'will' | 'did'): string {
  const parts =
    verb === 'will'
      ? [
          `${c.counts.invite.toLocaleString('en-US')} to invite`,
          `${c.counts.remove.toLocaleString('en-US')} to remove`,
          `${plural(c.groups.length, 'group')} to change`,
        ]
      : [
          `${c.counts.invite.toLocaleString('en-US')} invited`,
          `${c.counts.remove.toLocaleString('en-US')} removed`,
          `${plural(c.groups.length, 'group')} changed`,
        ];
  if (c.counts.link > 0) parts.push(`${c.counts.link.toLocaleString('en-US')} linked by email`);
  return parts.join(', ');
}

/** The lists of one set of changes, shared by the test and the sync summaries. */
function details(c: OrganizationChanges, options: TextOptions, verb: 'will' | 'did'): string[] {
  const lines: string[] = [];
  const add = (block: string[]): void => {
    if (block.length > 0) lines.push(...block);
  };
  add(section(verb === 'will' ? 'Invite' : 'Invited', c.invite, (m) => m.email, options));
  add(
    section(
      verb === 'will' ? 'Remove' : 'Removed',
      c.remove,
      (m) => `${m.email} (${m.externalId}, ${m.role}): ${m.reason}`,
      options,
    ),
  );
  add(section('Groups', c.groups, (g) => groupLine(g, options), options));
  if (c.groupsNotCompared > 0) {
    lines.push(
      verb === 'will'
        ? `The members of ${plural(c.groupsNotCompared, 'existing group')} were not read, so their member changes are not shown.`
        : `The members of ${plural(c.groupsNotCompared, 'existing group')} were set from the directory (not compared; \`bwdc test --changes\` shows them before a sync).`,
    );
  }
  add(
    section(
      verb === 'will' ? 'Link by email (member without an externalId)' : 'Linked by email',
      c.link,
      (m) => `${m.email} -> ${m.externalId}`,
      options,
    ),
  );
  add(
    section(
      'Not invited: the email already belongs to a member',
      c.notInvited,
      (m) => `${m.email} (${m.externalId}): ${m.reason}`,
      options,
    ),
  );
  add(
    section(
      'Owners kept',
      c.keptOwners,
      (m) => `${m.email} (${m.externalId}): ${m.reason}`,
      options,
    ),
  );
  return lines;
}

/** `bwdc test --changes` for a person. */
export function changesText(report: ChangesReport, options: TextOptions = {}): string {
  const c = report.changes;
  if (!c) return `The organization could not be read: ${report.unavailable ?? 'unknown reason'}`;
  const lines: string[] = [];
  if (c.unchanged) {
    lines.push(
      'Nothing would be sent: the directory has not changed since the last successful sync.',
    );
    if (c.drift) {
      lines.push(
        `The organization has drifted from the directory since then. Sending everything again (\`bwdc clear-cache\`, then \`bwdc sync\`) would change: ${headline(c.drift, 'will')}.`,
        '',
        ...details(c.drift, options, 'will'),
      );
    }
  } else {
    lines.push(`What a sync would change: ${headline(c, 'will')}.`);
    const body = details(c, options, 'will');
    if (body.length > 0) lines.push('', ...body);
  }
  lines.push(
    '',
    ...section(
      'Left alone (no externalId, so the sync never removes them)',
      c.unmanaged,
      (m) => `${m.email} (${m.role}, ${m.status})`,
      options,
    ),
  );
  lines.push(
    ...section(
      'Email in Bitwarden differs from the directory (a sync never changes it)',
      c.emailDiffers,
      (m) => `${m.email} (${m.externalId}); directory: ${m.directoryEmail}`,
      options,
    ),
  );
  lines.push(
    ...section(
      'Not joined yet or revoked (a sync does not change that)',
      c.pending,
      (m) => `${m.email} (${m.externalId}): ${m.status}`,
      options,
    ),
  );
  const warnings: string[] = [];
  if (c.refusal) warnings.push(`The server would refuse the sync: ${c.refusal}`);
  if (report.guard.refused) {
    warnings.push(
      `The safety guard would refuse this sync: ${report.guard.reason ?? ''}${report.guard.forceable ? ' Run `bwdc sync --force` to go ahead on purpose.' : ''}`,
      ...section(
        'Groups it would take members out of',
        report.guard.groupLosses,
        (g) =>
          `${g.name}: ${g.lost} of ${g.before} member(s)${g.after === 0 ? ' (left empty)' : ''}`,
        options,
      ),
    );
  }
  if (warnings.length > 0) lines.push('', ...warnings);
  lines.push(
    '',
    `Members now: ${c.counts.membersBefore.toLocaleString('en-US')}; after the sync: ${c.counts.membersAfter.toLocaleString('en-US')}. Nothing was sent.`,
  );
  return trimBlank(lines).join('\n');
}

/** The lines `bwdc sync` prints after the official two. */
export function syncChangesText(report: SyncReport, options: TextOptions = {}): string | undefined {
  if (report.requestsSent === 0) return undefined;
  const c = report.changes;
  if (c) {
    const lines = [`Changes: ${headline(c, 'did')}.`, ...details(c, options, 'did')];
    return trimBlank(lines).join('\n');
  }
  // The organization could not be read: name at least everyone the requests took out.
  const removed = new Map<string, { email: string; externalId: string; reason: string }>();
  for (const r of [...report.removed, ...report.guard.removals]) {
    if (!removed.has(r.externalId))
      removed.set(r.externalId, {
        email: r.email ?? '(no email)',
        externalId: r.externalId,
        reason: r.reasonText,
      });
  }
  const lines = [
    `The organization could not be read, so invites and group changes are not named${report.changesUnavailable ? ` (${report.changesUnavailable})` : ''}.`,
    ...section(
      'Sent as removed (taken out if they were members)',
      [...removed.values()],
      (m) => `${m.email} (${m.externalId}): ${m.reason}`,
      options,
    ),
  ];
  return lines.join('\n');
}

function trimBlank(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
