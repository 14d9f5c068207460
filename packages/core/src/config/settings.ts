import type { z } from 'zod';
import { SCHEMAS, type ConfigSection } from './validate';

/** One setting an admin can read or change, e.g. `ldap.port`. */
export interface SettingInfo {
  /** Canonical dotted name, with the field's own case: `ldap.sslCaPath`. */
  readonly name: string;
  readonly section: ConfigSection;
  readonly field: string;
  readonly kind: 'boolean' | 'number' | 'text' | 'choice';
  /** For `choice` settings. */
  readonly choices?: readonly string[];
  /** Kept in the secret store; data.json holds a placeholder. */
  readonly secret: boolean;
}

/** The directory secrets and the legacy secret-store key upstream keeps each under. */
export const SECRET_FIELDS: Readonly<
  Partial<Record<ConfigSection, { field: string; legacyKey: string }>>
> = {
  ldap: { field: 'password', legacyKey: 'secretLdap' },
  entra: { field: 'key', legacyKey: 'secretEntra' },
  gsuite: { field: 'privateKey', legacyKey: 'secretGsuite' },
  okta: { field: 'token', legacyKey: 'secretOkta' },
  onelogin: { field: 'clientSecret', legacyKey: 'secretOneLogin' },
};

/** Names the official CLI uses for some secrets (`bwdc config gsuite.key ...`). */
const FIELD_ALIASES: Readonly<Record<string, string>> = {
  'gsuite.key': 'gsuite.privateKey',
  'onelogin.secret': 'onelogin.clientSecret',
};
const SECTION_ALIASES: Readonly<Record<string, ConfigSection>> = {
  azure: 'entra',
  google: 'gsuite',
};

/** Every setting of every section, in schema order. */
export function listSettings(): SettingInfo[] {
  return (Object.keys(SCHEMAS) as ConfigSection[]).flatMap((section) =>
    Object.entries(SCHEMAS[section].shape)
      .filter(([field]) => field !== 'id')
      .map(([field, schema]) => describe(section, field, schema as z.ZodType)),
  );
}

/**
 * Finds a setting by the name an admin typed: case-insensitive, with the legacy `azure.*` and
 * `google.*` sections and upstream's `gsuite.key`/`onelogin.secret` names.
 */
export function findSetting(name: string): SettingInfo | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const rawSection = name.slice(0, dot).toLowerCase();
  const section = SECTION_ALIASES[rawSection] ?? rawSection;
  const lowered = `${section}.${name.slice(dot + 1).toLowerCase()}`;
  const aliased = Object.entries(FIELD_ALIASES).find(([alias]) => alias === lowered)?.[1];
  const wanted = (aliased ?? lowered).toLowerCase();
  return listSettings().find((s) => s.name.toLowerCase() === wanted);
}

/**
 * Turns the text an admin typed into the value the schema wants: `true`/`false` for flags,
 * numbers for numbers, and an empty text or `null` for "unset". Validation happens afterwards.
 */
export function coerceSettingValue(setting: SettingInfo, text: string | undefined): unknown {
  if (text === undefined || text === '' || text === 'null') return null;
  switch (setting.kind) {
    case 'boolean': {
      const lowered = text.trim().toLowerCase();
      if (lowered === 'true') return true;
      if (lowered === 'false') return false;
      return text;
    }
    case 'number': {
      const number = Number(text);
      return Number.isFinite(number) && text.trim() !== '' ? number : text;
    }
    case 'choice':
      return text.trim().toLowerCase();
    default:
      return text;
  }
}

function describe(section: ConfigSection, field: string, schema: z.ZodType): SettingInfo {
  const inner = unwrap(schema);
  const def = (
    inner as unknown as { _zod: { def: { type: string; entries?: Record<string, string> } } }
  )._zod.def;
  const kind =
    def.type === 'boolean'
      ? 'boolean'
      : def.type === 'number'
        ? 'number'
        : def.type === 'enum'
          ? 'choice'
          : 'text';
  return {
    name: `${section}.${field}`,
    section,
    field,
    kind,
    ...(kind === 'choice' && def.entries ? { choices: Object.values(def.entries) } : {}),
    secret: SECRET_FIELDS[section]?.field === field,
  };
}

/** Looks through defaults, optionals and transforms to the type the admin actually writes. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema as unknown as {
    _zod: { def: { type: string; innerType?: unknown; in?: unknown } };
  };
  for (;;) {
    const def = current._zod.def;
    if (def.innerType && ['default', 'optional', 'nullable', 'prefault'].includes(def.type)) {
      current = def.innerType as typeof current;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in as typeof current;
    } else {
      return current as unknown as z.ZodType;
    }
  }
}
