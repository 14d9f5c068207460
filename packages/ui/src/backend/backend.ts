import {
  NotLoggedInError,
  checkForUpdate as defaultCheckForUpdate,
  runOnSchedule as defaultRunOnSchedule,
  type Connector,
  type SettingChangeResult,
  type SyncReport,
} from '@bwdc/connector';
import { directoryTypeName, findSetting, ldapSyncDefaults, listSettings } from '@bwdc/core';
import type {
  Activity,
  AppInfo,
  Bridge,
  BridgeErrorInfo,
  DashboardState,
  PickFileOptions,
  SaveSettingsResult,
  ScheduleState,
  SettingChange,
  SettingsSnapshot,
  SyncSummary,
  TestResult,
  UpdateResult,
} from '../shared/bridge';
import { toChangesView } from './changes-view';
import { toBridgeError } from './errors';
import { SyncScheduler, type RunOnSchedule } from './scheduler';

/** The part of the connector the app uses; a fake of it is enough for unit tests. */
export type ConnectorPort = Pick<
  Connector,
  | 'config'
  | 'status'
  | 'login'
  | 'logout'
  | 'test'
  | 'changes'
  | 'sync'
  | 'clearCache'
  | 'verifyDirectory'
  | 'dataFile'
>;

export interface BackendOptions {
  readonly connector: ConnectorPort;
  readonly mode: AppInfo['mode'];
  readonly version: string;
  /** Where Check for Updates looks; default `BWDC_UPDATE_FEED` (none: it says so). */
  readonly feedUrl?: string;
  /** Native file dialog (Electron); absent in browser mode. */
  readonly pickFile?: (options: PickFileOptions) => Promise<string | null>;
  readonly onScheduleChange?: (state: ScheduleState) => void;
  /** For tests: replaces the shared loop and the update check. */
  readonly runOnSchedule?: RunOnSchedule;
  readonly checkForUpdate?: typeof defaultCheckForUpdate;
}

/** What the main process or the UI server exposes: the Bridge, plus shutdown. */
export interface BridgeBackend extends Bridge {
  readonly scheduler: SyncScheduler;
  /** A failure as the renderer sees it, attached to a field of the directory in use. */
  describeError(error: unknown): BridgeErrorInfo;
  dispose(): Promise<void>;
}

/** Upstream's default interval when none is set. */
const DEFAULT_INTERVAL_MINUTES = 5;
/** Entries of each list a sync result keeps (the schedule state is polled by the dashboard). */
const SYNC_RESULT_LISTED = 100;

/**
 * The Bridge over @bwdc/connector. Everything the UI does goes through here, in Electron and in
 * browser mode alike, so the IPC handlers and HTTP routes stay one-line adapters.
 */
