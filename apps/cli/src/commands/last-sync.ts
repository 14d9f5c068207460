import * as Args from '@oclif/core/args';
import { BwdcError, closestWord } from '@bwdc/core';
import { BwdcCommand } from '../base-command';

export default class LastSync extends BwdcCommand {
  static override summary = 'Get the last successful sync date.';
  static override description =
    'Returns empty response if no sync has been performed for the given object.';
  static override examples = [
    '<%= config.bin %> last-sync groups',
    '<%= config.bin %> last-sync users',
  ];
  static override args = {
    object: Args.string({ required: true, description: 'users or groups' }),
  };

  async run() {
    const { args } = await this.parse(LastSync);
    await this.requireLogin();
    const object = args.object.toLowerCase();
    if (object !== 'users' && object !== 'groups') {
      const meant = closestWord(object, ['users', 'groups']);
      throw new BwdcError('CONFIG_INVALID', 'Unknown object.', {
        actions: [
          `The objects are users and groups${meant ? `; did you mean ${meant}?` : '.'} bwdc last-sync ${meant ?? 'users'}`,
        ],
      });
    }
    const date = await this.connector.lastSync(object);
    return this.respond({ object: 'string', data: date ?? null });
  }
}
