/**
 * The one interface the renderer uses for everything. Electron carries it over IPC (preload),
 * browser mode over HTTP with a per-run token; both end in the same BridgeBackend in Node.
 * Only plain JSON travels, so these types are the whole contract and import nothing from Node.
 */

export type SettingKind = 'boolean' | 'number' | 'text' | 'choice';

/** One setting of the catalogue (from @bwdc/core's listSettings), for building the form. */
export interface SettingDescriptor {
  readonly name: string;
  readonly section: string;
  readonly field: string;
  readonly kind: SettingKind;
  readonly choices?: readonly string[];
  readonly secret: boolean;
  /** Says which account the directory configuration talks to: changing it clears the secret. */
  readonly identity: boolean;
  /** One line from the catalogue: what it is, an example or its default. */
  readonly description: string;
}

export type SettingValue = string | number | boolean | null;

export interface SettingsSnapshot {
  /** `ldap`, `entra`, `gsuite`, `okta`, `onelogin`, `file`, or null before one is chosen. */
  readonly directory: string | null;
  /** The self-hosted base URL, or null for bitwarden.com. */
  readonly server: string | null;
  readonly catalogue: readonly SettingDescriptor[];
  /** Effective values by setting name; secrets read `[STORED SECURELY]` when set, never the secret. */
  readonly values: Readonly<Record<string, SettingValue>>;
  /**
   * What an LDAP read uses for a `sync.*` setting left empty, by setting name: for Active
   * Directory (`ldap.ad` on) and for other LDAP servers. Shown as placeholders.
   */
  readonly ldapDefaults: {
    readonly activeDirectory: Readonly<Record<string, string>>;
    readonly otherLdap: Readonly<Record<string, string>>;
  };
}

/** One edit from the form. A null or empty value unsets the setting (or a secret). */
export interface SettingChange {
  readonly name: string;
  readonly value: string | null;
}

export interface SaveSettingsResult {
  /** Names saved. */
  readonly saved: readonly string[];
  /** Refused changes: setting name -> the connector's message. Nothing of a refused change was written. */
  readonly errors: Readonly<Record<string, string>>;
  /** What the saved changes also did, to show the admin (a secret a changed server cleared...). */
  readonly notices: readonly string[];
  readonly settings: SettingsSnapshot;
}

export interface ScheduleState {
  readonly running: boolean;
  readonly intervalMinutes: number | null;
  /** A run of the schedule (or Sync Now) is in progress. */
  readonly syncing: boolean;
  readonly lastRunAt: string | null;
  readonly lastResult: SyncSummary | null;
  readonly lastError: BridgeErrorInfo | null;
}

/** A test or sync in progress, as the dashboard shows it. */
export interface Activity {
  readonly kind: 'test' | 'sync';
  /** What is happening now, e.g. "Reading users from the directory (1,200 so far)". */
  readonly step: string;
  readonly startedAt: string;
  /** Started by Test Now or Sync Now (cancellable with `cancel`), or by the schedule (Stop Sync). */
  readonly manual: boolean;
}

