import {
  BwdcError,
  DirectoryType,
  SECTION_OF_TYPE,
  SecretRedactor,
  applyActiveDirectoryDefaults,
  coerceSettingValue,
  directoryTypeName,
  findSetting,
  listSettings,
  parseConfig,
  parseDirectoryType,
  type SettingInfo,
} from '@bwdc/core';
import { resolveEnvironmentUrls } from '@bwdc/bitwarden-api';
import type { SecretStore } from '@bwdc/secure-storage';
import { selectTarget, type ConnectorState, type StateStore } from '@bwdc/state';
import { SECRET_PLACEHOLDER, withConfigId, writeDirectorySecret } from './directory-secrets';
import { UnknownSettingError } from './errors';

/** One line of `bwdc config list`. */
export interface SettingValue {
  readonly name: string;
  /** Secrets are never shown: `[STORED SECURELY]` when set. */
  readonly value: string | number | boolean | null;
  readonly secret: boolean;
}

type DirectorySection = Exclude<SettingInfo['section'], 'sync'>;

/**
 * Reads and writes settings by the names admins type (`ldap.port`, `azure.key`, `server`,
 * `directory`), validating each change against the whole section so a bad value is refused with
 * the setting's name before anything is written.
 */
export class ConfigService {
  constructor(
    private readonly state: StateStore,
    private readonly secrets: SecretStore,
    private readonly redactor: SecretRedactor,
  ) {}

  async set(name: string, value: string | undefined): Promise<void> {
    const lowered = name.trim().toLowerCase();
    if (lowered === 'server') return this.setServer(value);
    const urlField = SERVER_URL_SETTINGS[lowered];
    if (urlField) return this.setServerUrl(urlField, value);
    if (lowered === 'directory') return this.setDirectory(value);
    const setting = findSetting(name);
    if (!setting) throw new UnknownSettingError(name);
    if (setting.secret) return this.setSecret(setting, value);

    const coerced = coerceSettingValue(setting, value);
    await this.state.update((state) => {
      if (setting.section === 'sync') {
        const sync = { ...state.sync, [setting.field]: coerced };
        parseConfig('sync', sync);
        return withAdjustedSync({ ...state, sync });
      }
      const section = setting.section as DirectorySection;
      const before = state.directories[section] ?? {};
      const next = { ...before, [setting.field]: coerced };
      // Store the normalized value (a URL without its trailing slash...), not what was typed.
      const parsed = parseConfig(section, next) as Record<string, unknown>;
      next[setting.field] = parsed[setting.field] ?? null;
      const withId = withConfigId(section, before, next);
      return withAdjustedSync({
        ...state,
        directories: { ...state.directories, [section]: withId },
      });
    });
  }

  async get(name: string): Promise<SettingValue> {
    const state = await this.state.read();
    const lowered = name.trim().toLowerCase();
    const server = serverSettings(state).find((s) => s.name.toLowerCase() === lowered);
    if (server) return server;
    if (lowered === 'directory') {
      return {
        name: 'directory',
        value: state.directoryType === undefined ? null : directoryTypeName(state.directoryType),
        secret: false,
      };
    }
    const setting = findSetting(name);
    if (!setting) throw new UnknownSettingError(name);
    return this.valueOf(state, setting);
  }

  /** Every setting with its effective value (defaults filled in), secrets masked. */
  async list(): Promise<SettingValue[]> {
    const state = await this.state.read();
    const head: SettingValue[] = [
      ...serverSettings(state),
      {
        name: 'directory',
        value: state.directoryType === undefined ? null : directoryTypeName(state.directoryType),
        secret: false,
      },
    ];
    return [...head, ...listSettings().map((s) => this.valueOf(state, s))];
  }

  private valueOf(state: ConnectorState, setting: SettingInfo): SettingValue {
    const raw =
      setting.section === 'sync'
        ? state.sync
        : (state.directories[setting.section as DirectorySection] ?? {});
    if (setting.secret) {
      const stored = raw[setting.field];
      return {
        name: setting.name,
        value: stored != null && stored !== '' ? SECRET_PLACEHOLDER : null,
        secret: true,
      };
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = parseConfig(setting.section, raw) as Record<string, unknown>;
    } catch {
      parsed = raw;
    }
    const value = parsed[setting.field];
    return {
      name: setting.name,
      value:
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? value
          : null,
      secret: false,
    };
  }

