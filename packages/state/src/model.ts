import { randomUUID } from 'node:crypto';
import {
  DIRECTORY_SECTIONS,
  DirectoryType,
  isSecretStoreKey,
  type ManagedMember,
  type SyncCheckpoint,
} from '@bwdc/core';
import {
  BWDC,
  CURRENT_VERSION,
  MIGRATED_FROM,
  PENDING_SECRET_COPIES,
  WRITTEN_BY,
  isRecord,
  type StateDocument,
} from './migrations/index';

export interface EnvironmentUrls {
  base?: string;
  api?: string;
  identity?: string;
  webVault?: string;
}

/**
 * Raw directory configurations as stored: a secret field holds the placeholder `[STORED SECURELY]`,
 * or in plaintext mode the secret itself (where the official connector keeps it).
 */
export interface DirectoryConfigs {
  ldap?: Record<string, unknown>;
  entra?: Record<string, unknown>;
  gsuite?: Record<string, unknown>;
  okta?: Record<string, unknown>;
  onelogin?: Record<string, unknown>;
  file?: Record<string, unknown>;
}

/**
 * Our in-memory model of data.json. The file keeps the official connector's key names; this
 * model never holds a secret (top-level secret keys stay in the file, out of reach of loggers).
 */
export interface ConnectorState {
  stateVersion: number;
  /** The device identifier sent at login; made on first use and kept from then on. */
  appId: string;
  directoryType?: DirectoryType;
  organizationId?: string;
  entityId?: string;
  environmentUrls: EnvironmentUrls;
  /** Raw `sync.*`; callers validate it with `parseConfig('sync', ...)` from @bwdc/core. */
  sync: Record<string, unknown>;
  directories: DirectoryConfigs;
  /**
   * The last successful sync. `managedMembers` is the list kept for this organization and
   * directory; writing a checkpoint without it leaves the stored list as it was.
   */
  checkpoint: SyncCheckpoint;
  syncingDir?: boolean;
  /** The official connector's state version this folder was migrated from; undefined for a folder bwdc created. */
  migratedFrom?: number;
  /**
   * The official connector's Entra delta links (`userDeltaToken`, `groupDeltaToken`). Our
   * providers keep their own cursor; these are kept for the way back, and cleared when the
   * official connector would clear them (another organization or directory, `clear-cache`).
   */
  officialDeltaTokens: { user?: string; group?: string };
  /**
   * Set by `logout`, cleared by `login`. Only consulted where no secret store can hold a login
   * (the API key comes from the environment), so that a logout there still counts.
   */
  loggedOut?: boolean;
  /** Every other key of data.json (window and tray settings, locale...), written back untouched. */
  preserved: Record<string, unknown>;
}

/** data.json key of each directory's configuration (from the settings catalogue). */
const DIRECTORY_KEYS = Object.fromEntries(
  Object.entries(DIRECTORY_SECTIONS).map(([section, info]) => [section, info.dataKey]),
) as Readonly<Record<keyof DirectoryConfigs, string>>;

/** Our key for the provider's cursor; upstream's delta tokens meant something else. */
export const CURSOR_KEY = 'syncCursor';
/** Our key: one entry per organization and directory, so switching either never mixes lists. */
export const MANAGED_MEMBERS_KEY = 'managedMembers';

/** Ours: the last sync hash bwdc wrote; a `lastSyncHash` that differs was written by the official connector. */
export const BWDC_SYNC_HASH_KEY = 'bwdcSyncHash';
/** Ours: see `ConnectorState.loggedOut`. */
const LOGGED_OUT_KEY = 'loggedOut';
const USER_DELTA_KEY = 'userDeltaToken';
const GROUP_DELTA_KEY = 'groupDeltaToken';

/** Top-level keys that hold secrets when secrets are kept in plaintext (upstream's names). */
const isSecretDocumentKey = isSecretStoreKey;

interface ManagedMembersEntry {
  organizationId: string | null;
  directoryType: number | null;
  /** Absent when a sync recorded group counts but no member list (users not synced). */
  members?: ManagedMember[];
  /** Ours, with the members: the member count of each group as the last sync sent it. */
  groupMemberCounts?: Record<string, number>;
}

const KNOWN_KEYS = new Set<string>([
  'stateVersion',
  'appId',
  'directoryType',
  'organizationId',
  'entityId',
  'environmentUrls',
  'sync',
  ...Object.values(DIRECTORY_KEYS),
  'lastSyncHash',
  BWDC_SYNC_HASH_KEY,
  USER_DELTA_KEY,
  GROUP_DELTA_KEY,
  LOGGED_OUT_KEY,
  CURSOR_KEY,
  'lastUserSync',
  'lastGroupSync',
  MANAGED_MEMBERS_KEY,
  'syncingDir',
  WRITTEN_BY,
  MIGRATED_FROM,
  PENDING_SECRET_COPIES,
]);

/** The document of a folder with no data.json yet. */
export function newDocument(): StateDocument {
  return { stateVersion: CURRENT_VERSION, [WRITTEN_BY]: BWDC, sync: { removeMissingUsers: true } };
}

