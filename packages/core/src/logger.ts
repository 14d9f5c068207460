import { escapeControlChars } from './escape';

/**
 * The logger contract. Packages log through `Logger`; the composition root decides where lines go.
 * Secrets are registered with a `SecretRedactor` as soon as they are read, and every logger built
 * with `createLogger` replaces them before a line leaves the process.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly time: Date;
}

export type LogSink = (record: LogRecord) => void;

const REDACTED = '[REDACTED]';
/** Values this short would redact ordinary words; nobody's secret is that short. */
const MIN_SECRET_LENGTH = 4;

/** Remembers secret values and scrubs them, and common secret-bearing field names, from text. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  register(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(secret);
    // A secret can also surface JSON- or URL-encoded.
    this.secrets.add(JSON.stringify(secret).slice(1, -1));
    this.secrets.add(encodeURIComponent(secret));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out
      .replace(/(Bearer|SSWS|bearer:)\s*[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`)
      .replace(
        /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
        REDACTED,
      );
  }

  redactValue(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value instanceof Error) return this.redact(value.message);
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          isSecretFieldName(k) ? REDACTED : this.redactValue(v),
        ]),
      );
    }
    return value;
  }
}

const SECRET_FIELD = /(password|secret|token|privatekey|apikey|authorization|^key$)/i;

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name);
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Field values as a sink may print them: redacted, and strings with their control and BIDI
 * characters escaped (a record is one line; directory values never act on a terminal).
 */
function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeControlChars(value);
  if (Array.isArray(value)) return value.map(safeValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [escapeControlChars(k), safeValue(v)]),
    );
  }
  return value;
}

/**
 * A logger that drops records below `level` and, before the sink sees a record, redacts it and
 * escapes control and BIDI characters in it, so no sink (stderr, a log file, the app) shows a
 * directory value raw.
 */
export function createLogger(options: {
  sink: LogSink;
  redactor: SecretRedactor;
  level?: LogLevel;
}): Logger {
  const min = LEVEL_ORDER[options.level ?? 'info'];
  const emit = (
    level: LogLevel,
    message: string,
    fields?: Readonly<Record<string, unknown>>,
  ): void => {
    if (LEVEL_ORDER[level] < min) return;
    options.sink({
      level,
      message: escapeControlChars(options.redactor.redact(message)),
      fields: safeValue(options.redactor.redactValue(fields ?? {}) ?? {}) as Record<
        string,
        unknown
      >,
      time: new Date(),
    });
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** Writes one line per record to stderr, so stdout stays clean for command output. */
export function stderrSink(record: LogRecord): void {
  const fields = Object.keys(record.fields).length ? ` ${JSON.stringify(record.fields)}` : '';
  process.stderr.write(
    `${record.time.toISOString()} ${record.level.toUpperCase()} ${record.message}${fields}\n`,
  );
}

/** For code that must be given a logger but whose caller wants silence. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
