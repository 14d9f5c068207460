import type { LdapConfig } from './directories';
import type { SyncConfig } from './sync';

/** The `sync.*` LDAP fields every kind of directory has a default for. */
type AlwaysDefaulted =
  | 'userObjectClass'
  | 'groupObjectClass'
  | 'userEmailAttribute'
  | 'groupNameAttribute'
  | 'memberAttribute'
  | 'revisionDateAttribute'
  | 'creationDateAttribute';

/** The `sync.*` LDAP fields that fall back on a default for the kind of directory. */
export type LdapSyncDefaultField =
  | AlwaysDefaulted
  | 'emailPrefixAttribute'
  | 'userPath'
  | 'groupPath';

export type LdapSyncDefaults = Readonly<
  Record<AlwaysDefaulted, string> & Partial<Record<LdapSyncDefaultField, string>>
>;

/** `sync` with the LDAP defaults filled in: the classes and attributes are always set. */
export type LdapSyncConfig = SyncConfig & Readonly<Record<AlwaysDefaulted, string>>;

/**
 * Active Directory: what the official connector writes when it saves a configuration with `ad`
 * on (its adjustConfigForSave), including `CN=Users` for a path that was never set.
 */
const ACTIVE_DIRECTORY: LdapSyncDefaults = {
  userObjectClass: 'person',
  groupObjectClass: 'group',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'name',
  memberAttribute: 'member',
  revisionDateAttribute: 'whenChanged',
  creationDateAttribute: 'whenCreated',
  emailPrefixAttribute: 'sAMAccountName',
  userPath: 'CN=Users',
  groupPath: 'CN=Users',
};

/**
 * Other LDAP servers (OpenLDAP, 389ds, FreeIPA): a stock tree's classes and attributes. The
 * official connector has no defaults here; modifyTimestamp is used because these servers have no
 * whenChanged. No path default: the search starts at the root path.
 */
const OTHER_LDAP: LdapSyncDefaults = {
  userObjectClass: 'inetOrgPerson',
  groupObjectClass: 'groupOfNames',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'cn',
  memberAttribute: 'member',
  revisionDateAttribute: 'modifyTimestamp',
  creationDateAttribute: 'createTimestamp',
};

/** The defaults for Active Directory (`ldap.ad` on) or for other LDAP servers. */
export function ldapSyncDefaults(ad: boolean): LdapSyncDefaults {
  return ad ? ACTIVE_DIRECTORY : OTHER_LDAP;
}

/**
 * `sync` as an LDAP read uses it: every class, attribute and path the admin left unset takes the
 * default for the kind of directory `ldap.ad` names; every value the admin set (with the CLI, the
 * app, or by hand in data.json, like the well-known `userEmailAttribute: userPrincipalName`) is
 * used as it is. Applied when reading, never stored, so turning `ldap.ad` off changes the defaults
 * and leaves the admin's own values alone.
 *
 * An empty path (`""`, as the official app saves a cleared path field) is a value: the search
 * starts at the root path. Only a path that was never set becomes `CN=Users` on AD.
 */
export function withLdapSyncDefaults(
  ldap: Pick<LdapConfig, 'ad'>,
  sync: SyncConfig,
): LdapSyncConfig {
  const defaults = ldapSyncDefaults(ldap.ad);
  const filled: { -readonly [K in keyof SyncConfig]: SyncConfig[K] } = { ...sync };
  for (const [field, value] of Object.entries(defaults) as [LdapSyncDefaultField, string][]) {
    if (filled[field] === undefined) filled[field] = value;
  }
  return filled as LdapSyncConfig;
}
