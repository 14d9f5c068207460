import { useState } from 'react';
import type {
  Activity,
  Bridge,
  DashboardState,
  GroupLossView,
  MemberRemovalView,
  SyncSummary,
  TestResult,
} from '../../shared/bridge';
import { Alert, Button, Card, CheckboxField, ConfirmDialog, Icon, Pill } from '../components/ui';
import { formatDateTime, formatRelative, plural, syncSentence } from '../format';
import { useAction } from '../use-action';
import { SyncChanges } from './Changes';
import { RunLog, RunWarnings } from './RunLog';
import { TestResults } from './TestResults';

/** Last syncs, Sync Now, Start/Stop Sync on the interval, and the Testing card. */
export function Dashboard({
  bridge,
  state,
  onChanged,
  onOpenSettings,
}: {
  bridge: Bridge;
  state: DashboardState;
  onChanged: () => void;
  onOpenSettings: () => void;
}) {
  const [syncResult, setSyncResult] = useState<SyncSummary | null>(null);
  const [testResult, setTestResult] = useState<TestResult | null>(null);
  const [sinceLast, setSinceLast] = useState(false);
  // Long runs report progress through the dashboard state; ask for it soon after starting one.
  const watch = async <T,>(work: () => Promise<T>): Promise<T> => {
    const timer = setTimeout(onChanged, 400);
    try {
      return await work();
    } finally {
      clearTimeout(timer);
      onChanged();
    }
  };
  const syncNow = useAction(async (force: boolean = false) => {
    setSyncResult(null);
    setSyncResult(await watch(() => bridge.syncNow(force)));
  });
  const schedule = useAction(async (start: boolean) => {
    // From now on the card reports the schedule's runs, not an earlier Sync Now.
    setSyncResult(null);
    syncNow.setError(null);
    await (start ? bridge.startSchedule() : bridge.stopSchedule());
    onChanged();
  });
  const test = useAction(async () => {
    setTestResult(null);
    setTestResult(await watch(() => bridge.test(sinceLast)));
  });
  const cancel = () => void bridge.cancel().then(onChanged);
  const activity = state.activity;

  const s = state.schedule;
  // The last run's outcome stays after Stop Sync: it is still what the organization last got.
  const scheduleError = schedule.error ?? s.lastError;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Dashboard</h1>
          <p className="page-lead" data-testid="dashboard-lead">
            Keep the members and groups of organization{' '}
            <span className="mono">{state.organizationId}</span> on <strong>{state.server}</strong>{' '}
            in step with {directoryLabel(state.directory)}.
          </p>
        </div>
      </header>

      <div className="stats">
        <div className="stat" data-testid="stat-schedule">
          <span className="stat-label">Scheduled sync</span>
          <span className="stat-value">
            {s.running ? (
              <Pill tone="green" testId="schedule-pill">
                Running
              </Pill>
            ) : (
              <Pill tone="grey" testId="schedule-pill">
                Stopped
              </Pill>
            )}
            {s.syncing && <Pill tone="blue">Syncing now</Pill>}
          </span>
          <span className="stat-sub">
            {s.running
              ? `Every ${s.intervalMinutes} minutes`
              : 'Start Sync runs it on the interval'}
          </span>
        </div>
        <div className="stat" data-testid="stat-users">
          <span className="stat-label">Last user sync</span>
          <span className="stat-value stat-time">{formatDateTime(state.lastUserSync)}</span>
          <span className="stat-sub">{formatRelative(state.lastUserSync) || 'Not synced yet'}</span>
        </div>
        <div className="stat" data-testid="stat-groups">
          <span className="stat-label">Last group sync</span>
          <span className="stat-value stat-time">{formatDateTime(state.lastGroupSync)}</span>
          <span className="stat-sub">
            {formatRelative(state.lastGroupSync) || 'Not synced yet'}
          </span>
        </div>
      </div>

      <Card
        title="Sync"
        subtitle="Sync Now sends the directory's users and groups once. Start Sync does it now and then on the interval set in Settings."
        testId="sync-card"
        actions={
          <>
            <Button
              kind="primary"
              icon="sync"
              busy={syncNow.busy}
              disabled={s.syncing && !syncNow.busy}
              onClick={() => void syncNow.run(false)}
            >
              Sync Now
            </Button>
            {s.running ? (
              <Button icon="stop" busy={schedule.busy} onClick={() => void schedule.run(false)}>
                Stop Sync
              </Button>
            ) : (
              <Button icon="play" busy={schedule.busy} onClick={() => void schedule.run(true)}>
                Start Sync
              </Button>
            )}
          </>
        }
      >
        {activity?.kind === 'sync' && <ActivityLine activity={activity} onCancel={cancel} />}
        {syncNow.error ? (
          <ErrorAlert
            title="Sync failed"
            error={syncNow.error}
            onOpenSettings={onOpenSettings}
            onForce={() => void syncNow.run(true)}
            testId="sync-error"
          />
        ) : syncResult ? (
          <>
            <Alert kind="success" title="Sync complete" testId="sync-result">
              {syncSentence(syncResult)}
              <SyncChanges result={syncResult} />
            </Alert>
            <RunWarnings
              warnings={syncResult.warnings}
              count={syncResult.warningCount}
              testId="sync-warnings"
            />
          </>
        ) : scheduleError ? (
          <ErrorAlert
            title={s.running ? 'The scheduled sync failed' : 'The last sync failed'}
            error={scheduleError}
            onOpenSettings={onOpenSettings}
            onForce={() => void syncNow.run(true)}
            testId="schedule-error"
          />
        ) : s.lastResult ? (
          // Kept after Stop Sync: what the last run did stays true until the next one.
          <>
            <Alert
              kind="info"
              title={`Last ${s.running ? 'scheduled ' : ''}run ${formatRelative(s.lastRunAt)} (${formatDateTime(s.lastRunAt)})`}
              testId="schedule-result"
            >
              {syncSentence(s.lastResult)}
              <SyncChanges result={s.lastResult} />
            </Alert>
            <RunWarnings
              warnings={s.lastResult.warnings}
              count={s.lastResult.warningCount}
              testId="schedule-warnings"
            />
          </>
        ) : (
          <p className="muted">No sync has run in this session yet.</p>
        )}
      </Card>

      <Card
        title="Testing"
        subtitle="See what a sync would change in the organization and what it would send, without changing anything."
        testId="test-card"
        actions={
          <Button kind="primary" icon="test" busy={test.busy} onClick={() => void test.run()}>
            Test Now
          </Button>
        }
      >
        <CheckboxField
          label="Only changes since the last successful sync"
          checked={sinceLast}
          onChange={setSinceLast}
          name="sinceLast"
        />
        {activity?.kind === 'test' && <ActivityLine activity={activity} onCancel={cancel} />}
        {test.error && (
          <ErrorAlert
            title="Test failed"
            error={test.error}
            onOpenSettings={onOpenSettings}
            testId="test-error"
          />
        )}
        {testResult && (
          <>
            <RunWarnings
              warnings={testResult.warnings}
              count={testResult.warningCount}
              testId="test-warnings"
            />
            <TestResults result={testResult} />
          </>
        )}
      </Card>

      <RunLog lines={state.log} />
    </div>
  );
}

