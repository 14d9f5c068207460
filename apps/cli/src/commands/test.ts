import { Flags } from '@oclif/core';
import { BwdcCommand } from '../base-command';
import { changesText } from '../changes-text';

export default class Test extends BwdcCommand {
  static override summary = 'Test a simulated sync.';
  static override description = [
    'Reads the directory and prints what a sync would send, changing nothing. Users a sync would remove are listed in deletedUsers.',
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
      const result = await this.connector.test({
        sinceLast: flags.last,
        onProgress: this.progressReporter(),
      });
      return this.respond({ ...result });
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