/** One line of the app's log of this session: what ran, what it did, what went wrong. */
export interface LogLine {
  /** ISO time the line was written. */
  readonly at: string;
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

export interface DashboardState {
  readonly loggedIn: boolean;
  readonly organizationId: string | null;
  /** The Bitwarden server: its self-hosted base URL, or `bitwarden.com`. */
  readonly server: string;
  readonly directory: string | null;
  readonly lastUserSync: string | null;
  readonly lastGroupSync: string | null;
  readonly schedule: ScheduleState;
  readonly activity: Activity | null;
  /** The log of this session, oldest first (the last lines only). */
  readonly log: readonly LogLine[];
}

export interface TestUser {
  readonly externalId: string;
  readonly displayName: string;
}

/** The official `bwdc test` JSON, and what the sync would change in the organization. */
export interface TestResult {
  readonly object: 'test';
  readonly groups: readonly {
    externalId: string;
    displayName: string;
    userIds: readonly string[];
  }[];
  readonly enabledUsers: readonly TestUser[];
  readonly disabledUsers: readonly TestUser[];
  readonly deletedUsers: readonly TestUser[];
  /** What a sync would change; null when the organization could not be read. */
  readonly changes: ChangesView | null;
  /** Why the organization could not be read (Vaultwarden has no member routes, say). */
  readonly changesUnavailable: string | null;
  /** Whether the safety guard would refuse this sync, why, and the groups it would take members out of. */
  readonly guard: {
    readonly refused: boolean;
    readonly forceable: boolean;
    readonly reason: string | null;
    readonly groupLosses: readonly GroupLossView[];
  };
  /** The read's and the plan's warnings (the first ones; a read summary leads), and how many. */
  readonly warnings: readonly string[];
  readonly warningCount: number;
}

/** A group a sync would take members out of: its members before and after. */
export interface GroupLossView {
  readonly name: string;
  readonly externalId: string;
  readonly before: number;
  readonly after: number;
  readonly lost: number;
}

export interface MemberRemovalView {
  readonly email: string;
  readonly externalId: string;
  /** Why, in words: "deleted in the directory", ... */
  readonly reason: string;
}

export interface GroupChangeView {
  readonly name: string;
  readonly externalId: string;
  readonly create: boolean;
  readonly renamedFrom: string | null;
  readonly add: readonly string[];
  readonly remove: readonly string[];
  /** False when the group's current members were not read (a sync reads only members and groups). */
  readonly membersCompared: boolean;
}

/**
 * What a sync will change (or changed) in the organization. Lists may be cut (a sync's result
 * keeps the first entries); `counts` are always whole.
 */
export interface ChangesView {
  /** Nothing is sent: unchanged since the last successful sync. */
  readonly unchanged: boolean;
  readonly invite: readonly { email: string; externalId: string }[];
  readonly remove: readonly MemberRemovalView[];
  readonly groups: readonly GroupChangeView[];
  /** Members without an externalId: the sync never removes them. */
  readonly unmanaged: readonly { email: string; role: string; status: string }[];
  /** Members without an externalId linked to a directory entry by email. */
  readonly link: readonly { email: string; externalId: string }[];
  /** Directory users not invited because their email already belongs to another member. */
  readonly notInvited: readonly MemberRemovalView[];
  /** Owners the import asks to remove; Bitwarden never removes an Owner. */
  readonly keptOwners: readonly MemberRemovalView[];
  /** The server would refuse the sync: why. */
  readonly refusal: string | null;
  /** Existing groups whose members were not compared. */
  readonly groupsNotCompared: number;
  readonly counts: {
    readonly invite: number;
    readonly remove: number;
    readonly groups: number;
    readonly unmanaged: number;
    readonly membersBefore: number;
    readonly membersAfter: number;
  };
  /** With `unchanged`: what sending everything again would change, or null. */
  readonly drift: ChangesView | null;
}

export interface SyncSummary {
  readonly usersSynced: number;
  readonly groupsSynced: number;
  readonly requestsSent: number;
  /** Nothing was sent: the directory has not changed since the last sync. */
  readonly skippedUnchanged: boolean;
  readonly finishedAt: string;
  /** What the sync changed (lists cut to their first entries); null when nothing was sent or it could not be read. */
  readonly changes: ChangesView | null;
  /** Members sent as removed, named from the plan, when the organization could not be read. */
  readonly removedFromPlan: readonly MemberRemovalView[];
  /** The read's and the plan's warnings (the first ones; a read summary leads), and how many. */
  readonly warnings: readonly string[];
  readonly warningCount: number;
}

export interface UpdateResult {
  readonly currentVersion: string;
  readonly latestVersion: string;
  readonly updateAvailable: boolean;
  readonly downloadUrl: string | null;
}

export interface AppInfo {
  readonly version: string;
  /** `desktop` inside Electron, `browser` when served by `bwdc ui`. */
  readonly mode: 'desktop' | 'browser';
  readonly dataFile: string;
  /** Native file dialogs exist (desktop only); in a browser paths are typed. */
  readonly canPickFiles: boolean;
}

export interface PickFileOptions {
  readonly title: string;
  readonly extensions?: readonly string[];
}

/** How a failure crosses the bridge: the connector's code and message, and the field it belongs to. */
export interface BridgeErrorInfo {
  readonly code: string;
  readonly message: string;
  /** The setting the failure is about (`ldap.password` for a rejected bind), when known. */
  readonly setting?: string;
  readonly actions?: readonly string[];
  /** A sync refused by the safety guard: who it would remove (the first entries) and how many. */
  readonly removals?: readonly MemberRemovalView[];
  readonly removalCount?: number;
  /** The groups a refused sync would take members out of (the first entries), and how many. */
  readonly groupLosses?: readonly GroupLossView[];
  readonly groupLossCount?: number;
  /** A refusal `syncNow(true)` may go past. */
  readonly forceable?: boolean;
}

export interface Bridge {
  appInfo(): Promise<AppInfo>;
  dashboard(): Promise<DashboardState>;
  login(clientId: string, clientSecret: string): Promise<{ organizationId: string }>;
  logout(): Promise<void>;
  /** Saves the server (self-hosted base URL, or null/`bitwarden.com` for the cloud). */
  setServer(url: string | null): Promise<void>;
  settings(): Promise<SettingsSnapshot>;
  saveSettings(changes: readonly SettingChange[]): Promise<SaveSettingsResult>;
  /** Connects to the configured directory and binds; a failure names the field at fault. */
  verifyDirectory(): Promise<void>;
  /** Reads a Google service-account JSON key (its text) into gsuite.clientEmail and the private key. */
  importGoogleKey(json: string): Promise<SaveSettingsResult>;
  /** Reads the directory and the organization; sends nothing. */
  test(sinceLast: boolean): Promise<TestResult>;
  /** `force` goes past the safety guard: only after the admin confirmed the removals. */
  syncNow(force?: boolean): Promise<SyncSummary>;
  /** Cancels the running Test Now or Sync Now; a cancelled sync changes nothing. */
  cancel(): Promise<void>;
  startSchedule(): Promise<ScheduleState>;
  stopSchedule(): Promise<ScheduleState>;
  clearCache(): Promise<void>;
  checkForUpdate(): Promise<UpdateResult>;
  /** A native file dialog (desktop); null when cancelled or unavailable. */
  pickFile(options: PickFileOptions): Promise<string | null>;
}

export type BridgeMethod = keyof Bridge;

/** Every method, for routing and for refusing anything else. */
export const BRIDGE_METHODS: readonly BridgeMethod[] = [
  'appInfo',
  'dashboard',
  'login',
  'logout',
  'setServer',
  'settings',
  'saveSettings',
  'verifyDirectory',
  'importGoogleKey',
  'test',
  'syncNow',
  'cancel',
  'startSchedule',
  'stopSchedule',
  'clearCache',
  'checkForUpdate',
  'pickFile',
];

export function isBridgeMethod(name: unknown): name is BridgeMethod {
  return typeof name === 'string' && (BRIDGE_METHODS as readonly string[]).includes(name);
}

/** The IPC channel of a method. */
export const channelOf = (method: BridgeMethod): string => `bwdc:${method}`;

/** What every transport answers: a value, or an error the renderer rethrows as BridgeError. */
export type BridgeReply<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: BridgeErrorInfo };

