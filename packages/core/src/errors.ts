/**
 * Every error bwdc raises on purpose is a BwdcError: a stable `code` that scripts and exit-code
 * mapping can rely on, and a human message that names the setting, entry or server at fault.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DIRECTORY_UNREACHABLE'
  | 'DIRECTORY_AUTH_FAILED'
  | 'DIRECTORY_READ_FAILED'
  | 'DIRECTORY_NOT_CONFIGURED'
  | 'FILTER_INVALID'
  | 'DUPLICATE_EMAIL'
  | 'SAFETY_LIMIT'
  | 'CANCELLED'
  | 'BITWARDEN_AUTH_FAILED'
  | 'BITWARDEN_REQUEST_FAILED'
  | 'STATE_CORRUPT'
  | 'STATE_LOCKED'
  | 'STATE_WRITE_FAILED'
  | 'SECRET_STORE_FAILED'
  | 'NOT_LOGGED_IN'
  | 'UPDATE_CHECK_FAILED';

export class BwdcError extends Error {
  readonly code: ErrorCode;
  /** What the admin can do about it, shown after the message. */
  readonly actions: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; actions?: readonly string[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.actions = options?.actions ?? [];
  }
}

/** One rejected setting: `setting` is the dotted name the admin knows, e.g. `ldap.port`. */
export interface ConfigIssue {
  readonly setting: string;
  readonly message: string;
}

export class ConfigValidationError extends BwdcError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', issues.map((i) => `${i.setting}: ${i.message}`).join('\n'));
    this.issues = issues;
  }
}

/** The way forward from a filter that cannot be read, the same for `config` and for a run. */
export function filterCorrection(setting: string): string {
  return `Correct it: bwdc config ${setting} "<filter>" (an empty value removes it).`;
}

export class FilterSyntaxError extends BwdcError {
  /** `setting` names where the filter came from (`sync.userFilter`), when known. */
  constructor(filter: string, problem: string, setting?: string) {
    super(
      'FILTER_INVALID',
      `Invalid filter "${filter}"${setting ? ` in ${setting}` : ''}: ${problem}`,
      setting ? { actions: [filterCorrection(setting)] } : undefined,
    );
  }
}

/**
 * Why the file a setting names cannot be used, in words: one text for `config` (when the path is
 * set) and for a run (when it is read). `error` is what reading or checking it threw.
 */
export function fileProblem(setting: string, path: string, error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const why =
    code === 'ENOENT'
      ? 'there is no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied (the user running bwdc must be able to read it)'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : error instanceof Error
            ? error.message
            : String(error);
  return `${setting}: cannot read ${path}: ${why}. Give the full path of the file: bwdc config ${setting} <path>`;
}

export class CancelledError extends BwdcError {
  constructor(what = 'The operation') {
    super('CANCELLED', `${what} was cancelled.`);
  }
}

export class DirectoryError extends BwdcError {
  /** The server or file the failure came from, e.g. `ldaps://dc1.example.com:636`. */
  readonly source: string;
  /** The HTTP status a directory's API answered with, when it answered. */
  readonly status: number | undefined;

  constructor(
    code: Extract<ErrorCode, `DIRECTORY_${string}`>,
    source: string,
    message: string,
    options?: { cause?: unknown; actions?: readonly string[]; status?: number },
  ) {
    super(code, `${source}: ${message}`, options);
    this.source = source;
    this.status = options?.status;
  }
}

/** Throws CancelledError when the signal has fired; call between units of work. */
export function throwIfCancelled(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

export function isBwdcError(error: unknown): error is BwdcError {
  return error instanceof BwdcError;
}
