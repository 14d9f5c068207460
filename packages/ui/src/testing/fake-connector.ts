/**
 * An in-memory stand-in for @bwdc/connector's Connector, for unit tests of the backend, the IPC
 * handlers and the UI server. It validates like the real one where tests depend on it.
 */
import {
  BwdcError,
  ConfigValidationError,
  DirectoryError,
  DirectoryType,
  directoryTypeName,
  findSetting,
  listSettings,
  parseDirectoryType,
} from '@bwdc/core';
import type { OrganizationChanges } from '@bwdc/connector';
import type { ConnectorPort } from '../backend/backend';

type Sync = ConnectorPort['sync'];
type Test = ConnectorPort['test'];
type Changes = ConnectorPort['changes'];

/** A small organization compared with the fake directory: one invite, one removal, one group changed. */
export function sampleChanges(overrides: Partial<OrganizationChanges> = {}): OrganizationChanges {
  return {
    object: 'changes',
    unchanged: false,
    invite: [{ email: 'bob@example.com', externalId: 'u2' }],
    remove: [
      {
        email: 'dave@example.com',
        externalId: 'u4',
        reason: 'deleted in the directory',
        code: 'deleted-in-directory',
        role: 'User',
        status: 'confirmed',
      },
    ],
    groups: [
      {
        name: 'Engineering',
        externalId: 'g1',
        create: false,
        add: ['bob@example.com'],
        remove: ['helper@example.com'],
        membersCompared: true,
        members: 2,
      },
    ],
    unmanaged: [{ email: 'owner@example.com', role: 'Owner', status: 'confirmed' }],
    link: [],
    emailDiffers: [],
    notInvited: [],
    pending: [],
    keptOwners: [],
    refusal: null,
    groupsNotCompared: 0,
    counts: {
      invite: 1,
      remove: 1,
      link: 0,
      groupsCreated: 0,
      groupsRenamed: 0,
      groupsChanged: 1,
      unmanaged: 1,
      membersBefore: 4,
      membersAfter: 4,
    },
    drift: null,
    ...overrides,
  };
}

export interface FakeConnectorState {
  loggedIn: boolean;
  organizationId: string | undefined;
  directoryType: DirectoryType | undefined;
  lastUserSync: string | undefined;
  lastGroupSync: string | undefined;
  settings: Map<string, string | number | boolean | null>;
  secrets: Map<string, string>;
  calls: string[];
}

