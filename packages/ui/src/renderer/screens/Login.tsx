import { useState, type FormEvent } from 'react';
import type { Bridge } from '../../shared/bridge';
import { Alert, Button, LoginBrand, SelectField, TextField } from '../components/ui';
import { useAction } from '../use-action';

const SERVERS = [
  { value: 'us', label: 'bitwarden.com (United States)' },
  { value: 'eu', label: 'bitwarden.eu (European Union)' },
  { value: 'self', label: 'Self-hosted' },
];

/** The organization API key login, with the server choice for EU cloud and self-hosted. */
export function Login({
  bridge,
  initialServer,
  onLoggedIn,
}: {
  bridge: Bridge;
  initialServer: string | null;
  onLoggedIn: () => void;
}) {
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const initialKind = !initialServer
    ? 'us'
    : initialServer === 'https://vault.bitwarden.eu'
      ? 'eu'
      : 'self';
  const [serverKind, setServerKind] = useState(initialKind);
  const [serverUrl, setServerUrl] = useState(initialKind === 'self' ? (initialServer ?? '') : '');
  const [serverError, setServerError] = useState<string | undefined>();
  const login = useAction(async () => {
    const server =
      serverKind === 'us'
        ? null
        : serverKind === 'eu'
          ? 'https://vault.bitwarden.eu'
          : serverUrl.trim();
    try {
      await bridge.setServer(server);
    } catch (e) {
      setServerError((e as Error).message);
      throw e;
    }
    await bridge.login(clientId.trim(), clientSecret.trim());
    onLoggedIn();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setServerError(undefined);
    void login.run();
  };
  const missing =
    !clientId.trim() || !clientSecret.trim() || (serverKind === 'self' && !serverUrl.trim());
  const loginError = login.error && !serverError ? login.error : null;
  // A refused API key belongs under the secret; anything else (server unreachable...) above the button.
  const keyRefused = loginError?.code === 'BITWARDEN_AUTH_FAILED';

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-label="Log in">
        <LoginBrand />
        <h2 className="login-title">Log in to your organization</h2>
        <p className="login-lead">
          Use the organization's API key: in the Admin Console, open{' '}
          <b>Settings → Organization info</b> and choose <b>View API key</b>.
        </p>
        <TextField
          label="Client ID"
          name="clientId"
          value={clientId}
          onChange={setClientId}
          placeholder="organization.xxxxxxxx-xxxx-…"
          wide
        />
        <TextField
          label="Client secret"
          name="clientSecret"
          type="password"
          value={clientSecret}
          onChange={setClientSecret}
          error={keyRefused ? loginError?.message : undefined}
          wide
        />
        <SelectField
          label="Server"
          name="server"
          value={serverKind}
          onChange={setServerKind}
          options={SERVERS}
          wide
        />
        {serverKind === 'self' && (
          <TextField
            label="Server URL"
            name="serverUrl"
            type="url"
            value={serverUrl}
            onChange={setServerUrl}
            placeholder="https://bitwarden.example.com"
            help="The address of your Bitwarden server; its API and identity services are found under it."
            error={serverError}
            wide
          />
        )}
        {loginError && !keyRefused && (
          <Alert kind="error" title="Could not log in" testId="login-error">
            {loginError.message}
          </Alert>
        )}
        <Button kind="primary" type="submit" busy={login.busy} disabled={missing}>
          Log in
        </Button>
      </form>
    </main>
  );
}