  private async setServer(value: string | undefined): Promise<void> {
    const text = value?.trim();
    const cloud =
      !text || text === 'null' || text === 'bitwarden.com' || text === 'https://bitwarden.com';
    // Resolving validates the URL (https, or http on loopback) before it is saved.
    const base = cloud
      ? undefined
      : resolveEnvironmentUrls({ base: text }).api.replace(/\/api$/, '');
    await this.state.update((state) => ({ ...state, environmentUrls: base ? { base } : {} }));
  }

  /** One of the URLs a self-hosted server may split off its base (`server.api`...). */
  private async setServerUrl(field: ServerUrlField, value: string | undefined): Promise<void> {
    const text = value?.trim();
    await this.state.update((state) => {
      const urls = { ...state.environmentUrls };
      if (!text || text === 'null') {
        delete urls[field];
        return { ...state, environmentUrls: urls };
      }
      // Resolving validates it as the client will use it, and normalizes it.
      return {
        ...state,
        environmentUrls: {
          ...urls,
          [field]: resolveEnvironmentUrls({ ...urls, [field]: text })[field],
        },
      };
    });
  }

  private async setDirectory(value: string | undefined): Promise<void> {
    const type = value === undefined ? undefined : parseDirectoryType(value);
    if (type === undefined) {
      throw new BwdcError('CONFIG_INVALID', 'Invalid directory type value.', {
        actions: ['Use 0 (ldap), 1 (entra), 2 (gsuite), 3 (okta), 4 (onelogin) or file.'],
      });
    }
    await this.state.update((state) =>
      withAdjustedSync(selectTarget(state, { directoryType: type })),
    );
  }

  private async setSecret(setting: SettingInfo, value: string | undefined): Promise<void> {
    const section = setting.section as DirectorySection;
    let secret = value === undefined || value === '' || value === 'null' ? undefined : value;
    // Upstream: a pasted key loses leading whitespace and its literal "\n"s become newlines.
    if (secret !== undefined && section === 'gsuite')
      secret = secret.trimStart().replace(/\\n/g, '\n');
    this.redactor.register(secret);
    // The secret is written before, not inside, the data.json update: in plaintext mode the
    // secret store is data.json itself, whose lock the update holds.
    const before = (await this.state.read()).directories[section] ?? {};
    const withId = withConfigId(section, before, before);
    await writeDirectorySecret(this.secrets, section, withId, secret);
    await this.state.update((state) => {
      const current = state.directories[section] ?? {};
      const next = {
        ...current,
        id: withId.id,
        [setting.field]: secret === undefined ? null : SECRET_PLACEHOLDER,
      };
      return { ...state, directories: { ...state.directories, [section]: next } };
    });
  }
}

type ServerUrlField = 'api' | 'identity' | 'webVault';

/** Ours: the separate URLs the official app's server settings offer, which its CLI cannot set. */
const SERVER_URL_SETTINGS: Readonly<Record<string, ServerUrlField>> = {
  'server.api': 'api',
  'server.identity': 'identity',
  'server.webvault': 'webVault',
};

function serverSettings(state: ConnectorState): SettingValue[] {
  const urls = state.environmentUrls;
  return [
    { name: 'server', value: urls.base ?? null, secret: false },
    { name: 'server.api', value: urls.api ?? null, secret: false },
    { name: 'server.identity', value: urls.identity ?? null, secret: false },
    { name: 'server.webVault', value: urls.webVault ?? null, secret: false },
  ];
}

/** Upstream's adjustConfigForSave for AD, applied when LDAP is the configured directory. */
function withAdjustedSync(state: ConnectorState): ConnectorState {
  if (state.directoryType !== DirectoryType.Ldap) return state;
  const ldap = parseConfig('ldap', state.directories[SECTION_OF_TYPE[DirectoryType.Ldap]] ?? {});
  if (!ldap.ad) return state;
  const sync = parseConfig('sync', state.sync);
  const adjusted = applyActiveDirectoryDefaults(ldap, sync);
  const changes = Object.fromEntries(
    Object.entries(adjusted).filter(
      ([key, value]) => (sync as Record<string, unknown>)[key] !== value,
    ),
  );
  return { ...state, sync: { ...state.sync, ...changes } };
}
