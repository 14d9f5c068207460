import { Flags } from '@oclif/core';
import { BwdcCommand } from '../base-command';

export default class Test extends BwdcCommand {
  static override summary = 'Test a simulated sync.';
  static override description =
    'Reads the directory and prints what a sync would send, changing nothing. Users a sync would remove are listed in deletedUsers.';
  static override examples = ['<%= config.bin %> test', '<%= config.bin %> test --last'];
  static override flags = {
    last: Flags.boolean({ char: 'l', description: 'Since the last successful sync.' }),
  };

  async run() {
    const { flags } = await this.parse(Test);
    await this.requireLogin();
    const result = await this.connector.test({
      sinceLast: flags.last,
      onProgress: this.progressReporter(),
    });
    return this.respond({ ...result });
  }
}