/** Thrown in the renderer when a bridge call failed; carries the connector's code and field. */
export class BridgeError extends Error {
  readonly code: string;
  readonly setting: string | undefined;
  readonly actions: readonly string[];
  /** A safety-guard refusal: who the sync would remove (first entries), how many, and whether it may be forced. */
  readonly removals: readonly MemberRemovalView[];
  readonly removalCount: number;
  readonly groupLosses: readonly GroupLossView[];
  readonly groupLossCount: number;
  readonly forceable: boolean;

  constructor(info: BridgeErrorInfo) {
    super(info.message);
    this.name = 'BridgeError';
    this.code = info.code;
    this.setting = info.setting;
    this.actions = info.actions ?? [];
    this.removals = info.removals ?? [];
    this.removalCount = info.removalCount ?? this.removals.length;
    this.groupLosses = info.groupLosses ?? [];
    this.groupLossCount = info.groupLossCount ?? this.groupLosses.length;
    this.forceable = info.forceable ?? false;
  }
}

/** Builds a typed Bridge from one generic call function (IPC invoke or HTTP POST). */
export function bridgeFromCall(
  call: (method: BridgeMethod, args: unknown[]) => Promise<BridgeReply>,
): Bridge {
  const proxy = {} as Record<BridgeMethod, (...args: unknown[]) => Promise<unknown>>;
  for (const method of BRIDGE_METHODS) {
    proxy[method] = async (...args: unknown[]) => {
      const reply = await call(method, args);
      if (!reply.ok) throw new BridgeError(reply.error);
      return reply.value;
    };
  }
  return proxy as unknown as Bridge;
}
