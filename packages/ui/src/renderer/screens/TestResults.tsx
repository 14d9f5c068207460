import { useMemo, useState } from 'react';
import type { TestResult, TestUser } from '../../shared/bridge';
import { Icon } from '../components/ui';
import { WhatWillChange } from './Changes';

type Tab = 'changes' | 'users' | 'disabled' | 'deleted' | 'groups';

/**
 * A test run's result: first what the sync would change in the organization, then what it would
 * send (users, disabled, deleted, and groups with their members), as tabs.
 */
export function TestResults({ result }: { result: TestResult }) {
  const [tab, setTab] = useState<Tab>('changes');
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const u of [...result.enabledUsers, ...result.disabledUsers, ...result.deletedUsers])
      map.set(u.externalId, u.displayName);
    return map;
  }, [result]);
  const changed = result.changes?.unchanged ? result.changes.drift : result.changes;
  const tabs: { id: Tab; label: string; count: number | null }[] = [
    {
      id: 'changes',
      label: 'What will change',
      count: result.changes?.unchanged
        ? 0
        : changed
          ? changed.counts.invite + changed.counts.remove + changed.counts.groups
          : null,
    },
    { id: 'users', label: 'Users', count: result.enabledUsers.length },
    { id: 'disabled', label: 'Disabled users', count: result.disabledUsers.length },
    { id: 'deleted', label: 'Deleted users', count: result.deletedUsers.length },
    { id: 'groups', label: 'Groups', count: result.groups.length },
  ];
  return (
    <div className="results" data-testid="test-results">
      <div className="tabs" role="tablist" aria-label="Test result">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            className={`tab${tab === t.id ? ' is-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.count !== null && (
              <span className="tab-count" data-testid={`count-${t.id}`}>
                {t.count}
              </span>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'changes' && (
          <WhatWillChange
            changes={result.changes}
            unavailable={result.changesUnavailable}
            guard={result.guard}
          />
        )}
        {tab === 'users' && (
          <UserTable users={result.enabledUsers} empty="No users would be synced." />
        )}
        {tab === 'disabled' && (
          <UserTable users={result.disabledUsers} empty="No disabled users." />
        )}
        {tab === 'deleted' && <UserTable users={result.deletedUsers} empty="No deleted users." />}
        {tab === 'groups' && <GroupTable groups={result.groups} names={names} />}
      </div>
    </div>
  );
}

function UserTable({ users, empty }: { users: readonly TestUser[]; empty: string }) {
  if (users.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">External ID</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.externalId}>
              <td className="cell-strong">
                <span className="cell-line">
                  <Icon name="users" size={15} /> {u.displayName}
                </span>
              </td>
              <td className="cell-mono" title={u.externalId}>
                {u.externalId}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GroupTable({
  groups,
  names,
}: {
  groups: TestResult['groups'];
  names: Map<string, string>;
}) {
  if (groups.length === 0) return <p className="empty">No groups would be synced.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col" className="col-group">
              Group
            </th>
            <th scope="col">Members</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.externalId}>
              <td className="cell-strong" title={g.externalId}>
                <span className="cell-line">
                  <Icon name="group" size={15} /> {g.displayName}
                  <span className="cell-sub">
                    {g.userIds.length === 1 ? '1 member' : `${g.userIds.length} members`}
                  </span>
                </span>
              </td>
              <td>
                {g.userIds.length === 0 ? (
                  <span className="muted">No members</span>
                ) : (
                  <ul className="chips" data-testid="group-members">
                    {membersByName(g.userIds, names).map(({ id, name }) => (
                      <li key={id} className="chip" title={id}>
                        {name}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A group's members by name (email), as people look them up; ids where no name is known. */
export function membersByName(
  ids: readonly string[],
  names: ReadonlyMap<string, string>,
): { id: string; name: string }[] {
  return ids
    .map((id) => ({ id, name: names.get(id) ?? id }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}
