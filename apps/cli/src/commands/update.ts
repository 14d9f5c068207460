import * as Flags from '@oclif/core/flags';
import { checkForUpdate, UPDATE_FEED_VARIABLE } from '@bwdc/connector';
import { BwdcCommand } from '../base-command';
import { cliVersion } from '../global-flags';

export default class Update extends BwdcCommand {
  static override summary = 'Check for updates.';
  static override description =
    'Returns the URL to download the newest version of this CLI tool. Use the `--raw` option to return only the download URL for the update.\n\n' +
    `It reads the release feed named by --feed or ${UPDATE_FEED_VARIABLE}: a GitHub releases API address (…/releases/latest) or a JSON document {"version": "1.2.3", "url": "…"}. No feed is built in; without one it says so and exits 1.`;
  static override examples = ['<%= config.bin %> update', '<%= config.bin %> update --raw'];
  static override flags = {
    feed: Flags.string({
      description:
        'Release feed URL (a GitHub releases API address or a {"version", "url"} JSON document).',
      env: UPDATE_FEED_VARIABLE,
    }),
  };

  async run() {
    const { flags } = await this.parse(Update);
    const info = await checkForUpdate({
      currentVersion: cliVersion(),
      ...(flags.feed ? { feedUrl: flags.feed } : {}),
    });
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