export function createBridgeBackend(options: BackendOptions): BridgeBackend {
  const { connector } = options;
  const currentDirectory = async (): Promise<string | null> => {
    const status = await connector.status();
    return status.directoryType === undefined ? null : directoryTypeName(status.directoryType);
  };
  // The directory in use when the last call started, so a failure can name its field.
  let lastDirectory: string | null = null;
  const describe = (error: unknown): BridgeErrorInfo => toBridgeError(error, lastDirectory);

  // The run the dashboard shows (the latest started) and, for Test Now and Sync Now, its cancel switch.
  let activity: { info: Activity; controller?: AbortController } | undefined;
  const track = async <T>(
    kind: Activity['kind'],
    manual: boolean,
    work: (
      onProgress: (progress: ProgressLike) => void,
      signal: AbortSignal | undefined,
    ) => Promise<T>,
    outer?: AbortSignal,
  ): Promise<T> => {
    const controller = manual ? new AbortController() : undefined;
    const entry: { info: Activity; controller?: AbortController } = {
      info: {
        kind,
        manual,
        step: kind === 'test' ? 'Starting the test' : 'Starting the sync',
        startedAt: new Date().toISOString(),
      },
      ...(controller ? { controller } : {}),
    };
    activity = entry;
    try {
      return await work((progress) => {
        entry.info = { ...entry.info, step: describeProgress(progress) };
      }, controller?.signal ?? outer);
    } finally {
      if (activity === entry) activity = undefined;
    }
  };
  const syncWith =
    (onProgress: (progress: ProgressLike) => void, force = false) =>
    async (signal: AbortSignal) =>
      summarize(await connector.sync({ signal, onProgress, force }));

  const scheduler = new SyncScheduler({
    runOnSchedule: options.runOnSchedule ?? defaultRunOnSchedule,
    sync: (signal) =>
      track('sync', false, (onProgress, s) => syncWith(onProgress)(s ?? signal), signal),
    describeError: describe,
    onChange: options.onScheduleChange,
  });

  const settings = async (): Promise<SettingsSnapshot> => {
    const list = await connector.config.list();
    const values: Record<string, string | number | boolean | null> = {};
    for (const item of list) values[item.name] = item.value;
    const directory = typeof values.directory === 'string' ? values.directory : null;
    lastDirectory = directory;
    return {
      directory,
      server: typeof values.server === 'string' ? values.server : null,
      catalogue: listSettings().map((s) => ({
        name: s.name,
        section: s.section,
        field: s.field,
        kind: s.kind,
        ...(s.choices ? { choices: [...s.choices] } : {}),
        secret: s.secret,
        identity: s.identity,
      })),
      values,
      ldapDefaults: {
        activeDirectory: bySettingName(ldapSyncDefaults(true)),
        otherLdap: bySettingName(ldapSyncDefaults(false)),
      },
    };
  };

  const saveSettings = async (changes: readonly SettingChange[]): Promise<SaveSettingsResult> => {
    // The directory first: the other values are validated against the section it selects. Secrets
    // last: changing a server or account field gives the configuration a new id, and a secret is
    // kept under that id, so a secret saved before such a change would be left behind.
    const secretNames = new Set(
      listSettings()
        .filter((s) => s.secret)
        .map((s) => s.name.toLowerCase()),
    );
    const rank = (c: SettingChange): number =>
      c.name === 'directory' ? 0 : secretNames.has(c.name.toLowerCase()) ? 2 : 1;
    const ordered = [...changes].sort((a, b) => rank(a) - rank(b));
    const saved: string[] = [];
    const errors: Record<string, string> = {};
    const results: SettingChangeResult[] = [];
    for (const change of ordered) {
      try {
        results.push(
          await connector.config.set(
            change.name,
            change.value === null || change.value === '' ? undefined : change.value,
          ),
        );
        saved.push(change.name);
      } catch (error) {
        errors[change.name] = toBridgeError(error).message;
      }
    }
    // A secret typed again in the same save is set, not cleared: say only what still holds.
    const savedNames = new Set(saved.map((n) => findSetting(n)?.name ?? n));
    const notices = results.flatMap((r) =>
      r.clearedSecrets.length > 0 && r.clearedSecrets.every((c) => savedNames.has(c.setting))
        ? []
        : r.notices,
    );
    return { saved, errors, notices, settings: await settings() };
  };

  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    lastDirectory = await currentDirectory().catch(() => lastDirectory);
    return work();
  };

  const backend: BridgeBackend = {
    scheduler,
    describeError: describe,

    async appInfo(): Promise<AppInfo> {
      return {
        version: options.version,
        mode: options.mode,
        dataFile: connector.dataFile,
        canPickFiles: !!options.pickFile,
      };
    },

    async dashboard(): Promise<DashboardState> {
      const status = await connector.status();
      return {
        loggedIn: status.loggedIn,
        organizationId: status.organizationId ?? null,
        directory:
          status.directoryType === undefined ? null : directoryTypeName(status.directoryType),
        lastUserSync: status.lastUserSync ?? null,
        lastGroupSync: status.lastGroupSync ?? null,
        schedule: scheduler.state(),
        activity: activity?.info ?? null,
      };
    },

    async login(clientId, clientSecret) {
      return connector.login(clientId, clientSecret);
    },

    async logout() {
      await scheduler.stop();
      await connector.logout();
    },

    async setServer(url) {
      await connector.config.set('server', url ?? undefined);
    },

    settings,
    saveSettings,

    async verifyDirectory() {
      await wrap(() => connector.verifyDirectory());
    },

    async importGoogleKey(json) {
      let key: { client_email?: unknown; private_key?: unknown };
      try {
        key = JSON.parse(json) as typeof key;
      } catch {
        return {
          saved: [],
          notices: [],
          errors: {
            'gsuite.privateKey':
              'The key file is not JSON. Choose the JSON key downloaded for the service account.',
          },
          settings: await settings(),
        };
      }
      if (typeof key?.client_email !== 'string' || typeof key?.private_key !== 'string') {
        return {
          saved: [],
          notices: [],
          errors: {
            'gsuite.privateKey':
              'The key file has no client_email and private_key: it is not a service-account key.',
          },
          settings: await settings(),
        };
      }
      return saveSettings([
        { name: 'gsuite.clientEmail', value: key.client_email },
        { name: 'gsuite.privateKey', value: key.private_key },
      ]);
    },

    async test(sinceLast): Promise<TestResult> {
      // One directory read for both: the official test JSON, and the organization compared.
      const report = await wrap(() =>
        track('test', true, (onProgress, signal) =>
          connector.changes({ sinceLast, signal, onProgress, optional: true, withTest: true }),
        ),
      );
      const result = report.test!;
      return {
        object: 'test',
        groups: result.groups.map((g) => ({
          externalId: g.externalId,
          displayName: g.displayName,
          userIds: [...g.userIds],
        })),
        enabledUsers: result.enabledUsers.map(user),
        disabledUsers: result.disabledUsers.map(user),
        deletedUsers: result.deletedUsers.map(user),
        changes: report.changes ? toChangesView(report.changes) : null,
        changesUnavailable: report.unavailable ?? null,
        guard: {
          refused: report.guard.refused,
          forceable: report.guard.forceable,
          reason: report.guard.reason ?? null,
          groupLosses: (report.guard.groupLosses ?? []).map((g) => ({
            name: g.name,
            externalId: g.externalId,
            before: g.before,
            after: g.after,
            lost: g.lost,
          })),
        },
      };
    },

    async syncNow(force = false) {
      return wrap(() =>
        track('sync', true, (onProgress, signal) =>
          scheduler.runOnce(signal, syncWith(onProgress, force)),
        ),
      );
    },

    async cancel() {
      activity?.controller?.abort();
    },

    async startSchedule() {
      if (!(await connector.status()).loggedIn) throw new NotLoggedInError();
      const interval = (await connector.config.get('sync.interval')).value;
      return scheduler.start(
        typeof interval === 'number' && interval > 0 ? interval : DEFAULT_INTERVAL_MINUTES,
      );
    },

    async stopSchedule() {
      return scheduler.stop();
    },

    async clearCache() {
      await connector.clearCache();
    },

    async checkForUpdate(): Promise<UpdateResult> {
      const check = options.checkForUpdate ?? defaultCheckForUpdate;
      const info = await check({
        currentVersion: options.version,
        ...(options.feedUrl ? { feedUrl: options.feedUrl } : {}),
      });
      return { ...info, downloadUrl: info.downloadUrl ?? null };
    },

    async pickFile(pick) {
      return options.pickFile ? options.pickFile(pick) : null;
    },

    async dispose() {
      await scheduler.stop();
    },
  };
  return backend;
}

