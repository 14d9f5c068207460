import {
  BwdcError,
  DIRECTORY_SECTIONS,
  SECRET_PLACEHOLDER,
  SecretRedactor,
  closestWord,
  coerceSettingValue,
  directoryTypeName,
  findSetting,
  listSettings,
  parseConfig,
  parseDirectoryType,
  type DirectorySection,
  type SettingInfo,
} from '@bwdc/core';
import { SecretStoreUnavailableError, type SecretStore } from '@bwdc/secure-storage';
import { selectTarget, type ConnectorState, type StateStore } from '@bwdc/state';
import {
  SECRET_CLEARED_BY,
  clearSecretAfterIdentityChange,
  clearedSecretNotice,
  forgetDirectorySecret,
  withConfigId,
  writeDirectorySecret,
  type ClearedSecret,
} from './directory-secrets';
import { UnknownSettingError } from './errors';
import { bitwardenApi, googleProvider } from './lazy';
import { checkSettingValue } from './setting-checks';

/** One line of `bwdc config list`. */
export interface SettingValue {
  readonly name: string;
  /** Secrets are never shown: `[STORED SECURELY]` when set. */
  readonly value: string | number | boolean | null;
  readonly secret: boolean;
  /** Why an unset secret is unset, when a change cleared it. */
  readonly note?: string;
}

/** What a saved change means beyond the value itself. */
export interface SettingChangeResult {
  /** Said to the admin after saving (stderr in the CLI): a cleared secret, a plain-http server... */
  readonly notices: readonly string[];
  /** Secrets the change cleared (a changed server or account does not keep its secret). */
  readonly clearedSecrets: readonly ClearedSecret[];
}

export interface ConfigServiceOptions {
  /**
   * Plaintext mode (`BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true`): directory secrets live in
   * their sections of data.json, where the official connector reads them in that mode.
   */
  readonly secretsInSections?: boolean;
}

const NOTHING: SettingChangeResult = { notices: [], clearedSecrets: [] };

/**
 * Reads and writes settings by the names admins type (`ldap.port`, `azure.key`, `server`,
 * `directory`), validating each change against the whole section so a bad value is refused with
 * the setting's name before anything is written.
 */
export class ConfigService {
  private readonly secretsInSections: boolean;

  constructor(
    private readonly state: StateStore,
    private readonly secrets: SecretStore,
    private readonly redactor: SecretRedactor,
    options: ConfigServiceOptions = {},
  ) {
    this.secretsInSections = options.secretsInSections ?? false;
  }

  async set(name: string, value: string | undefined): Promise<SettingChangeResult> {
    const lowered = name.trim().toLowerCase();
    if (lowered === 'server') return this.setServer(value);
    const urlField = SERVER_URL_SETTINGS[lowered];
    if (urlField) return this.setServerUrl(urlField, value);
    if (lowered === 'directory') return this.setDirectory(value);
    const setting = findSetting(name);
    if (!setting) throw new UnknownSettingError(name);
    if (setting.secret) return this.setSecret(setting.section as DirectorySection, value);

    const coerced = coerceSettingValue(setting, value);
    await checkSettingValue(setting, coerced, (await this.state.read()).directoryType);
    let cleared: { secret: ClearedSecret; oldSection: Record<string, unknown> } | undefined;
    await this.state.update((state) => {
      cleared = undefined;
      if (setting.section === 'sync') {
        const sync = { ...state.sync, [setting.field]: coerced };
        parseConfig('sync', sync);
        return { ...state, sync };
      }
      const section = setting.section as DirectorySection;
      const before = state.directories[section] ?? {};
      const next = { ...before, [setting.field]: coerced };
      // Store the normalized value (a URL without its trailing slash...), not what was typed.
      const parsed = parseConfig(section, next) as Record<string, unknown>;
      next[setting.field] = parsed[setting.field] ?? null;
      const identity = withConfigId(section, before, next);
      let withId = identity.section;
      if (identity.changed.length > 0) {
        const clearing = clearSecretAfterIdentityChange(section, before, withId, setting.name);
        if (clearing) {
          withId = clearing.section;
          cleared = { secret: clearing.cleared, oldSection: before };
        }
      }
      return { ...state, directories: { ...state.directories, [section]: withId } };
    });
    if (!cleared) return NOTHING;
    const notices = [clearedSecretNotice(cleared.secret)];
    // Outside the update: in plaintext mode the store is data.json, whose lock the update holds.
    try {
      await forgetDirectorySecret(
        this.secrets,
        setting.section as DirectorySection,
        cleared.oldSection,
      );
    } catch (error) {
      // The setting is saved and the old secret is no longer used: only tidying failed.
      if (!(error instanceof SecretStoreUnavailableError)) throw error;
      notices.push(
        `The old ${cleared.secret.setting} stays in the secret store, unused: ${error.message}`,
      );
    }
    return { notices, clearedSecrets: [cleared.secret] };
  }