/**
 * Checks the types of the keys bwdc reads and maps the document onto the model. Returns the
 * problem for the first key of the wrong type, naming it, instead of guessing.
 */
export function documentToState(document: StateDocument): ConnectorState | { problem: string } {
  const problem = typeProblem(document);
  if (problem) return { problem };
  const directories: DirectoryConfigs = {};
  for (const [name, key] of Object.entries(DIRECTORY_KEYS) as [keyof DirectoryConfigs, string][]) {
    if (isRecord(document[key]))
      directories[name] = { ...(document[key] as Record<string, unknown>) };
  }
  const organizationId = text(document.organizationId);
  const directoryType = directoryTypeOf(document.directoryType);
  const managed = managedEntries(document).find(
    (e) =>
      e.organizationId === (organizationId ?? null) && e.directoryType === (directoryType ?? null),
  );
  const lastSyncHash = text(document.lastSyncHash);
  const checkpoint: SyncCheckpoint = dropUndefined({
    lastSyncHash,
    lastSyncHashBy:
      lastSyncHash !== undefined && text(document[BWDC_SYNC_HASH_KEY]) !== lastSyncHash
        ? ('official' as const)
        : undefined,
    cursor: text(document[CURSOR_KEY]),
    lastUserSync: text(document.lastUserSync),
    lastGroupSync: text(document.lastGroupSync),
    managedMembers: managed?.members?.map((m) => ({ ...m })),
    groupMemberCounts: managed?.groupMemberCounts ? { ...managed.groupMemberCounts } : undefined,
  });
  const preserved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (!KNOWN_KEYS.has(key) && !isSecretDocumentKey(key)) preserved[key] = value;
  }
  return dropUndefined({
    stateVersion: CURRENT_VERSION,
    appId: text(document.appId) ?? randomUUID(),
    directoryType,
    organizationId,
    entityId: text(document.entityId),
    environmentUrls: environmentUrlsOf(document.environmentUrls),
    sync: isRecord(document.sync) ? { ...document.sync } : {},
    directories,
    checkpoint,
    syncingDir: typeof document.syncingDir === 'boolean' ? document.syncingDir : undefined,
    migratedFrom:
      typeof document[MIGRATED_FROM] === 'number' ? (document[MIGRATED_FROM] as number) : undefined,
    officialDeltaTokens: dropUndefined({
      user: text(document[USER_DELTA_KEY]),
      group: text(document[GROUP_DELTA_KEY]),
    }),
    loggedOut: document[LOGGED_OUT_KEY] === true ? true : undefined,
    preserved,
  }) as ConnectorState;
}

/**
 * Writes the model back over the document it came from: secrets and pending keychain copies are
 * taken from `base`, everything else from the model.
 */
export function stateToDocument(state: ConnectorState, base: StateDocument): StateDocument {
  const out: StateDocument = {};
  out.stateVersion = CURRENT_VERSION;
  out[WRITTEN_BY] = BWDC;
  if (state.migratedFrom !== undefined) out[MIGRATED_FROM] = state.migratedFrom;
  out.appId = state.appId;
  set(out, 'directoryType', state.directoryType);
  set(out, 'organizationId', state.organizationId);
  set(out, 'entityId', state.entityId);
  out.environmentUrls = { ...state.environmentUrls };
  out.sync = { ...state.sync };
  for (const [name, key] of Object.entries(DIRECTORY_KEYS) as [keyof DirectoryConfigs, string][]) {
    set(out, key, state.directories[name] ? { ...state.directories[name] } : undefined);
  }
  const cp = state.checkpoint;
  set(out, 'lastSyncHash', cp.lastSyncHash);
  // A hash the official connector wrote stays marked as its own until bwdc writes one.
  set(
    out,
    BWDC_SYNC_HASH_KEY,
    cp.lastSyncHashBy === 'official' ? text(base[BWDC_SYNC_HASH_KEY]) : cp.lastSyncHash,
  );
  set(out, USER_DELTA_KEY, state.officialDeltaTokens.user);
  set(out, GROUP_DELTA_KEY, state.officialDeltaTokens.group);
  set(out, LOGGED_OUT_KEY, state.loggedOut ? true : undefined);
  set(out, CURSOR_KEY, cp.cursor);
  set(out, 'lastUserSync', cp.lastUserSync);
  set(out, 'lastGroupSync', cp.lastGroupSync);
  set(out, 'syncingDir', state.syncingDir);

  const organizationId = state.organizationId ?? null;
  const directoryType = state.directoryType ?? null;
  // Undefined leaves the pair's stored list (or counts) alone: a state read for another pair, or a
  // commit that did not track members, must not erase what an earlier sync recorded.
  const stored = managedEntries(base);
  const isPair = (e: ManagedMembersEntry): boolean =>
    e.organizationId === organizationId && e.directoryType === directoryType;
  const current = stored.find(isPair);
  const members = cp.managedMembers ?? current?.members;
  const counts = cp.groupMemberCounts ?? current?.groupMemberCounts;
  const entries: ManagedMembersEntry[] = stored.filter((e) => !isPair(e));
  if (members !== undefined || counts !== undefined) {
    const entry: ManagedMembersEntry = {
      organizationId,
      directoryType,
      ...(members !== undefined
        ? { members: members.map((m) => ({ externalId: m.externalId, email: m.email })) }
        : {}),
      ...(counts !== undefined ? { groupMemberCounts: { ...counts } } : {}),
    };
    // The pair's entry keeps its place; a new one goes last.
    const at = stored.findIndex(isPair);
    entries.splice(at === -1 ? entries.length : at, 0, entry);
  }
  set(out, MANAGED_MEMBERS_KEY, entries.length ? entries : undefined);
  for (const [key, value] of Object.entries(state.preserved)) {
    // A secret never enters the file through the model: only the plaintext adapter writes those.
    if (!KNOWN_KEYS.has(key) && !isSecretDocumentKey(key)) out[key] = value;
  }
  for (const [key, value] of Object.entries(base)) {
    if (isSecretDocumentKey(key) || key === PENDING_SECRET_COPIES) out[key] = value;
  }
  return out;
}

