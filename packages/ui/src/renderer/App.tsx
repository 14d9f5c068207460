import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, Bridge, DashboardState } from '../shared/bridge';
import { Alert, Icon, LoginBrand, Logo, Pill } from './components/ui';
import { Dashboard } from './screens/Dashboard';
import { Login } from './screens/Login';
import { More } from './screens/More';
import { Settings } from './screens/Settings';
import { asBridgeError } from './use-action';

type Screen = 'dashboard' | 'settings' | 'more';

const NAV: { id: Screen; label: string; icon: 'dashboard' | 'settings' | 'more' }[] = [
  { id: 'dashboard', label: 'Dashboard', icon: 'dashboard' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
  { id: 'more', label: 'More', icon: 'more' },
];

/** Dashboard state is polled this often while the app is open (the schedule runs in the backend). */
const POLL_MS = 3000;
const BUSY_POLL_MS = 700;

export function App({ bridge }: { bridge: Bridge }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [state, setState] = useState<DashboardState | null>(null);
  // undefined until read, so the login form starts on the server saved before (self-hosted, EU).
  const [server, setServer] = useState<string | null | undefined>(undefined);
  const [screen, setScreen] = useState<Screen>('dashboard');
  const [fatal, setFatal] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setState(await bridge.dashboard());
      setFatal(null);
    } catch (e) {
      setFatal(asBridgeError(e).message);
    }
  }, [bridge]);

  useEffect(() => {
    bridge.appInfo().then(setInfo, (e: unknown) => setFatal(asBridgeError(e).message));
    void refresh();
  }, [bridge, refresh]);

  // Poll faster while something runs, so its progress moves.
  const busy = !!state?.activity || !!state?.schedule.syncing;
  useEffect(() => {
    const timer = setInterval(() => void refresh(), busy ? BUSY_POLL_MS : POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, busy]);

  useEffect(() => {
    if (state?.loggedIn) setServer(undefined);
    if (state && !state.loggedIn) {
      bridge.settings().then(
        (s) => setServer(s.server),
        () => setServer(null),
      );
    }
  }, [bridge, state?.loggedIn]);

  if (fatal && !state) {
    return (
      <main className="login-page">
        <div className="login-card">
          <LoginBrand />
          <Alert kind="error" title="bwdc cannot reach its backend" testId="fatal">
            {fatal}
          </Alert>
        </div>
      </main>
    );
  }
  if (!state || !info || (!state.loggedIn && server === undefined))
    return <div className="splash" aria-busy="true" />;
  if (!state.loggedIn) {
    return (
      <Login
        bridge={bridge}
        initialServer={server ?? null}
        onLoggedIn={() => {
          setScreen('dashboard');
          void refresh();
        }}
      />
    );
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <Logo />
          <div>
            <div className="brand-name">bwdc</div>
            <div className="brand-sub">Directory Connector</div>
          </div>
        </div>
        <ul className="nav">
          {NAV.map((n) => (
            <li key={n.id}>
              <button
                type="button"
                className={`nav-item${screen === n.id ? ' is-active' : ''}`}
                aria-current={screen === n.id ? 'page' : undefined}
                onClick={() => setScreen(n.id)}
              >
                <Icon name={n.icon} />
                {n.label}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <div className="sidebar-status">
            {state.schedule.running ? (
              <Pill tone="green">Sync running</Pill>
            ) : (
              <Pill tone="grey">Sync stopped</Pill>
            )}
          </div>
          <div className="sidebar-org" title={state.server}>
            <span className="sidebar-org-label">Bitwarden server</span>
            <span data-testid="sidebar-server">{state.server}</span>
          </div>
          <div className="sidebar-org" title={state.organizationId ?? ''}>
            <span className="sidebar-org-label">Organization ID</span>
            <span className="mono">{state.organizationId}</span>
          </div>
          <div className="sidebar-version">
            v{info.version}
            {info.mode === 'browser' ? ' · browser mode' : ''}
          </div>
        </div>
      </nav>
      <main className="content">
        {fatal && (
          <Alert kind="warning" title="Connection problem">
            {fatal}
          </Alert>
        )}
        {screen === 'dashboard' && (
          <Dashboard
            bridge={bridge}
            state={state}
            onChanged={() => void refresh()}
            onOpenSettings={() => setScreen('settings')}
          />
        )}
        {screen === 'settings' && (
          <Settings bridge={bridge} info={info} onSaved={() => void refresh()} />
        )}
        {screen === 'more' && (
          <More
            bridge={bridge}
            info={info}
            state={state}
            onChanged={() => void refresh()}
            onLoggedOut={() => void refresh()}
          />
        )}
      </main>
    </div>
  );
}
