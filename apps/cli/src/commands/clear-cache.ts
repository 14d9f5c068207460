import { BwdcCommand } from '../base-command';

export default class ClearCache extends BwdcCommand {
  static override summary = 'Clear the sync cache.';
  static override description =
    'Forgets the last sync hash, cursors and times, so the next sync reads and sends everything.';
  static override examples = ['<%= config.bin %> clear-cache'];

  async run() {
    await this.parse(ClearCache);
    await this.connector.clearCache();
    return this.respond({
      object: 'message',
      title: 'The sync cache has been cleared.',
      message: null,
    });
  }
}
