import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import type { AppInfo, Bridge, SaveSettingsResult, SettingsSnapshot } from '../../shared/bridge';
import { Alert, Button, Card, CheckboxField, Icon, SelectField, TextField } from '../components/ui';
import {
  DIRECTORY_CHOICES,
  changesBetween,
  directoryLayout,
  initialValues,
  secretIsStored,
  secretNeedingReentry,
  syncLayout,
  type VisibleField,
  type VisibleGroup,
} from '../settings-form';
import { useAction } from '../use-action';

/** Directory type and every field of it, then every sync option; errors appear under their field. */
export function Settings({
  bridge,
  info,
  onSaved,
}: {
  bridge: Bridge;
  info: AppInfo;
  onSaved: () => void;
}) {
  const [snapshot, setSnapshot] = useState<SettingsSnapshot | null>(null);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{
    kind: 'success' | 'error';
    text: string;
    where: 'save' | 'verify';
  } | null>(null);

  const load = useAction(async () => {
    const s = await bridge.settings();
    setSnapshot(s);
    setValues(initialValues(s));
  });
  useEffect(() => {
    void load.run();
  }, [load.run]);

  const changes = useMemo(
    () => (snapshot ? changesBetween(snapshot, values) : []),
    [snapshot, values],
  );

  const applySave = (result: SaveSettingsResult): boolean => {
    setSnapshot(result.settings);
    // Keep what was refused in the form so the admin can correct it; take everything else as saved.
    const next = initialValues(result.settings);
    for (const name of Object.keys(result.errors))
      if (values[name] !== undefined) next[name] = values[name]!;
    setValues(next);
    setErrors(result.errors);
    onSaved();
    return Object.keys(result.errors).length === 0;
  };

  const save = useAction(async () => {
    setNotice(null);
    const result = await bridge.saveSettings(changes);
    const ok = applySave(result);
    setNotice(
      ok
        ? { kind: 'success', text: ['Settings saved.', ...result.notices].join(' '), where: 'save' }
        : {
            kind: 'error',
            text: 'Some settings were not saved. See the highlighted fields.',
            where: 'save',
          },
    );
    return ok;
  });

  // Testing uses the saved settings, so unsaved changes are saved first, and the button and the
  // result say so.
  const verify = useAction(async () => {
    setNotice(null);
    const saving = changes.length;
    if (saving > 0 && !applySave(await bridge.saveSettings(changes))) {
      setNotice({
        kind: 'error',
        text: 'Nothing was tested: some changes were not saved. Fix the highlighted fields first.',
        where: 'verify',
      });
      return;
    }
    const saved =
      saving > 0 ? `Saved ${saving === 1 ? '1 change' : `${saving} changes`}, then tested. ` : '';
    try {
      await bridge.verifyDirectory();
      setNotice({
        kind: 'success',
        text: `${saved}Connected: the directory accepted the account.`,
        where: 'verify',
      });
    } catch (e) {
      const err = e as { message: string; setting?: string };
      if (err.setting) setErrors((prev) => ({ ...prev, [err.setting!]: err.message }));
      setNotice({
        kind: 'error',
        text: `${saved}${
          err.setting
            ? 'The directory refused the connection. See the highlighted field.'
            : err.message
        }`,
        where: 'verify',
      });
    }
  });

  const importKey = useAction(async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    applySave(await bridge.importGoogleKey(await file.text()));
  });

  if (!snapshot) {
    return (
      <div className="page">
        <header className="page-header">
          <h1>Settings</h1>
        </header>
        {load.error ? (
          <Alert kind="error" title="Could not read the settings">
            {load.error.message}
          </Alert>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </div>
    );
  }

  const set = (name: string, value: string | boolean) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _dropped, ...rest }) => rest);
  };
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const reenter = secretNeedingReentry(snapshot, values);

  const renderField = (f: VisibleField) => {
    const d = f.descriptor;
    const value = values[f.name];
    const error = errors[f.name];
    if (d.kind === 'boolean' && !f.options) {
      return (
        <CheckboxField
          key={f.name}
          name={f.name}
          label={f.label}
          checked={value === true}
          onChange={(v) => set(f.name, v)}
          error={error}
          help={f.help}
        />
      );
    }
    if (f.options || d.kind === 'choice') {
      const options = f.options ?? (d.choices ?? []).map((c) => ({ value: c, label: c }));
      const current = typeof value === 'boolean' ? String(value) : (value ?? '');
      const withCurrent =
        current && !options.some((o) => o.value === current)
          ? [...options, { value: current, label: current }]
          : options;
      return (
        <SelectField
          key={f.name}
          name={f.name}
          label={f.label}
          value={current}
          options={withCurrent}
          placeholder={current ? undefined : 'Choose…'}
          onChange={(v) => set(f.name, d.kind === 'boolean' ? v === 'true' : v)}
          error={error}
          help={f.help}
          wide={f.wide}
        />
      );
    }
    const stored = d.secret && secretIsStored(snapshot, f.name);
    return (
      <TextField
        key={f.name}
        name={f.name}
        label={f.label}
        type={d.secret ? 'password' : d.kind === 'number' ? 'number' : 'text'}
        value={typeof value === 'string' ? value : ''}
        onChange={(v) => set(f.name, v)}
        placeholder={stored ? 'Stored securely; type to replace' : f.placeholder}
        help={
          reenter === f.name
            ? 'The server or account changed: type the secret again, or it will not be used.'
            : f.help
        }
        error={error}
        wide={f.wide}
        autoComplete={d.secret ? 'new-password' : 'off'}
        trailing={
          f.file && info.canPickFiles ? (
            <Button
              icon="folder"
              onClick={() =>
                void bridge
                  .pickFile({
                    title: f.file!.title,
                    ...(f.file!.extensions ? { extensions: f.file!.extensions } : {}),
                  })
                  .then((p) => p && set(f.name, p))
              }
            >
              Browse…
            </Button>
          ) : undefined
        }
      />
    );
  };

  const renderGroups = (groups: VisibleGroup[]) =>
    groups.map((g) => (
      <fieldset key={g.title} className="group">
        <legend className="group-title">{g.title}</legend>
        {g.description && <p className="group-description">{g.description}</p>}
        <div className="form-grid">{g.fields.map(renderField)}</div>
      </fieldset>
    ));

  return (
    // A form, so Enter saves and password managers see the secret boxes in context.
    <form
      className="page"
      aria-label="Settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (changes.length > 0) void save.run();
      }}
    >
      {/* The notices sit in the sticky header, so "Settings saved." shows wherever the form is scrolled. */}
      <header className="page-header is-sticky">
        <div>
          <h1>Settings</h1>
          <p className="page-lead">
            Saved to {info.dataFile}; secrets go to the secret store (the OS keychain unless
            plaintext secrets were chosen).
          </p>
        </div>
        <div className="page-actions">
          {changes.length > 0 && (
            <span className="dirty" data-testid="unsaved">
              {changes.length === 1 ? '1 unsaved change' : `${changes.length} unsaved changes`}
            </span>
          )}
          <Button onClick={() => void load.run()} disabled={changes.length === 0 || save.busy}>
            Discard
          </Button>
          <Button
            kind="primary"
            icon="check"
            type="submit"
            busy={save.busy}
            disabled={changes.length === 0}
          >
            Save
          </Button>
        </div>
        <div className="page-notices">
          {notice?.where === 'save' && (
            <Alert kind={notice.kind} testId="save-notice">
              {notice.text}
            </Alert>
          )}
          {save.error && (
            <Alert kind="error" title="Could not save">
              {save.error.message}
            </Alert>
          )}
        </div>
      </header>
      <Card
        title="Directory"
        subtitle="Where bwdc reads users and groups from."
        testId="directory-card"
        actions={
          <Button
            icon="plug"
            busy={verify.busy}
            disabled={!directory}
            onClick={() => void verify.run()}
          >
            {changes.length > 0 ? 'Save and test connection' : 'Test connection'}
          </Button>
        }
      >
        {notice?.where === 'verify' && (
          <Alert kind={notice.kind} testId="verify-notice">
            {notice.text}
          </Alert>
        )}
        {verify.error && <Alert kind="error">{verify.error.message}</Alert>}
        <div className="form-grid">
          <SelectField
            label="Directory type"
            name="directory"
            value={directory}
            options={DIRECTORY_CHOICES}
            placeholder="Choose your directory…"
            onChange={(v) => set('directory', v)}
            error={errors.directory}
            wide
          />
        </div>
        {directory === 'gsuite' && (
          <div className="key-import">
            <label className="btn btn-secondary">
              <Icon name="download" size={16} />
              <span>Import JSON key file…</span>
              <input
                type="file"
                accept=".json,application/json"
                className="visually-hidden"
                onChange={(e) => void importKey.run(e)}
              />
            </label>
            {importKey.error && <span className="field-error">{importKey.error.message}</span>}
          </div>
        )}
        {renderGroups(directoryLayout(snapshot, values))}
      </Card>

      <Card title="Sync" subtitle="What to sync and how." testId="sync-settings-card">
        {renderGroups(syncLayout(snapshot, values))}
      </Card>
    </form>
  );
}
