import { escapeControlChars } from '@bwdc/core';
import { isBridgeMethod, type BridgeMethod, type BridgeReply } from '../shared/bridge';
import type { BridgeBackend } from './backend';

type Check = (args: readonly unknown[]) => string | undefined;

const isString = (v: unknown): v is string => typeof v === 'string';
const none: Check = (args) => (args.length === 0 ? undefined : 'takes no arguments');
const strings =
  (n: number): Check =>
  (args) =>
    args.length === n && args.every(isString) ? undefined : `takes ${n} text argument(s)`;

/** The shape of each method's arguments: IPC and HTTP callers are checked before anything runs. */
const CHECKS: Readonly<Record<BridgeMethod, Check>> = {
  appInfo: none,
  dashboard: none,
  login: strings(2),
  logout: none,
  setServer: (a) =>
    a.length === 1 && (a[0] === null || isString(a[0])) ? undefined : 'takes a URL or null',
  settings: none,
  saveSettings: (a) =>
    a.length === 1 &&
    Array.isArray(a[0]) &&
    a[0].every((c: unknown) => {
      const change = c as { name?: unknown; value?: unknown };
      return (
        typeof c === 'object' &&
        c !== null &&
        isString(change.name) &&
        (change.value === null || isString(change.value))
      );
    })
      ? undefined
      : 'takes a list of {name, value} changes',
  verifyDirectory: none,
  importGoogleKey: strings(1),
  test: (a) =>
    a.length === 1 && typeof a[0] === 'boolean' ? undefined : 'takes one true/false argument',
  syncNow: (a) =>
    a.length === 0 || (a.length === 1 && typeof a[0] === 'boolean')
      ? undefined
      : 'takes no argument, or true to go past the safety guard',
  cancel: none,
  startSchedule: none,
  stopSchedule: none,
  clearCache: none,
  checkForUpdate: none,
  pickFile: (a) => {
    const o = a[0] as { title?: unknown; extensions?: unknown } | undefined;
    const ok =
      a.length === 1 &&
      typeof o === 'object' &&
      o !== null &&
      isString(o.title) &&
      (o.extensions === undefined || (Array.isArray(o.extensions) && o.extensions.every(isString)));
    return ok ? undefined : 'takes {title, extensions?}';
  },
};

/**
 * Replies whose text the admin typed and edits again (settings): shown as they are, so saving the
 * form never changes them. Everything else can carry directory values (names, emails, DNs).
 */
const ADMIN_TEXT: ReadonlySet<BridgeMethod> = new Set([
  'settings',
  'saveSettings',
  'importGoogleKey',
]);

/**
 * Every string of a reply with its control and BIDI characters shown as escapes (line breaks
 * stay): the one place directory values pass on their way to the app's text, over IPC or HTTP.
 */
export function safeForDisplay<T>(value: T): T {
  if (typeof value === 'string') return escapeControlChars(value, { keepNewlines: true }) as T;
  if (Array.isArray(value)) return value.map(safeForDisplay) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, safeForDisplay(v)])) as T;
  }
  return value;
}

/**
 * Runs one bridge call from an untrusted transport: refuses unknown methods and malformed
 * arguments, and turns any failure into the error the renderer shows.
 */
export async function dispatch(
  backend: BridgeBackend,
  method: unknown,
  args: unknown,
): Promise<BridgeReply> {
  if (!isBridgeMethod(method)) {
    return {
      ok: false,
      error: {
        code: 'BRIDGE_UNKNOWN_METHOD',
        message: `Unknown bridge method "${String(method)}".`,
      },
    };
  }
  const list = Array.isArray(args) ? args : [];
  const problem = CHECKS[method](list);
  if (problem)
    return { ok: false, error: { code: 'BRIDGE_BAD_REQUEST', message: `${method} ${problem}.` } };
  try {
    const fn = backend[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(backend, list);
    const shown = ADMIN_TEXT.has(method) ? value : safeForDisplay(value);
    return { ok: true, value: shown === undefined ? null : shown };
  } catch (error) {
    return { ok: false, error: safeForDisplay(backend.describeError(error)) };
  }
}
