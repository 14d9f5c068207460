import {
  NotLoggedInError,
  checkForUpdate as defaultCheckForUpdate,
  runOnSchedule as defaultRunOnSchedule,
  type Connector,
  type SettingChangeResult,
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
import {
  bySettingName,
  describeProgress,
  summarize,
  user,
  warningsOf,
  type ProgressLike,
} from './report-view';
import { SyncScheduler, type RunOnSchedule } from './scheduler';
import { SessionLog } from './session-log';

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

  const log = new SessionLog();
  const logSync = (s: SyncSummary): void => {
    log.add(
      'info',
      s.skippedUnchanged
        ? 'Sync complete: nothing changed since the last sync, so nothing was sent.'
        : `Sync complete: synced ${s.groupsSynced} group(s) and ${s.usersSynced} user(s).`,
    );
    log.warnings(s.warnings, s.warningCount);
  };

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
    const label = kind === 'test' ? 'Test' : manual ? 'Sync' : 'Scheduled sync';
    log.add('info', `${label} started.`);
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
    } catch (error) {
      const info = describe(error);
      if (info.code === 'CANCELLED') log.add('info', `${label} cancelled: ${info.message}`);
      else log.add('error', `${label} failed: ${info.message}`);
      throw error;
    } finally {
      if (activity === entry) activity = undefined;
    }
  };
  const syncWith =
    (onProgress: (progress: ProgressLike) => void, force = false) =>
    async (signal: AbortSignal) => {
      const summary = summarize(await connector.sync({ signal, onProgress, force }));
      logSync(summary);
      return summary;
    };

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
        description: s.description,
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
      const server = (await connector.config.get('server')).value;
      return {
        loggedIn: status.loggedIn,
        organizationId: status.organizationId ?? null,
        server: typeof server === 'string' && server ? server : 'bitwarden.com',
        directory:
          status.directoryType === undefined ? null : directoryTypeName(status.directoryType),
        lastUserSync: status.lastUserSync ?? null,
        lastGroupSync: status.lastGroupSync ?? null,
        schedule: scheduler.state(),
        activity: activity?.info ?? null,
        log: log.list(),
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
      const warnings = warningsOf(report.warnings);
      log.add(
        'info',
        `Test complete: ${result.enabledUsers.length} user(s) and ${result.groups.length} group(s) would be sent.`,
      );
      log.warnings(warnings.warnings, warnings.warningCount);
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
        ...warnings,
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
      const minutes =
        typeof interval === 'number' && interval > 0 ? interval : DEFAULT_INTERVAL_MINUTES;
      if (!scheduler.state().running)
        log.add('info', `Scheduled sync started: now, then every ${minutes} minutes.`);
      return scheduler.start(minutes);
    },

    async stopSchedule() {
      if (scheduler.state().running) log.add('info', 'Scheduled sync stopped.');
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
