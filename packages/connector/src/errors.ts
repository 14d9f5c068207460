import { BwdcError, suggestSetting } from '@bwdc/core';

/** The official CLI's exact message, which scripts match on; the hint comes after it. */
export class UnknownSettingError extends BwdcError {
  constructor(readonly setting: string) {
    const meant = suggestSetting(setting);
    super('CONFIG_INVALID', 'Unknown setting.', {
      actions: [
        ...(meant ? [`Did you mean ${meant}? bwdc config ${meant} <value>`] : []),
        `"${setting}" is not a setting: bwdc config --help lists every setting with what it does.`,
      ],
    });
  }
}

export class NotLoggedInError extends BwdcError {
  constructor() {
    super('NOT_LOGGED_IN', 'You are not logged in.', {
      actions: [
        "Log in with the organization's API key: bwdc login <client_id> <client_secret> (or set BW_CLIENTID and BW_CLIENTSECRET).",
        'The key is in the web vault: Admin Console > Settings > Organization info > View API key.',
      ],
    });
  }
}

export class NoDirectoryError extends BwdcError {
  constructor() {
    super('DIRECTORY_NOT_CONFIGURED', 'No directory configured.', {
      actions: ['bwdc config directory <ldap|entra|gsuite|okta|onelogin|file>'],
    });
  }
}