/** The plaintext secrets of a document (string values of upstream's secret keys). */
export function documentSecrets(document: StateDocument): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(document)) {
    if (isSecretDocumentKey(key) && typeof value === 'string') out[key] = value;
  }
  return out;
}

/** Replaces a document's secrets with `secrets`. */
export function withDocumentSecrets(
  document: StateDocument,
  secrets: Record<string, string>,
): StateDocument {
  const out: StateDocument = {};
  for (const [key, value] of Object.entries(document))
    if (!isSecretDocumentKey(key)) out[key] = value;
  for (const [key, value] of Object.entries(secrets)) {
    if (!isSecretDocumentKey(key)) throw new Error(`"${key}" is not a secret key of data.json`);
    out[key] = value;
  }
  return out;
}

function typeProblem(document: StateDocument): string | undefined {
  const expect = (key: string, ok: (v: unknown) => boolean, what: string): string | undefined => {
    const value = document[key];
    if (value === undefined || value === null || ok(value)) return undefined;
    return `"${key}" must be ${what}, found ${describe(value)}`;
  };
  const checks: Array<[string, (v: unknown) => boolean, string]> = [
    ['appId', isString, 'a string'],
    ['organizationId', isString, 'a string'],
    ['entityId', isString, 'a string'],
    [
      'directoryType',
      (v) => directoryTypeOf(v) !== undefined,
      'a directory type code (0 to 4, or 100)',
    ],
    ['environmentUrls', isRecord, 'an object'],
    ['sync', isRecord, 'an object'],
    ...Object.values(DIRECTORY_KEYS).map((k): [string, (v: unknown) => boolean, string] => [
      k,
      isRecord,
      'an object',
    ]),
    ['lastSyncHash', isString, 'a string'],
    [CURSOR_KEY, isString, 'a string'],
    ['lastUserSync', isString, 'a date string'],
    ['lastGroupSync', isString, 'a date string'],
    ['syncingDir', (v) => typeof v === 'boolean', 'true or false'],
    [MANAGED_MEMBERS_KEY, isManagedEntries, 'a list of {organizationId, directoryType, members}'],
  ];
  for (const [key, ok, what] of checks) {
    const problem = expect(key, ok, what);
    if (problem) return problem;
  }
  return undefined;
}

/** Upstream writes unset URLs as null; the model has only the set ones. */
function environmentUrlsOf(value: unknown): EnvironmentUrls {
  if (!isRecord(value)) return {};
  const out: EnvironmentUrls = {};
  for (const key of ['base', 'api', 'identity', 'webVault'] as const) {
    const url = value[key];
    if (typeof url === 'string' && url !== '') out[key] = url;
  }
  return out;
}

function isManagedEntries(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (e) =>
        isRecord(e) &&
        (e.members === undefined
          ? isRecord(e.groupMemberCounts)
          : Array.isArray(e.members) &&
            e.members.every((m) => isRecord(m) && isString(m.externalId) && isString(m.email))) &&
        (e.groupMemberCounts === undefined ||
          (isRecord(e.groupMemberCounts) &&
            Object.values(e.groupMemberCounts).every(
              (n) => typeof n === 'number' && Number.isInteger(n) && n >= 0,
            ))),
    )
  );
}

function managedEntries(document: StateDocument): ManagedMembersEntry[] {
  const value = document[MANAGED_MEMBERS_KEY];
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((e) => ({
    organizationId: typeof e.organizationId === 'string' ? e.organizationId : null,
    directoryType: typeof e.directoryType === 'number' ? e.directoryType : null,
    ...(Array.isArray(e.members) ? { members: e.members as ManagedMember[] } : {}),
    ...(isRecord(e.groupMemberCounts)
      ? { groupMemberCounts: e.groupMemberCounts as Record<string, number> }
      : {}),
  }));
}

/** Upstream stores the code as a number; a hand-edited file may hold it as a string. */
function directoryTypeOf(value: unknown): DirectoryType | undefined {
  const code = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof code === 'number' && code in DirectoryType ? (code as DirectoryType) : undefined;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  // The type only: a value in the wrong place might be a secret.
  return `a ${typeof value}`;
}

function set(target: StateDocument, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
