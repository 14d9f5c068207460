import * as Flags from '@oclif/core/flags';
import { serveBrowserUi } from '@bwdc/ui';
import { BwdcCommand, EXIT } from '../base-command';
import { cliVersion } from '../global-flags';

export default class Ui extends BwdcCommand {
  static override summary = 'Serve the bwdc UI to a browser.';
  static override description = [
    "Serves the desktop app's UI over HTTP on this machine until SIGINT or SIGTERM, for servers without a desktop: the same data folder, settings and secrets as the other commands.",
    'It prints the address to open, with a token that is new on every run; without it the page can do nothing, and requests naming another Host are refused.',
    'From another machine, use an SSH tunnel: ssh -L 8087:127.0.0.1:8087 <this host>, then open the printed address.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> ui',
    '<%= config.bin %> ui --port 0',
    '<%= config.bin %> ui --host 10.0.0.5 --allow-remote',
  ];
  // A long-running server has no result to print as JSON.
  static override enableJsonFlag = false;
  static override flags = {
    host: Flags.string({
      description: 'Address to listen on. Anything but loopback also needs --allow-remote.',
      default: '127.0.0.1',
    }),
    port: Flags.integer({
      description: 'Port to listen on; 0 picks a free one.',
      default: 8087,
      min: 0,
      max: 65535,
    }),
    'allow-remote': Flags.boolean({
      description:
        'Allow a non-loopback --host. Anyone who reaches it with the token can change the connector, over plain HTTP.',
    }),
  };

  async run() {
    const { flags } = await this.parse(Ui);
    const ui = await serveBrowserUi({
      connector: this.connector,
      version: cliVersion(),
      host: flags.host,
      port: flags.port,
      allowRemote: flags['allow-remote'],
    });
    // The address carries the token: it goes to the admin's terminal only, never to a log line.
    if (process.env.BW_QUIET !== 'true') {
      process.stdout.write(
        `bwdc UI is ready. Open this address in a browser:\n\n  ${ui.url}\n\nPress Ctrl+C to stop.\n`,
      );
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await ui.close();
    process.exitCode = EXIT.ok;
  }
}
