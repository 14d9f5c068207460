import { useState, type ReactNode } from 'react';
import type { ChangesView, MemberRemovalView, SyncSummary, TestResult } from '../../shared/bridge';
import { Alert } from '../components/ui';
import { plural } from '../format';

/** Rows a list shows before "Show all". */
const SHOWN = 25;
/** Names a sentence shows before "and N more". */
const NAMED = 8;

/** "a, b and 3 more", where `total` may exceed the names carried. */
export function names(list: readonly string[], total = list.length, limit = NAMED): string {
  const shown = list.slice(0, limit);
  const more = total - shown.length;
  return more > 0
    ? `${shown.join(', ')} and ${more.toLocaleString('en-US')} more`
    : shown.join(', ');
}

function groupChange(g: ChangesView['groups'][number]): string {
  const parts: string[] = [];
  if (g.create) parts.push('new group');
  if (g.renamedFrom !== null) parts.push(`renamed from "${g.renamedFrom}"`);
  if (!g.membersCompared) parts.push('members set from the directory');
  else if (g.create) parts.push(g.add.length ? `members: ${names(g.add)}` : 'no members');
  else {
    if (g.add.length) parts.push(`adds ${names(g.add)}`);
    if (g.remove.length) parts.push(`takes out ${names(g.remove)}`);
  }
  return parts.join('; ');
}

/** A list that shows its first rows and a button for the rest. */
function Section<T>({
  title,
  items,
  total,
  testId,
  render,
}: {
  title: string;
  items: readonly T[];
  total?: number;
  testId: string;
  render: (item: T) => ReactNode;
}) {
  const [all, setAll] = useState(false);
  if (items.length === 0) return null;
  const shown = all ? items : items.slice(0, SHOWN);
  const count = total ?? items.length;
  return (
    <section className="change-section" data-testid={testId}>
      <h3 className="change-title">
        {title} <span className="tab-count">{count.toLocaleString('en-US')}</span>
      </h3>
      <ul className="change-list">
        {shown.map((item, i) => (
          <li key={i}>{render(item)}</li>
        ))}
      </ul>
      {shown.length < items.length && (
        <button type="button" className="link" onClick={() => setAll(true)}>
          Show all {items.length.toLocaleString('en-US')}
        </button>
      )}
    </section>
  );
}

const removal = (m: MemberRemovalView) => (
  <>
    <strong>{m.email}</strong> <span className="muted">— {m.reason}</span>
  </>
);

/** The lists of one set of changes. */
function ChangeLists({ changes }: { changes: ChangesView }) {
  return (
    <div className="change-lists">
      <Section
        title="Invite"
        items={changes.invite}
        testId="changes-invite"
        render={(m) => m.email}
      />
      <Section title="Remove" items={changes.remove} testId="changes-remove" render={removal} />
      <Section
        title="Groups"
        items={changes.groups}
        testId="changes-groups"
        render={(g) => (
          <>
            <strong>{g.name}</strong> <span className="muted">— {groupChange(g)}</span>
          </>
        )}
      />
      <Section
        title="Linked by email"
        items={changes.link}
        testId="changes-link"
        render={(m) => `${m.email} → ${m.externalId}`}
      />
      <Section
        title="Not invited: the email already belongs to a member"
        items={changes.notInvited}
        testId="changes-not-invited"
        render={removal}
      />
      <Section
        title="Owners kept"
        items={changes.keptOwners}
        testId="changes-kept-owners"
        render={removal}
      />
    </div>
  );
}

function headline(c: ChangesView): string {
  return `${plural(c.counts.invite, 'member')} to invite, ${plural(c.counts.remove, 'member')} to remove, ${plural(c.counts.groups, 'group')} to change.`;
}

