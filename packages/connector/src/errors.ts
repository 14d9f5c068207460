import { BwdcError } from '@bwdc/core';

/** The official CLI's exact message, which scripts match on. */
export class UnknownSettingError extends BwdcError {
  constructor(readonly setting: string) {
    super('CONFIG_INVALID', 'Unknown setting.', {
      actions: ['bwdc config list shows every setting'],
    });
  }
}

export class NotLoggedInError extends BwdcError {
  constructor() {
    super('NOT_LOGGED_IN', 'You are not logged in.', {
      actions: ['bwdc login <clientId> <clientSecret>'],
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
