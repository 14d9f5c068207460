import { escapeControlChars, escapeJsonText, isBwdcError } from '@bwdc/core';

/**
 * The official bwdc's response rendering, which scripts parse: `--response` wraps everything in
 * `{"success":...}`, `--raw` prints only a message's raw value, `--pretty` indents JSON by two
 * spaces, `--quiet` prints nothing, and errors go red to stderr. Each flag is read from its BW_*
 * variable, which the flag sets, so the variables work alone too.
 */
import { jsonPieces } from './json-pieces';

export interface MessageResponse {
  readonly object: 'message';
  readonly title: string;
  readonly message?: string | null;
  readonly raw?: string;
}
export interface StringResponse {
  readonly object: 'string';
  readonly data: string | null;
}
export interface ListResponse {
  readonly object: 'list';
  readonly data: readonly unknown[];
}
/** Anything else is printed as JSON (the `test` result, `config list`...). */
export interface ObjectResponse {
  readonly object: string;
  readonly [key: string]: unknown;
}
export type CliResponse = MessageResponse | StringResponse | ListResponse | ObjectResponse;

export interface Rendered {
  readonly stdout?: string;
  readonly stderr?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (env: Env, name: string): boolean => env[name] === 'true';

/** JSON as printed: what JSON.stringify leaves raw (BIDI, C1 controls) as `\uXXXX` escapes. */
export function toJson(value: unknown, env: Env): string {
  return [...toJsonPieces(value, env)].join('');
}

/** `toJson` in pieces, so a large document is written without ever being one string. */
function* toJsonPieces(value: unknown, env: Env): Iterable<string> {
  for (const piece of jsonPieces(value, isSet(env, 'BW_PRETTY') ? '  ' : undefined))
    yield escapeJsonText(piece);
}

/**
 * Text for a terminal: lines stay lines, every other control or BIDI character (from a directory
 * value: an email, a group name) is shown as an escape, so it cannot act on the terminal.
 */
export function safeText(text: string): string {
  return escapeControlChars(text, { keepNewlines: true });
}

export function renderSuccess(response: CliResponse, env: Env, color: boolean): Rendered {
  const { stdout } = renderSuccessPieces(response, env, color);
  return stdout === undefined ? {} : { stdout: [...stdout].join('') };
}

/** What `renderSuccess` prints, as pieces to write one after the other. */
export function renderSuccessPieces(
  response: CliResponse,
  env: Env,
  color: boolean,
): { readonly stdout?: Iterable<string> } {
  if (isSet(env, 'BW_QUIET')) return {};
  if (isSet(env, 'BW_RESPONSE'))
    return { stdout: toJsonPieces({ success: true, data: response }, env) };
  switch (response.object) {
    case 'string': {
      const out = (response as StringResponse).data;
      return out == null ? {} : { stdout: [safeText(out)] };
    }
    case 'list':
      return { stdout: toJsonPieces((response as ListResponse).data, env) };
    case 'message': {
      const out = renderMessage(response as MessageResponse, env, color);
      return out == null ? {} : { stdout: [out] };
    }
    default:
      return { stdout: toJsonPieces(response, env) };
  }
}

/**
 * An error: its message (the official words, which scripts may match), then what to do about it,
 * one action a line. `--response` keeps the official `{"success":false,"message":...}`.
 */
export function renderError(
  message: string,
  env: Env,
  color: boolean,
  actions: readonly string[] = [],
): Rendered {
  if (isSet(env, 'BW_RESPONSE'))
    return quiet(env, { stdout: toJson({ success: false, message }, env) });
  const text = safeText(message);
  const head = color ? `\u001b[91m${text}\u001b[39m` : text;
  return quiet(env, { stderr: [head, ...actions.map(safeText)].join('\n') });
}

/** Exit codes a scheduler can act on. */
export const EXIT = { ok: 0, error: 1, usage: 2, refusedBySafetyGuard: 3 } as const;

/** What a command that failed says, and how it exits. */
export interface Failure {
  readonly code: string;
  readonly message: string;
  readonly actions: readonly string[];
  readonly exitCode: number;
}

/**
 * A failed command's error as every command reports it: a bwdc error in its own words with its
 * actions (a safety guard's refusal exits 3), anything else as unexpected.
 */
export function describeFailure(error: unknown, env: Env): Failure {
  if (!isBwdcError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      code: 'UNEXPECTED',
      message: `Unexpected error: ${message}`,
      actions: [],
      exitCode: errorExitCode(env, EXIT.error),
    };
  }
  return {
    code: error.code,
    message: error.message,
    actions: error.actions,
    exitCode: errorExitCode(
      env,
      error.code === 'SAFETY_LIMIT' ? EXIT.refusedBySafetyGuard : EXIT.error,
    ),
  };
}

/** Errors exit 1, or 0 with --cleanexit; like upstream, any non-empty BW_CLEANEXIT counts. */
export function errorExitCode(env: Env, code = 1): number {
  return env.BW_CLEANEXIT ? 0 : code;
}

function renderMessage(message: MessageResponse, env: Env, color: boolean): string | null {
  if (isSet(env, 'BW_RAW')) return message.raw === undefined ? null : safeText(message.raw);
  const title = safeText(message.title);
  let out = color ? `\u001b[92m${title}\u001b[39m` : title;
  if (message.message != null) out += `\n${safeText(message.message)}`;
  return out.trim() === '' ? null : out;
}

function quiet(env: Env, rendered: Rendered): Rendered {
  return isSet(env, 'BW_QUIET') ? {} : rendered;
}