/** The Test's first tab: what a sync would change in the organization. */
export function WhatWillChange({
  changes,
  unavailable,
  guard,
}: {
  changes: ChangesView | null;
  unavailable: string | null;
  guard: TestResult['guard'];
}) {
  if (!changes) {
    return (
      <div className="change-panel">
        <Alert kind="info" title="The organization could not be read" testId="changes-unavailable">
          {unavailable ?? 'No reason was given.'} The other tabs show what a sync would send.
        </Alert>
      </div>
    );
  }
  const shown = changes.unchanged ? changes.drift : changes;
  return (
    <div className="change-panel" data-testid="changes">
      {guard.refused && (
        <Alert
          kind="warning"
          title="The safety guard would refuse this sync"
          testId="changes-guard"
        >
          {guard.reason}
          {guard.forceable ? ' Sync Now will ask before going ahead.' : ''}
          {guard.groupLosses.length > 0 && (
            <ul className="change-list guard-list" data-testid="changes-guard-groups">
              {guard.groupLosses.map((g) => (
                <li key={g.externalId}>
                  <strong>{g.name}</strong> — {g.lost.toLocaleString('en-US')} of {g.before}{' '}
                  {g.before === 1 ? 'member' : 'members'}
                  {g.after === 0 ? ' (left empty)' : ''}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {changes.refusal && (
        <Alert kind="error" title="Bitwarden would refuse this sync" testId="changes-refusal">
          {changes.refusal}
        </Alert>
      )}
      {changes.unchanged ? (
        <p className="change-headline" data-testid="changes-headline">
          Nothing would be sent: the directory has not changed since the last successful sync.
          {changes.drift
            ? ` The organization has drifted since then; sending everything again (Clear Sync Cache, then Sync Now) would change: ${headline(changes.drift)}`
            : ''}
        </p>
      ) : (
        <p className="change-headline" data-testid="changes-headline">
          {headline(changes)}
        </p>
      )}
      {shown && <ChangeLists changes={shown} />}
      <Section
        title="Left alone (no external ID, so a sync never removes them)"
        items={changes.unmanaged}
        total={changes.counts.unmanaged}
        testId="changes-unmanaged"
        render={(m) => (
          <>
            {m.email}{' '}
            <span className="muted">
              ({m.role}, {m.status})
            </span>
          </>
        )}
      />
      <p className="muted change-foot">
        Members now: {changes.counts.membersBefore.toLocaleString('en-US')}; after the sync:{' '}
        {changes.counts.membersAfter.toLocaleString('en-US')}. Nothing was sent.
      </p>
    </div>
  );
}

/** Under "Sync complete": who was invited, who was removed and why, which groups changed. */
export function SyncChanges({ result }: { result: SyncSummary }) {
  const c = result.changes;
  if (!c) {
    if (result.removedFromPlan.length === 0) return null;
    return (
      <div className="sync-changes" data-testid="sync-removed">
        <strong>Removed (if they were still members):</strong>
        <ul className="change-list">
          {result.removedFromPlan.map((m) => (
            <li key={m.externalId}>{removal(m)}</li>
          ))}
        </ul>
      </div>
    );
  }
  const lines: ReactNode[] = [];
  if (c.counts.invite > 0)
    lines.push(
      <p key="invite" data-testid="sync-invited">
        <strong>Invited {c.counts.invite.toLocaleString('en-US')}:</strong>{' '}
        {names(
          c.invite.map((m) => m.email),
          c.counts.invite,
        )}
      </p>,
    );
  if (c.counts.remove > 0)
    lines.push(
      <div key="remove" data-testid="sync-removed">
        <strong>Removed {c.counts.remove.toLocaleString('en-US')}:</strong>
        <ul className="change-list">
          {c.remove.slice(0, NAMED).map((m) => (
            <li key={m.externalId}>{removal(m)}</li>
          ))}
        </ul>
        {c.counts.remove > NAMED && (
          <span className="muted">
            and {(c.counts.remove - NAMED).toLocaleString('en-US')} more
          </span>
        )}
      </div>,
    );
  if (c.counts.groups > 0)
    lines.push(
      <p key="groups" data-testid="sync-groups">
        <strong>Groups changed {c.counts.groups.toLocaleString('en-US')}:</strong>{' '}
        {names(
          c.groups.map((g) => `${g.name} (${groupChange(g)})`),
          c.counts.groups,
          4,
        )}
      </p>,
    );
  if (lines.length === 0) return null;
  return <div className="sync-changes">{lines}</div>;
}
