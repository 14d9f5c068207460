import type { LdapConfig } from './directories';
import type { SyncConfig } from './sync';

/**
 * What the official connector forces when an LDAP configuration is saved with `ad` on. Applied
 * on save and again before a sync, so a hand-edited data.json behaves as the GUI would store it.
 */
export function applyActiveDirectoryDefaults(ldap: LdapConfig, sync: SyncConfig): SyncConfig {
  if (!ldap.ad) return sync;
  return {
    ...sync,
    creationDateAttribute: 'whenCreated',
    revisionDateAttribute: 'whenChanged',
    emailPrefixAttribute: 'sAMAccountName',
    memberAttribute: 'member',
    userObjectClass: 'person',
    groupObjectClass: 'group',
    userEmailAttribute: 'mail',
    groupNameAttribute: 'name',
    groupPath: sync.groupPath ?? 'CN=Users',
    userPath: sync.userPath ?? 'CN=Users',
  };
}