/** What the engine reports while it runs (SyncProgress), as far as the dashboard needs it. */
interface ProgressLike {
  readonly phase: string;
  readonly done?: number;
  readonly total?: number;
  readonly read?: { readonly phase: string; readonly done: number; readonly total?: number };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A progress report as a line for people. */
export function describeProgress(p: ProgressLike): string {
  switch (p.phase) {
    case 'load':
      return 'Loading the last sync state';
    case 'read': {
      if (!p.read) return 'Reading the directory';
      const what = p.read.phase === 'members' ? 'group members' : p.read.phase;
      const of = p.read.total !== undefined ? ` of ${count(p.read.total)}` : ' so far';
      return `Reading ${what} from the directory (${count(p.read.done)}${of})`;
    }
    case 'plan':
      return 'Working out the changes';
    case 'organization':
      return p.total !== undefined
        ? `Reading the organization's groups from Bitwarden (${count(p.done ?? 0)} of ${count(p.total)})`
        : 'Reading the organization from Bitwarden';
    case 'post':
      return p.total !== undefined
        ? `Sending to Bitwarden (${count(p.done ?? 0)} of ${count(p.total)} requests)`
        : 'Sending to Bitwarden';
    case 'commit':
      return 'Saving the sync state';
    default:
      return 'Working';
  }
}

function user(u: { externalId: string; displayName: string }): {
  externalId: string;
  displayName: string;
} {
  return { externalId: u.externalId, displayName: u.displayName };
}

function summarize(
  report: Pick<
    SyncReport,
    | 'usersSynced'
    | 'groupsSynced'
    | 'requestsSent'
    | 'skippedUnchanged'
    | 'finishedAt'
    | 'changes'
    | 'removed'
    | 'guard'
  >,
): SyncSummary {
  // Without the organization read, name at least who the requests took out.
  const fromPlan = new Map<string, { email: string; externalId: string; reason: string }>();
  if (!report.changes && report.requestsSent > 0) {
    for (const r of [...(report.removed ?? []), ...(report.guard?.removals ?? [])])
      if (!fromPlan.has(r.externalId))
        fromPlan.set(r.externalId, {
          email: r.email ?? '(no email)',
          externalId: r.externalId,
          reason: r.reasonText,
        });
  }
  return {
    usersSynced: report.usersSynced,
    groupsSynced: report.groupsSynced,
    requestsSent: report.requestsSent,
    skippedUnchanged: report.skippedUnchanged,
    finishedAt: report.finishedAt,
    changes: report.changes ? toChangesView(report.changes, SYNC_RESULT_LISTED) : null,
    removedFromPlan: [...fromPlan.values()].slice(0, SYNC_RESULT_LISTED),
  };
}

/** `sync.*` defaults keyed by their setting names (`sync.userObjectClass`). */
function bySettingName(
  defaults: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(defaults))
    if (value !== undefined) out[`sync.${field}`] = value;
  return out;
}
