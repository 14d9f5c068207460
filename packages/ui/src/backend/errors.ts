import { DIRECTORY_SECTIONS, findSetting, type DirectorySection } from '@bwdc/core';
import type { BridgeErrorInfo } from '../shared/bridge';

/** Settings a directory is reached through, for failures whose message names none. */
const ADDRESS_FIELD: Readonly<Record<string, string>> = {
  ldap: 'ldap.hostname',
  entra: 'entra.tenant',
  gsuite: 'gsuite.domain',
  okta: 'okta.orgUrl',
  onelogin: 'onelogin.clientId',
  file: 'file.path',
};

const SETTING_MENTION =
  /\b(?:ldap|entra|azure|gsuite|google|okta|onelogin|file|sync)\.[A-Za-z]+\b/g;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  actions?: unknown;
  issues?: unknown;
  setting?: unknown;
  /** SafetyLimitError */
  wouldRemove?: unknown;
  groupLosses?: unknown;
  forceable?: unknown;
}

/** Removals a guard refusal carries across the bridge (the schedule state keeps it too). */
const REMOVALS_LISTED = 200;

/**
 * Turns anything the connector threw into what crosses the bridge: its code and message as they
 * are (they already name the setting or server), plus the form field the failure belongs to, so
 * a rejected bind shows under the password and an unreachable host under the hostname.
 */
export function toBridgeError(error: unknown, directory?: string | null): BridgeErrorInfo {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const message = typeof e.message === 'string' && e.message ? e.message : String(error);
  const code = typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'INTERNAL';
  const actions = Array.isArray(e.actions)
    ? e.actions.filter((a): a is string => typeof a === 'string')
    : [];
  const setting = settingOf(e, code, message, directory ?? undefined);
  return {
    code,
    message,
    ...(setting ? { setting } : {}),
    ...(actions.length ? { actions } : {}),
    ...(code === 'SAFETY_LIMIT' ? guardDetails(e) : {}),
  };
}

/** Who a refused sync would remove, so the app can list them and offer to go ahead. */
function guardDetails(
  e: ErrorLike,
): Pick<
  BridgeErrorInfo,
  'removals' | 'removalCount' | 'groupLosses' | 'groupLossCount' | 'forceable'
> {
  const list = Array.isArray(e.wouldRemove) ? (e.wouldRemove as unknown[]) : [];
  const removals = list.slice(0, REMOVALS_LISTED).flatMap((r) => {
    const m = r as { email?: unknown; externalId?: unknown; reasonText?: unknown };
    return typeof m.email === 'string' && typeof m.externalId === 'string'
      ? [
          {
            email: m.email,
            externalId: m.externalId,
            reason: typeof m.reasonText === 'string' ? m.reasonText : '',
          },
        ]
      : [];
  });
  const losses = Array.isArray(e.groupLosses) ? (e.groupLosses as unknown[]) : [];
  const groupLosses = losses.slice(0, REMOVALS_LISTED).flatMap((g) => {
    const x = g as { name?: unknown; externalId?: unknown; before?: unknown; after?: unknown };
    return typeof x.name === 'string' &&
      typeof x.externalId === 'string' &&
      typeof x.before === 'number' &&
      typeof x.after === 'number'
      ? [
          {
            name: x.name,
            externalId: x.externalId,
            before: x.before,
            after: x.after,
            lost: x.before - x.after,
          },
        ]
      : [];
  });
  return {
    removals,
    removalCount: list.length,
    groupLosses,
    groupLossCount: losses.length,
    forceable: e.forceable === true,
  };
}

function settingOf(
  e: ErrorLike,
  code: string,
  message: string,
  directory: string | undefined,
): string | undefined {
  if (Array.isArray(e.issues) && e.issues.length > 0) {
    const first = e.issues[0] as { setting?: unknown };
    if (typeof first.setting === 'string') return canonical(first.setting);
  }
  const mentioned = [...message.matchAll(SETTING_MENTION)]
    .map((m) => canonical(m[0]))
    .filter((s): s is string => !!s);
  const secret = directory ? DIRECTORY_SECTIONS[directory as DirectorySection]?.secret : undefined;
  const secretName = secret && directory ? `${directory}.${secret.field}` : undefined;
  if (code === 'DIRECTORY_AUTH_FAILED') {
    // "wrong ldap.username or ldap.password": the secret is what admins mistype; the message names both.
    if (secretName && (mentioned.length === 0 || mentioned.includes(secretName))) return secretName;
    return mentioned[0];
  }
  if (mentioned.length > 0) return mentioned[0];
  if (code === 'DIRECTORY_UNREACHABLE' && directory) return ADDRESS_FIELD[directory];
  return undefined;
}

function canonical(name: string): string | undefined {
  return findSetting(name)?.name;
}
