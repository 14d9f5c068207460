import { useState } from 'react';
import type { AppInfo, Bridge, DashboardState, UpdateResult } from '../../shared/bridge';
import { Alert, Button, Card, ConfirmDialog } from '../components/ui';
import { useAction } from '../use-action';

/** About, Check for Updates, Clear Sync Cache and Log Out. */
export function More({
  bridge,
  info,
  state,
  onLoggedOut,
  onChanged,
}: {
  bridge: Bridge;
  info: AppInfo;
  state: DashboardState;
  onLoggedOut: () => void;
  onChanged: () => void;
}) {
  const [update, setUpdate] = useState<UpdateResult | null>(null);
  const [cleared, setCleared] = useState(false);
  const [confirm, setConfirm] = useState<'logout' | 'cache' | null>(null);
  const check = useAction(async () => {
    setUpdate(null);
    setUpdate(await bridge.checkForUpdate());
  });
  const clear = useAction(async () => {
    setCleared(false);
    await bridge.clearCache();
    setCleared(true);
    onChanged();
  });
  const logout = useAction(async () => {
    await bridge.logout();
    onLoggedOut();
  });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>More</h1>
          <p className="page-lead">
            About this connector, updates, the sync cache and your session.
          </p>
        </div>
      </header>

      <Card title="About" testId="about-card">
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="version">{info.version}</dd>
          <dt>Running as</dt>
          <dd>
            {info.mode === 'desktop' ? 'Desktop app' : 'Browser mode (served on this machine)'}
          </dd>
          <dt>Organization</dt>
          <dd className="mono">{state.organizationId ?? 'Not logged in'}</dd>
          <dt>Data file</dt>
          <dd className="mono">{info.dataFile}</dd>
        </dl>
      </Card>

      <div className="two-col">
        <Card
          title="Updates"
          subtitle="Compare this version with the latest release."
          testId="update-card"
          actions={
            <Button icon="download" busy={check.busy} onClick={() => void check.run()}>
              Check for Updates
            </Button>
          }
        >
          {check.error && (
            <Alert kind="error" title="Could not check for updates">
              {check.error.message}
            </Alert>
          )}
          {update &&
            (update.updateAvailable ? (
              <Alert
                kind="info"
                title={`Version ${update.latestVersion} is available`}
                testId="update-result"
              >
                You have {update.currentVersion}.{' '}
                {update.downloadUrl && (
                  <a href={update.downloadUrl} target="_blank" rel="noreferrer noopener">
                    Download it
                  </a>
                )}
              </Alert>
            ) : (
              <Alert kind="success" title="You are up to date" testId="update-result">
                {update.currentVersion} is the latest version.
              </Alert>
            ))}
          {!update && !check.error && <p className="muted">Not checked yet.</p>}
        </Card>

        <Card
          title="Sync cache"
          subtitle="Forget what was sent last time, so the next sync sends everything again."
          testId="cache-card"
          actions={
            <Button icon="trash" busy={clear.busy} onClick={() => setConfirm('cache')}>
              Clear Sync Cache
            </Button>
          }
        >
          {clear.error && (
            <Alert kind="error" title="Could not clear the cache">
              {clear.error.message}
            </Alert>
          )}
          {cleared ? (
            <Alert kind="success" testId="cache-cleared">
              The sync cache was cleared. The next sync sends every user and group.
            </Alert>
          ) : (
            <p className="muted">
              Use this after changing filters, or when the organization was changed by hand.
            </p>
          )}
        </Card>
      </div>

      <Card
        title="Session"
        subtitle="Logging out removes the organization's API key from this machine and stops the scheduled sync."
        testId="session-card"
        actions={
          <Button
            kind="danger"
            icon="logout"
            busy={logout.busy}
            onClick={() => setConfirm('logout')}
          >
            Log Out
          </Button>
        }
      >
        {logout.error ? (
          <Alert kind="error" title="Could not log out">
            {logout.error.message}
          </Alert>
        ) : (
          <p className="muted">Logged in to organization {state.organizationId}.</p>
        )}
      </Card>

      {confirm === 'logout' && (
        <ConfirmDialog
          title="Log out?"
          confirmLabel="Log Out"
          danger
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            void logout.run();
          }}
        >
          The scheduled sync stops, and you need the API key to log in again. Directory settings are
          kept.
        </ConfirmDialog>
      )}
      {confirm === 'cache' && (
        <ConfirmDialog
          title="Clear the sync cache?"
          confirmLabel="Clear Sync Cache"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            void clear.run();
          }}
        >
          The next sync reads the whole directory and sends every user and group again.
        </ConfirmDialog>
      )}
    </div>
  );
}