function ActivityLine({ activity, onCancel }: { activity: Activity; onCancel: () => void }) {
  return (
    <div className="activity" role="status" data-testid={`activity-${activity.kind}`}>
      <span className="spinner" aria-hidden="true" />
      <span className="activity-step">{activity.step}…</span>
      {activity.manual && (
        <button type="button" className="link" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

interface ShownError {
  code: string;
  message: string;
  setting?: string;
  removals?: readonly MemberRemovalView[];
  removalCount?: number;
  groupLosses?: readonly GroupLossView[];
  groupLossCount?: number;
  forceable?: boolean;
}

function ErrorAlert({
  title,
  error,
  onOpenSettings,
  onForce,
  testId,
}: {
  title: string;
  error: ShownError;
  onOpenSettings: () => void;
  /** Runs the sync past the safety guard (after the admin confirmed). */
  onForce?: () => void;
  testId: string;
}) {
  if (error.code === 'SAFETY_LIMIT' && onForce) {
    return <GuardRefusal error={error} onForce={onForce} testId={testId} />;
  }
  if (error.code === 'CANCELLED') {
    return (
      <Alert kind="info" title="Cancelled" testId={testId}>
        {error.message} Nothing was changed.
      </Alert>
    );
  }
  return (
    <Alert kind="error" title={title} testId={testId}>
      <span>{error.message}</span>
      {error.setting && (
        <button type="button" className="link" onClick={onOpenSettings}>
          <Icon name="settings" size={14} /> Open Settings
        </button>
      )}
    </Alert>
  );
}

/** Rows of a refusal's list before "Show all". */
const REFUSAL_LISTED = 10;

/**
 * A sync the safety guard refused: why, who it would remove and why each, and a way to go ahead
 * on purpose that asks first.
 */
function GuardRefusal({
  error,
  onForce,
  testId,
}: {
  error: ShownError;
  onForce: () => void;
  testId: string;
}) {
  const [all, setAll] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const removals = error.removals ?? [];
  const total = error.removalCount ?? removals.length;
  const shown = all ? removals : removals.slice(0, REFUSAL_LISTED);
  const groups = error.groupLosses ?? [];
  const groupTotal = error.groupLossCount ?? groups.length;
  const shownGroups = all ? groups : groups.slice(0, REFUSAL_LISTED);
  const more = shown.length < removals.length || shownGroups.length < groups.length;
  // The message's first line is the guard's reason; the rest repeats the lists shown below.
  const reason = error.message.split('\n')[0];
  const confirmTitle =
    total > 0
      ? `Remove ${plural(total, 'member')}?`
      : `Take members out of ${plural(groupTotal, 'group')}?`;
  return (
    <>
      <Alert kind="error" title="Sync refused by the safety guard" testId={testId}>
        <span>{reason} Nothing was sent.</span>
        {removals.length > 0 && (
          <>
            <ul className="change-list guard-list" data-testid="guard-removals">
              {shown.map((m) => (
                <li key={m.externalId}>
                  <strong>{m.email}</strong> — {m.reason}
                </li>
              ))}
            </ul>
            {total > removals.length && (
              <span className="muted">
                {' '}
                and {(total - removals.length).toLocaleString('en-US')} more
              </span>
            )}
          </>
        )}
        {groups.length > 0 && (
          <>
            <span>Groups it would take members out of:</span>
            <ul className="change-list guard-list" data-testid="guard-groups">
              {shownGroups.map((g) => (
                <li key={g.externalId}>
                  <strong>{g.name}</strong> — {g.lost.toLocaleString('en-US')} of{' '}
                  {plural(g.before, 'member')}
                  {g.after === 0 ? ' (left empty)' : ''}
                </li>
              ))}
            </ul>
            {groupTotal > groups.length && (
              <span className="muted">
                {' '}
                and {(groupTotal - groups.length).toLocaleString('en-US')} more groups
              </span>
            )}
          </>
        )}
        {more && (
          <button type="button" className="link" onClick={() => setAll(true)}>
            Show all {(removals.length + groups.length).toLocaleString('en-US')}
          </button>
        )}
        <div className="guard-actions">
          {error.forceable ? (
            <Button kind="danger" icon="alert" onClick={() => setConfirming(true)}>
              Sync Anyway…
            </Button>
          ) : (
            <span>No override exists for this refusal: check the directory settings.</span>
          )}
        </div>
      </Alert>
      {confirming && (
        <ConfirmDialog
          title={confirmTitle}
          confirmLabel={total > 0 ? 'Remove and Sync' : 'Sync Anyway'}
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            onForce();
          }}
        >
          {total > 0 ? (
            <>
              The sync goes ahead past the safety guard, and Bitwarden removes{' '}
              {total === 1 ? 'this member' : `these ${total.toLocaleString('en-US')} members`} from
              the organization: they lose access to its shared items until they are invited
              again.{' '}
            </>
          ) : null}
          {groupTotal > 0 ? (
            <>
              Bitwarden sets{' '}
              {groupTotal === 1
                ? 'this group'
                : `these ${groupTotal.toLocaleString('en-US')} groups`}{' '}
              to the members listed: the others lose the collections they reach through{' '}
              {groupTotal === 1 ? 'it' : 'them'}.{' '}
            </>
          ) : null}
          If this is not intended, cancel and check the directory settings (search base, paths,
          object classes, filters).
        </ConfirmDialog>
      )}
    </>
  );
}

function directoryLabel(directory: string | null): string {
  switch (directory) {
    case 'ldap':
      return 'your LDAP directory';
    case 'entra':
      return 'Microsoft Entra ID';
    case 'gsuite':
      return 'Google Workspace';
    case 'okta':
      return 'Okta';
    case 'onelogin':
      return 'OneLogin';
    case 'file':
      return 'your directory file';
    default:
      return 'your directory (choose one in Settings)';
  }
}
