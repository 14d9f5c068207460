import { BwdcCommand } from '../base-command';

export default class DataFile extends BwdcCommand {
  static override summary = 'Path to data.json database file.';
  static override examples = ['<%= config.bin %> data-file'];

  async run() {
    await this.parse(DataFile);
    return this.respond({ object: 'string', data: this.connector.dataFile });
  }
}
