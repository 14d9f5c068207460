import * as Args from '@oclif/core/args';
import { BwdcError } from '@bwdc/core';
import { BwdcCommand } from '../base-command';
import { ask } from '../prompt';

export default class Login extends BwdcCommand {
  static override summary = 'Log into an organization account.';
  static override description = [
    'Uses the organization API key. Missing values come from BW_CLIENTID and BW_CLIENTSECRET, else a prompt.',
    'A client secret typed as an argument works, but shows in `ps` and your shell history: bwdc warns. Prefer BW_CLIENTSECRET or the prompt.',
  ].join('\n');
  static override examples = [
    '<%= config.bin %> login',
    'BW_CLIENTID=organization.1a2b... BW_CLIENTSECRET="$(cat /run/secrets/bw_client_secret)" <%= config.bin %> login',
  ];
  static override args = {
    clientId: Args.string({ description: "Client_id part of your organization's API key" }),
    clientSecret: Args.string({ description: "Client_secret part of your organization's API key" }),
  };

  async run() {
    const { args } = await this.parse(Login);
    const status = await this.connector.status();
    if (status.loggedIn) {
      throw new BwdcError(
        'BITWARDEN_AUTH_FAILED',
        `You are already logged in as organization.${status.organizationId}.`,
      );
    }
    if (args.clientSecret?.trim()) {
      this.note(
        'Warning: a client secret typed on the command line is visible to other users of this machine (in `ps`) and stays in your shell history. ' +
          'Next time set BW_CLIENTSECRET, or leave it out to be asked for it.',
      );
    }
    // Arguments first, then BW_CLIENTID / BW_CLIENTSECRET, then a prompt, as upstream.
    const clientId =
      args.clientId?.trim() ||
      process.env.BW_CLIENTID?.trim() ||
      (await this.prompt('client_id: ', 'Client ID is required.'));
    const clientSecret =
      args.clientSecret?.trim() ||
      process.env.BW_CLIENTSECRET?.trim() ||
      (await this.prompt('client_secret: ', 'Client Secret is required.', true));
    await this.connector.login(clientId, clientSecret);
    return this.respond({ object: 'message', title: 'You are logged in!', message: null });
  }

  private async prompt(question: string, requiredMessage: string, hidden = false): Promise<string> {
    if (process.env.BW_NOINTERACTION === 'true' || !process.stdin.isTTY)
      throw new BwdcError('BITWARDEN_AUTH_FAILED', requiredMessage);
    const answer = (await ask(question, hidden)).trim();
    if (!answer) throw new BwdcError('BITWARDEN_AUTH_FAILED', requiredMessage);
    return answer;
  }
}
