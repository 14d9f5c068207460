import { BwdcCommand } from '../base-command';

export default class Logout extends BwdcCommand {
  static override summary = 'Log out of the current user account.';
  static override examples = ['<%= config.bin %> logout'];

  async run() {
    await this.requireLogin();
    await this.connector.logout();
    return this.respond({ object: 'message', title: 'You have logged out.', message: null });
  }
}
