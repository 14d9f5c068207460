import * as Flags from '@oclif/core/flags';
import { runOnSchedule, type SyncReport } from '@bwdc/connector';
import { BwdcCommand } from '../base-command';
import { syncChangesText } from '../changes-text';
import type { MessageResponse } from '../output';

export default class Sync extends BwdcCommand {
  static override summary = 'Sync the directory.';
  static override description = [
    'Reads the directory and sends what changed to the organization.',
    'After the official two lines it names what changed: who was invited, who was removed and why, and which groups were created or renamed (the organization is read just before sending; --json reports every entry). `bwdc test --changes` shows it all, group members included, before a sync.',
    'With --interval, keeps syncing every N minutes until SIGINT or SIGTERM; a run in flight is cancelled cleanly. Each line it prints starts with the time (UTC).',
    'The safety guard refuses a sync that would remove more than sync.maxRemovalShare of the members or of the group memberships it sends, leave a group that had members empty, or (with sync.overwriteExisting) make the server remove more than that share of the organization; it lists every member and group affected.',
    'Exit codes: 0 success, 1 error, 3 refused by the safety guard (rerun with --force to accept the removals).',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> sync',
    '<%= config.bin %> sync --interval 15',
    '<%= config.bin %> sync --force',
  ];
  static override flags = {
    force: Flags.boolean({
      description:
        'Go ahead even when the safety guard would refuse the removals, and send everything again even when nothing changed since the last sync.',
    }),
    all: Flags.boolean({ description: 'Name every change instead of the first few.' }),
    interval: Flags.integer({
      description: 'Keep syncing every N minutes (at least 1) until stopped.',
      min: 1,
    }),
  };

  async run() {
    const { flags } = await this.parse(Sync);
    await this.requireLogin();
    if (flags.interval === undefined) {
      const report = await this.connector.sync({
        force: flags.force,
        onProgress: this.progressReporter(),
      });
      this.respond(summary(report));
      this.tell(syncChangesText(report, { all: flags.all }));
      // --json prints the whole report; the official output above stays as scripts expect it.
      return report;
    }

    this.timestamped = true;
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let failures = 0;
    try {
      await runOnSchedule({
        intervalMinutes: flags.interval,
        signal: stop.signal,
        run: (signal) =>
          this.connector.sync({ force: flags.force, signal, onProgress: this.progressReporter() }),
        onResult: (report) => {
          failures = 0;
          this.respond(summary(report));
          this.tell(syncChangesText(report, { all: flags.all }));
        },
        onError: (error) => {
          failures++;
          void this.catch(error as Error);
        },
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return this.respond({
      object: 'message',
      title: 'Stopped.',
      message: failures ? `The last ${failures} run(s) failed.` : null,
    });
  }
}

function summary(report: SyncReport): MessageResponse {
  return {
    object: 'message',
    title: 'Syncing complete.',
    message: `Synced ${report.groupsSynced} group(s) and ${report.usersSynced} user(s).`,
  };
}
