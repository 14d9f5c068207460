import type { z } from 'zod';
import { closestWord } from '../suggest';
import { SETTING_DESCRIPTIONS } from './descriptions';
import { SCHEMAS, type ConfigSection } from './validate';

/** A section that configures a directory (every section but `sync`). */
export type DirectorySection = Exclude<ConfigSection, 'sync'>;

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
  /** Says which account the configuration talks to; changing it clears the section's secret. */
  readonly identity: boolean;
  /** One line for people: what it is, an example or its default. */
  readonly description: string;
  /** Names a file bwdc reads (a certificate, a key, the directory file): it must exist when set. */
  readonly file: boolean;
}

const FILE_SETTINGS = new Set([
  'ldap.sslCaPath',
  'ldap.tlsCaPath',
  'ldap.sslCertPath',
  'ldap.sslKeyPath',
  'file.path',
]);

/** A setting outside the sections (the Bitwarden server, the directory type). */
export interface GeneralSetting {
  readonly name: string;
  readonly description: string;
}

/** `server`, its split URLs and `directory`, in the order `bwdc config list` shows them. */
export const GENERAL_SETTINGS: readonly GeneralSetting[] = [
  'server',
  'server.api',
  'server.identity',
  'server.webVault',
  'directory',
].map((name) => ({ name, description: SETTING_DESCRIPTIONS[name] ?? '' }));

/** What data.json holds in place of a secret kept in the secret store, as the official connector writes it. */
export const SECRET_PLACEHOLDER = '[STORED SECURELY]';

/** A directory's secret and where the official connector keeps it. */
export interface DirectorySecretInfo {
  /** The section's field: `password`. */
  readonly field: string;
  /** The secret-store account, scoped to the configuration as `<storeKey>:<config id>`. */
  readonly storeKey: string;
  /** Older accounts read when `storeKey` holds nothing (Entra ID was Azure AD). */
  readonly formerStoreKeys: readonly string[];
  /** The name the official CLI's `config` command gives it. */
  readonly cliName: string;
}

/** What the catalogue knows about a directory section beyond its schema. */
export interface DirectorySectionInfo {
  /** The section's key in data.json. */
  readonly dataKey: string;
  /**
   * The fields that say which account the configuration talks to (the official connector's).
   * When one changes, the configuration gets a new id and its secret is not carried over, so a
   * password saved for one server is never sent to another.
   */
  readonly identityFields: readonly string[];
  readonly secret?: DirectorySecretInfo;
}

/** Every directory section: data.json key, identity fields and secret. */
export const DIRECTORY_SECTIONS: Readonly<Record<DirectorySection, DirectorySectionInfo>> = {
  ldap: {
    dataKey: 'directoryLdap',
    identityFields: ['hostname', 'domain', 'username'],
    secret: {
      field: 'password',
      storeKey: 'secretLdap',
      formerStoreKeys: [],
      cliName: 'ldap.password',
    },
  },
  entra: {
    dataKey: 'directoryEntra',
    identityFields: ['tenant', 'applicationId'],
    secret: {
      field: 'key',
      storeKey: 'secretEntra',
      formerStoreKeys: ['secretAzure'],
      cliName: 'entra.key',
    },
  },
  gsuite: {
    dataKey: 'directoryGsuite',
    identityFields: ['clientEmail', 'domain', 'customer'],
    secret: {
      field: 'privateKey',
      storeKey: 'secretGsuite',
      formerStoreKeys: [],
      cliName: 'gsuite.key',
    },
  },
  okta: {
    dataKey: 'directoryOkta',
    identityFields: ['orgUrl'],
    secret: { field: 'token', storeKey: 'secretOkta', formerStoreKeys: [], cliName: 'okta.token' },
  },
  onelogin: {
    dataKey: 'directoryOnelogin',
    identityFields: ['clientId', 'region'],
    secret: {
      field: 'clientSecret',
      storeKey: 'secretOneLogin',
      formerStoreKeys: [],
      cliName: 'onelogin.secret',
    },
  },
  // Ours: a file has no account and no secret.
  file: { dataKey: 'directoryFile', identityFields: [] },
};

