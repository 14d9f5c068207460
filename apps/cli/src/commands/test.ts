import * as Flags from '@oclif/core/flags';
import { describeRefusal, type TestReport } from '@bwdc/connector';
import { BwdcCommand } from '../base-command';
import { changesText } from '../changes-text';

export default class Test extends BwdcCommand {
  static override summary = 'Test a simulated sync.';
  static override description = [
    'Reads the directory and prints what a sync would send, changing nothing. Users a sync would remove are listed in deletedUsers.',
    'When the safety guard would refuse the sync, it says so on stderr, with every member and group the sync would take away (with sync.overwriteExisting, the members the server would remove, read from the organization).',
    'With --changes, also reads the organization (members, groups, and the members of each group the sync sends) and shows what the sync would change there: who is invited, who is removed and why, which groups change, and the members it leaves alone. It still sends nothing. --json prints that as one object.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> test',
    '<%= config.bin %> test --last',
    '<%= config.bin %> test --changes',
    '<%= config.bin %> test --changes --all',
    '<%= config.bin %> test --changes --json',
  ];
  static override flags = {
    last: Flags.boolean({ char: 'l', description: 'Since the last successful sync.' }),
    changes: Flags.boolean({
      description:
        'Compare with the organization: what a sync would change there (reads members and groups through the Public API).',
    }),
    all: Flags.boolean({
      description: 'With --changes: list every entry instead of the first few.',
      dependsOn: ['changes'],
    }),
  };

  async run() {
    const { flags } = await this.parse(Test);
    await this.requireLogin();
    if (!flags.changes) {
      const report = await this.connector.testReport({
        sinceLast: flags.last,
        onProgress: this.progressReporter(),
      });
      const response = this.respond({ ...report.test });
      // stdout stays the official JSON; what the guard would refuse goes to stderr.
      const refusal = guardNote(report.guard);
      if (refusal) this.note(refusal);
      return response;
    }
    const report = await this.connector.changes({
      sinceLast: flags.last,
      onProgress: this.progressReporter(),
    });
    const result = {
      ...report.changes!,
      guard: report.guard,
      warnings: report.warnings,
    };
    if (this.jsonEnabled() || process.env.BW_RESPONSE === 'true') return this.respond(result);
    this.respond({ object: 'string', data: changesText(report, { all: flags.all }) });
    return result;
  }
}

/** What the safety guard would say about a sync of this plan, or nothing when it lets it through. */
function guardNote(guard: TestReport['guard']): string | undefined {
  if (!guard.refused) return undefined;
  return [
    'The safety guard would refuse `bwdc sync`:',
    describeRefusal(guard),
    guard.forceable
      ? 'If this is intended, `bwdc sync --force` goes ahead on purpose.'
      : '`bwdc sync --force` does not go past this refusal.',
  ].join('\n');
}