export function createFakeConnector(
  options: { sync?: Sync; test?: Test; changes?: Changes; verify?: () => Promise<void> } = {},
) {
  const state: FakeConnectorState = {
    loggedIn: false,
    organizationId: undefined,
    directoryType: undefined,
    lastUserSync: undefined,
    lastGroupSync: undefined,
    settings: new Map(),
    secrets: new Map(),
    calls: [],
  };
  async function apply(name: string, value: string | undefined): Promise<void> {
    state.calls.push(`set ${name}`);
    if (name === 'server') {
      if (value && !/^https:\/\/|^http:\/\/127\.0\.0\.1/.test(value)) {
        throw new ConfigValidationError([
          {
            setting: 'server',
            message: 'must use https:// (http:// is allowed only for loopback hosts)',
          },
        ]);
      }
      state.settings.set('server', value ?? null);
      return;
    }
    if (name === 'directory') {
      const type = value === undefined ? undefined : parseDirectoryType(value);
      if (type === undefined)
        throw new BwdcError('CONFIG_INVALID', 'Invalid directory type value.');
      state.directoryType = type;
      return;
    }
    const setting = findSetting(name);
    if (!setting) throw new BwdcError('CONFIG_INVALID', 'Unknown setting.');
    if (setting.kind === 'number' && value !== undefined && !Number.isFinite(Number(value))) {
      throw new ConfigValidationError([{ setting: setting.name, message: 'expected a number' }]);
    }
    if (setting.secret) {
      if (value === undefined) state.secrets.delete(setting.name);
      else state.secrets.set(setting.name, value);
      return;
    }
    state.settings.set(
      setting.name,
      value === undefined
        ? null
        : setting.kind === 'number'
          ? Number(value)
          : setting.kind === 'boolean'
            ? value === 'true'
            : value,
    );
  }
  const connector: ConnectorPort = {
    dataFile: '/tmp/bwdc-fake/data.json',
    config: {
      async set(name: string, value: string | undefined) {
        await apply(name, value);
        return { notices: [], clearedSecrets: [] };
      },
      async get(name: string) {
        const setting = findSetting(name);
        const key = setting?.name ?? name;
        return { name: key, value: state.settings.get(key) ?? null, secret: !!setting?.secret };
      },
      async list() {
        return [
          { name: 'server', value: state.settings.get('server') ?? null, secret: false },
          {
            name: 'directory',
            value:
              state.directoryType === undefined ? null : directoryTypeName(state.directoryType),
            secret: false,
          },
          ...listSettings().map((s) => ({
            name: s.name,
            value: s.secret
              ? state.secrets.has(s.name)
                ? '[STORED SECURELY]'
                : null
              : (state.settings.get(s.name) ?? null),
            secret: s.secret,
          })),
        ];
      },
    } as unknown as ConnectorPort['config'],
    async status() {
      return {
        loggedIn: state.loggedIn,
        organizationId: state.organizationId,
        directoryType: state.directoryType,
        lastUserSync: state.lastUserSync,
        lastGroupSync: state.lastGroupSync,
      };
    },
    async login(clientId: string, clientSecret: string) {
      state.calls.push('login');
      if (!clientId.startsWith('organization.') || clientSecret !== 'right-secret') {
        throw new BwdcError(
          'BITWARDEN_AUTH_FAILED',
          'The server refused the API key: invalid_client.',
        );
      }
      state.loggedIn = true;
      state.organizationId = clientId.slice('organization.'.length);
      return { organizationId: state.organizationId };
    },
    async logout() {
      state.calls.push('logout');
      state.loggedIn = false;
      state.organizationId = undefined;
    },
    test:
      options.test ??
      (async () => ({
        object: 'test' as const,
        groups: [{ externalId: 'g1', displayName: 'Engineering', userIds: ['u1', 'u2'] }],
        enabledUsers: [
          { externalId: 'u1', displayName: 'alice@example.com' },
          { externalId: 'u2', displayName: 'bob@example.com' },
        ],
        disabledUsers: [{ externalId: 'u3', displayName: 'carol@example.com' }],
        deletedUsers: [],
      })),
    // The test of the directory (through `test`, so a test that replaces it is honoured) compared
    // with a small organization.
    changes:
      options.changes ??
      (async (opts = {}) => ({
        test: await connector.test(opts),
        changes: sampleChanges(),
        unavailable: undefined,
        guard: {
          refused: false,
          forceable: true,
          reason: undefined,
          check: undefined,
          groupLosses: [],
        },
        warnings: [],
      })),
    sync:
      options.sync ??
      (async () => {
        state.calls.push('sync');
        const now = new Date().toISOString();
        state.lastUserSync = now;
        state.lastGroupSync = now;
        return {
          usersSynced: 2,
          groupsSynced: 1,
          requestsSent: 1,
          skippedUnchanged: false,
          warnings: [],
          finishedAt: now,
        } as unknown as Awaited<ReturnType<Sync>>;
      }),
    async clearCache() {
      state.calls.push('clearCache');
      state.lastUserSync = undefined;
      state.lastGroupSync = undefined;
    },
    verifyDirectory:
      options.verify ??
      (async () => {
        if (state.secrets.get('ldap.password') !== 'reader-secret') {
          throw new DirectoryError(
            'DIRECTORY_AUTH_FAILED',
            'ldap://127.0.0.1:389',
            'the server rejected the bind as "cn=reader": wrong ldap.username or ldap.password.',
          );
        }
      }),
  };
  return { connector, state };
}