/** The secret-store accounts of the Bitwarden login, as the official connector names them. */
export const LOGIN_SECRET_KEYS = {
  apiKeyClientId: 'apiKeyClientId',
  apiKeyClientSecret: 'apiKeyClientSecret',
  accessToken: 'accessToken',
  refreshToken: 'refreshToken',
  twoFactorToken: 'twoFactorToken',
} as const;

const SECRET_STORE_KEYS = new Set<string>([
  ...Object.values(LOGIN_SECRET_KEYS),
  ...Object.values(DIRECTORY_SECTIONS).flatMap((s) =>
    s.secret ? [s.secret.storeKey, ...s.secret.formerStoreKeys] : [],
  ),
]);

/**
 * Whether `key` is a secret-store account of the official connector: a login key, or a
 * directory's key with or without its `:<config id>`. In plaintext mode these are data.json keys.
 */
export function isSecretStoreKey(key: string): boolean {
  const colon = key.indexOf(':');
  return SECRET_STORE_KEYS.has(colon < 0 ? key : key.slice(0, colon));
}

const LOGIN_SECRET_LABELS: Readonly<Record<string, string>> = {
  [LOGIN_SECRET_KEYS.apiKeyClientId]: 'the organization API key (client_id)',
  [LOGIN_SECRET_KEYS.apiKeyClientSecret]: 'the organization API key (client_secret)',
  [LOGIN_SECRET_KEYS.accessToken]: 'the Bitwarden access token',
  [LOGIN_SECRET_KEYS.refreshToken]: 'the Bitwarden refresh token',
  [LOGIN_SECRET_KEYS.twoFactorToken]: 'the Bitwarden two-step login token',
};

/**
 * A secret-store account as an admin knows it: `secretLdap:<config id>` is `ldap.password`,
 * `apiKeyClientSecret` the organization API key. For messages; the store's own names stay inside.
 */
export function secretLabel(key: string): string {
  const base = key.split(':')[0]!;
  if (LOGIN_SECRET_LABELS[base]) return LOGIN_SECRET_LABELS[base];
  const section = Object.values(DIRECTORY_SECTIONS).find(
    (s) => s.secret && (s.secret.storeKey === base || s.secret.formerStoreKeys.includes(base)),
  );
  return section?.secret ? section.secret.cliName : 'a secret';
}

/** Section names the official connector still accepts: Entra ID was Azure AD, Google Workspace was G Suite. */
export const SECTION_ALIASES: Readonly<Record<string, DirectorySection>> = {
  azure: 'entra',
  google: 'gsuite',
};

/** `gsuite.key` → `gsuite.privateKey`...: the official CLI's names for secrets whose field is named otherwise. */
const FIELD_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  (Object.entries(DIRECTORY_SECTIONS) as [DirectorySection, DirectorySectionInfo][]).flatMap(
    ([section, info]) =>
      info.secret && info.secret.cliName !== `${section}.${info.secret.field}`
        ? [[info.secret.cliName, `${section}.${info.secret.field}`]]
        : [],
  ),
);

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
 * The setting an admin probably meant by a name that is none (`ldap.hostnme` → `ldap.hostname`),
 * or undefined when nothing is close.
 */
export function suggestSetting(name: string): string | undefined {
  return closestWord(name, [
    ...GENERAL_SETTINGS.map((s) => s.name),
    ...listSettings().map((s) => s.name),
  ]);
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
    secret: section !== 'sync' && DIRECTORY_SECTIONS[section].secret?.field === field,
    identity: section !== 'sync' && DIRECTORY_SECTIONS[section].identityFields.includes(field),
    description: SETTING_DESCRIPTIONS[`${section}.${field}`] ?? '',
    file: FILE_SETTINGS.has(`${section}.${field}`),
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
