import { useEffect, useId, useRef, type ReactNode } from 'react';

type IconName =
  | 'dashboard'
  | 'settings'
  | 'more'
  | 'sync'
  | 'play'
  | 'stop'
  | 'test'
  | 'check'
  | 'alert'
  | 'folder'
  | 'logout'
  | 'trash'
  | 'download'
  | 'info'
  | 'users'
  | 'group'
  | 'plug';

const PATHS: Readonly<Record<IconName, string>> = {
  dashboard: 'M3 3h8v10H3zM13 3h8v6h-8zM13 11h8v10h-8zM3 15h8v6H3z',
  settings:
    'M12 15.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm7.4-2.5.1-1-.1-1 2.1-1.6-2-3.5-2.5 1a7.6 7.6 0 0 0-1.7-1L15 3h-4l-.4 2.6a7.6 7.6 0 0 0-1.7 1l-2.5-1-2 3.5L6.5 11l-.1 1 .1 1-2.1 1.6 2 3.5 2.5-1c.5.4 1.1.8 1.7 1L11 21h4l.4-2.6c.6-.3 1.2-.6 1.7-1l2.5 1 2-3.5z',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  sync: 'M20 11a8 8 0 0 0-14.7-4.3L3 9m0-5v5h5M4 13a8 8 0 0 0 14.7 4.3L21 15m0 5v-5h-5',
  play: 'M7 4v16l13-8z',
  stop: 'M6 6h12v12H6z',
  test: 'M9 3h6M10 3v6l-5 9a2 2 0 0 0 1.7 3h10.6a2 2 0 0 0 1.7-3l-5-9V3',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  alert:
    'M12 8v5m0 3.5h.01M10.3 3.9 2.4 17.5A2 2 0 0 0 4.1 20.5h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
  folder:
    'M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2h8.5A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
  logout: 'M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l5-5-5-5M15 12H3',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3',
  download: 'M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M4 20h16',
  info: 'M12 11v6m0-9.5h.01M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  users:
    'M16 20v-1.5a3.5 3.5 0 0 0-3.5-3.5h-5A3.5 3.5 0 0 0 4 18.5V20M10 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM20 20v-1.5a3.5 3.5 0 0 0-2.5-3.4M15.5 4.2a3.5 3.5 0 0 1 0 6.6',
  group: 'M4 7h16M4 12h16M4 17h10',
  plug: 'M9 3v5M15 3v5M7 8h10v3a5 5 0 0 1-10 0zM12 16v5',
};

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  const filled = name === 'play' || name === 'stop';
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[name]}
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth={name === 'more' ? 3 : 1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <path d="M16 2 4 6.5v8.3c0 7.3 5 13.3 12 15.2 7-1.9 12-7.9 12-15.2V6.5z" fill="#175ddc" />
      <path d="M16 5.2v21.6c5.2-1.8 8.8-6.6 8.8-12V8.6z" fill="#5b8def" />
      <path
        d="M11 15.5l3.3 3.3 6.7-6.7"
        fill="none"
        stroke="#fff"
        strokeWidth="2.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The name and logo above the login card and the "cannot reach its backend" card. */
export function LoginBrand() {
  return (
    <div className="login-brand">
      <Logo size={40} />
      <div>
        <h1>bwdc</h1>
        <p>Directory Connector for Bitwarden</p>
      </div>
    </div>
  );
}

export function Button(props: {
  children: ReactNode;
  onClick?: () => void;
  kind?: 'primary' | 'secondary' | 'danger' | 'ghost';
  icon?: IconName;
  busy?: boolean;
  disabled?: boolean;
  type?: 'button' | 'submit';
  title?: string;
}) {
  const { kind = 'secondary', busy = false } = props;
  return (
    <button
      type={props.type ?? 'button'}
      className={`btn btn-${kind}${busy ? ' is-busy' : ''}`}
      onClick={props.onClick}
      disabled={props.disabled || busy}
      aria-busy={busy || undefined}
      title={props.title}
    >
      {busy ? (
        <span className="spinner" aria-hidden="true" />
      ) : props.icon ? (
        <Icon name={props.icon} size={16} />
      ) : null}
      <span>{props.children}</span>
    </button>
  );
}

export function Card(props: {
  title?: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
}) {
  return (
    <section
      className={`card ${props.className ?? ''}`}
      data-testid={props.testId}
      aria-label={props.title}
    >
      {(props.title || props.actions) && (
        <header className="card-header">
          <div>
            {props.title && <h2 className="card-title">{props.title}</h2>}
            {props.subtitle && <p className="card-subtitle">{props.subtitle}</p>}
          </div>
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </header>
      )}
      <div className="card-body">{props.children}</div>
    </section>
  );
}

export function Alert(props: {
  kind: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children: ReactNode;
  testId?: string;
}) {
  const icon: IconName =
    props.kind === 'success' ? 'check' : props.kind === 'info' ? 'info' : 'alert';
  return (
    <div
      className={`alert alert-${props.kind}`}
      role={props.kind === 'error' ? 'alert' : 'status'}
      data-testid={props.testId}
    >
      <Icon name={icon} size={18} />
      <div>
        {props.title && <strong className="alert-title">{props.title}</strong>}
        <div className="alert-text">{props.children}</div>
      </div>
    </div>
  );
}

export function Pill(props: {
  tone: 'green' | 'grey' | 'blue' | 'red';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <span className={`pill pill-${props.tone}`} data-testid={props.testId}>
      <span className="pill-dot" aria-hidden="true" />
      {props.children}
    </span>
  );
}

/** A field's frame: its label above the control, and its error or help below. */
function LabelledField(props: {
  id: string;
  label: string;
  error?: string;
  help?: ReactNode;
  wide?: boolean;
  name?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={`field${props.error ? ' has-error' : ''}${props.wide ? ' field-wide' : ''}`}
      data-field={props.name}
    >
      <label htmlFor={props.id} className="field-label">
        {props.label}
      </label>
      {props.children}
      <FieldMessage id={props.id} error={props.error} help={props.help} />
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: 'text' | 'password' | 'number' | 'url';
  placeholder?: string;
  help?: ReactNode;
  error?: string;
  autoComplete?: string;
  trailing?: ReactNode;
  wide?: boolean;
  name?: string;
}) {
  const id = useId();
  return (
    <LabelledField id={id} {...props}>
      <div className="field-control">
        <input
          id={id}
          className="input"
          type={props.type ?? 'text'}
          value={props.value}
          placeholder={props.placeholder}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={false}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${id}-error` : props.help ? `${id}-help` : undefined}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.trailing}
      </div>
    </LabelledField>
  );
}

export function SelectField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: readonly { value: string; label: string }[];
  error?: string;
  help?: ReactNode;
  placeholder?: string;
  name?: string;
  wide?: boolean;
}) {
  const id = useId();
  return (
    <LabelledField id={id} {...props}>
      <select
        id={id}
        className="input select"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
      >
        {props.placeholder !== undefined && (
          <option value="" disabled>
            {props.placeholder}
          </option>
        )}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

export function CheckboxField(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  error?: string;
  help?: ReactNode;
  name?: string;
}) {
  const id = useId();
  return (
    <div
      className={`field field-check field-wide${props.error ? ' has-error' : ''}`}
      data-field={props.name}
    >
      <input
        id={id}
        type="checkbox"
        className="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      <label htmlFor={id} className="check-label">
        {props.label}
        {props.help && <span className="field-help">{props.help}</span>}
      </label>
      <FieldMessage id={id} error={props.error} />
    </div>
  );
}

/** A field's error, or else its help text; the ids are the ones its control is described by. */
function FieldMessage(props: { id: string; error?: string; help?: ReactNode }) {
  if (props.error) {
    return (
      <p className="field-error" id={`${props.id}-error`} role="alert">
        <Icon name="alert" size={14} /> {props.error}
      </p>
    );
  }
  if (props.help) {
    return (
      <p className="field-help" id={`${props.id}-help`}>
        {props.help}
      </p>
    );
  }
  return null;
}

export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('.btn-secondary')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        ref={ref}
      >
        <h2 id="confirm-title" className="modal-title">
          {props.title}
        </h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">
          <Button onClick={props.onCancel}>Cancel</Button>
          <Button kind={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
