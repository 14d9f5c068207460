import {
  PENDING_SECRET_COPIES,
  isRecord,
  type Migration,
  type PendingSecretCopy,
  type StateDocument,
} from './types';

/**
 * Versions 3 and 4 kept everything under one account object named by `activeUserId` (the API
 * key's client id) plus a `global` object; version 5 made every setting a top-level key.
 * Secrets the account object held (API key, access token) become top-level secret keys, which
 * the state store later moves into the secret store; keychain entries named `{clientId}_*` are
 * recorded as pending copies, since only the holder of the keychain can rename them.
 * The account and global objects are dropped once read, so no secret stays behind in them.
 */
export const accountToFlat: Migration = {
  from: [3, 4],
  to: 5,
  name: '03-account-to-flat',
  apply(document) {
    const out: StateDocument = { ...document };
    const clientId = typeof document.activeUserId === 'string' ? document.activeUserId : undefined;
    const account = clientId && isRecord(document[clientId]) ? document[clientId] : undefined;
    const globals = isRecord(document.global) ? document.global : undefined;

    if (account) {
      const configs = isRecord(account.directoryConfigurations)
        ? account.directoryConfigurations
        : {};
      copy(configs, 'ldap', out, 'directoryLdap');
      copy(configs, 'gsuite', out, 'directoryGsuite');
      copy(configs, configs.entra != null ? 'entra' : 'azure', out, 'directoryEntra');
      copy(configs, 'okta', out, 'directoryOkta');
      copy(configs, 'oneLogin', out, 'directoryOnelogin');

      const settings = isRecord(account.directorySettings) ? account.directorySettings : {};
      for (const key of [
        'organizationId',
        'directoryType',
        'sync',
        'lastUserSync',
        'lastGroupSync',
        'lastSyncHash',
        'syncingDir',
      ]) {
        copy(settings, key, out, key);
      }
      copy(settings, 'userDelta', out, 'userDeltaToken');
      copy(settings, 'groupDelta', out, 'groupDeltaToken');

      const profile = isRecord(account.profile) ? account.profile : {};
      const keys = isRecord(account.keys) ? account.keys : {};
      const tokens = isRecord(account.tokens) ? account.tokens : {};
      copy(profile, 'apiKeyClientId', out, 'apiKeyClientId');
      copy(keys, 'apiKeyClientSecret', out, 'apiKeyClientSecret');
      copy(tokens, 'accessToken', out, 'accessToken');
      copy(tokens, 'refreshToken', out, 'refreshToken');

      const copies: PendingSecretCopy[] = [
        ['ldapPassword', 'secretLdap'],
        ['gsuitePrivateKey', 'secretGsuite'],
        ['azureKey', 'secretAzure'],
        ['entraIdKey', 'secretEntra'],
        ['entraKey', 'secretEntra'],
        ['oktaToken', 'secretOkta'],
        ['oneLoginClientSecret', 'secretOneLogin'],
        ['accessToken', 'accessToken'],
        ['refreshToken', 'refreshToken'],
        ['twoFactorToken', 'twoFactorToken'],
      ]
        .map(([from, to]) => ({ from: `${clientId}_${from}`, to: to! }))
        .filter((copy) => {
          // In plaintext mode upstream's "secure storage" was data.json itself: move the value here.
          const value = document[copy.from];
          if (value === undefined) return true;
          if (typeof value === 'string' && value !== '' && out[copy.to] === undefined)
            out[copy.to] = value;
          delete out[copy.from];
          return false;
        });
      out[PENDING_SECRET_COPIES] = copies;
    }

    if (globals) {
      for (const key of [
        'window',
        'enableAlwaysOnTop',
        'enableTray',
        'enableMinimizeToTray',
        'enableCloseToTray',
        'alwaysShowDock',
        'environmentUrls',
      ]) {
        copy(globals, key, out, key);
      }
    }

    if (clientId) delete out[clientId];
    delete out.activeUserId;
    delete out.global;
    out.stateVersion = 5;
    return out;
  },
};

function copy(
  source: Record<string, unknown>,
  from: string,
  target: StateDocument,
  to: string,
): void {
  const value = source[from];
  if (value == null) return;
  target[to] = isRecord(value) ? { ...value } : value;
}
