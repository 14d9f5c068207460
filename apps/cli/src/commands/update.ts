import { Flags } from '@oclif/core';
import { checkForUpdate, DEFAULT_RELEASE_FEED } from '@bwdc/connector';
import { BwdcCommand } from '../base-command';
import { cliVersion } from '../global-flags';

export default class Update extends BwdcCommand {
  static override summary = 'Check for updates.';
  static override description =
    'Returns the URL to download the newest version of this CLI tool. Use the `--raw` option to return only the download URL for the update.';
  static override examples = ['<%= config.bin %> update', '<%= config.bin %> update --raw'];
  static override flags = {
    feed: Flags.string({
      description: 'Release feed URL (a GitHub "latest release" document).',
      env: 'BWDC_UPDATE_FEED',
      default: DEFAULT_RELEASE_FEED,
    }),
  };

  async run() {
    const { flags } = await this.parse(Update);
    const info = await checkForUpdate({ currentVersion: cliVersion(), feedUrl: flags.feed });
    if (!info.updateAvailable) {
      return this.respond({
        object: 'message',
        title: 'No updates available.',
        message: `You are already using the latest version (${info.currentVersion}).`,
        raw: info.currentVersion,
      });
    }
    return this.respond({
      object: 'message',
      title: `A new version is available: v${info.latestVersion}`,
      message: info.downloadUrl ? `You can download this update at: ${info.downloadUrl}` : null,
      raw: info.downloadUrl ?? '',
    });
  }
}