  /**
   * A Google service account's JSON key file, as the official app takes it: fills
   * `gsuite.clientEmail` and the private key (`origin` names the file in errors).
   */
  async importGoogleKey(text: string, origin: string): Promise<SettingChangeResult> {
    const key = (await googleProvider()).parseServiceAccountKey(text, origin);
    const email = await this.set('gsuite.clientEmail', key.clientEmail);
    // The key last: a new client email gives the configuration a new id, which the key belongs to.
    const secret = await this.set('gsuite.privateKey', key.privateKey);
    // The key just saved is the one the email change would have cleared: no need to say so.
    return {
      notices: secret.notices,
      clearedSecrets: email.clearedSecrets.filter((c) => c.setting !== 'gsuite.privateKey'),
    };
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

  /**
   * Warnings that hold as long as the configuration does (a plain-http server), for every run;
   * `state` when the caller has just read it (data.json of a large organization is megabytes).
   */
  async standingWarnings(state?: ConnectorState): Promise<string[]> {
    const { plainHttpWarnings, resolveEnvironmentUrls } = await bitwardenApi();
    const { environmentUrls } = state ?? (await this.state.read());
    return plainHttpWarnings(resolveEnvironmentUrls(environmentUrls));
  }

  private valueOf(state: ConnectorState, setting: SettingInfo): SettingValue {
    const raw =
      setting.section === 'sync'
        ? state.sync
        : (state.directories[setting.section as DirectorySection] ?? {});
    if (setting.secret) {
      const stored = raw[setting.field];
      const set = typeof stored === 'string' && stored !== '';
      const clearedBy = raw[SECRET_CLEARED_BY];
      return {
        name: setting.name,
        value: set ? SECRET_PLACEHOLDER : null,
        secret: true,
        ...(!set && typeof clearedBy === 'string'
          ? { note: `cleared when ${clearedBy} changed` }
          : {}),
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

  private async setServer(value: string | undefined): Promise<SettingChangeResult> {
    const text = value?.trim();
    const { resolveEnvironmentUrls } = await bitwardenApi();
    const cloud =
      !text || text === 'null' || text === 'bitwarden.com' || text === 'https://bitwarden.com';
    // Resolving validates the URL before it is saved.
    const base = cloud
      ? undefined
      : resolveEnvironmentUrls({ base: text }).api.replace(/\/api$/, '');
    const state = await this.state.update((current) => ({
      ...current,
      environmentUrls: base ? { base } : {},
    }));
    const notices = await this.urlNotices(state);
    // As upstream, a URL without a scheme gets https://; a plain-http server then fails with a
    // TLS error far from here, so say so now.
    return base && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text!)
      ? {
          ...notices,
          notices: [
            `server: "${text}" has no scheme, so ${base} is used. For a server on plain http, type it: bwdc config server http://${text}`,
            ...notices.notices,
          ],
        }
      : notices;
  }

  /** One of the URLs a self-hosted server may split off its base (`server.api`...). */
  private async setServerUrl(
    field: ServerUrlField,
    value: string | undefined,
  ): Promise<SettingChangeResult> {
    const text = value?.trim();
    const { resolveEnvironmentUrls } = await bitwardenApi();
    const state = await this.state.update((current) => {
      const urls = { ...current.environmentUrls };
      if (!text || text === 'null') {
        delete urls[field];
        return { ...current, environmentUrls: urls };
      }
      // Resolving validates it as the client will use it, and normalizes it.
      return {
        ...current,
        environmentUrls: {
          ...urls,
          [field]: resolveEnvironmentUrls({ ...urls, [field]: text })[field],
        },
      };
    });
    return this.urlNotices(state);
  }

  private async urlNotices(state: ConnectorState): Promise<SettingChangeResult> {
    const { plainHttpWarnings, resolveEnvironmentUrls } = await bitwardenApi();
    return {
      notices: plainHttpWarnings(resolveEnvironmentUrls(state.environmentUrls)),
      clearedSecrets: [],
    };
  }

  private async setDirectory(value: string | undefined): Promise<SettingChangeResult> {
    const type = value === undefined ? undefined : parseDirectoryType(value);
    if (type === undefined) {
      const meant =
        value === undefined ? undefined : closestWord(value, [...DIRECTORY_NAMES, 'azure']);
      throw new BwdcError('CONFIG_INVALID', 'Invalid directory type value.', {
        actions: [
          ...(meant ? [`Did you mean ${meant}? bwdc config directory ${meant}`] : []),
          `Use ${DIRECTORY_NAMES.join(', ')}, or 0 (ldap), 1 (entra), 2 (gsuite), 3 (okta), 4 (onelogin).`,
        ],
      });
    }
    await this.state.update((state) => selectTarget(state, { directoryType: type }));
    return NOTHING;
  }

  private async setSecret(
    section: DirectorySection,
    value: string | undefined,
  ): Promise<SettingChangeResult> {
    const field = DIRECTORY_SECTIONS[section].secret!.field;
    let secret = value === undefined || value === '' || value === 'null' ? undefined : value;
    // Upstream: a pasted key loses leading whitespace and its literal "\n"s become newlines.
    if (secret !== undefined && section === 'gsuite')
      secret = secret.trimStart().replace(/\\n/g, '\n');
    this.redactor.register(secret);
    // The secret is written before, not inside, the data.json update: in plaintext mode the
    // secret store is data.json itself, whose lock the update holds.
    const before = (await this.state.read()).directories[section] ?? {};
    const { section: withId } = withConfigId(section, before, before);
    const stored = await writeDirectorySecret(
      this.secrets,
      section,
      withId,
      secret,
      this.secretsInSections,
    );
    await this.state.update((state) => {
      const { [SECRET_CLEARED_BY]: _note, ...current } = state.directories[section] ?? {};
      const next = { ...current, id: withId.id, [field]: stored };
      return { ...state, directories: { ...state.directories, [section]: next } };
    });
    return NOTHING;
  }
}

type ServerUrlField = 'api' | 'identity' | 'webVault';

const DIRECTORY_NAMES = ['ldap', 'entra', 'gsuite', 'okta', 'onelogin', 'file'] as const;

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
