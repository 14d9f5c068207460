/**
 * The vocabulary between directory providers and the sync engine. A provider maps its
 * directory's entries onto these shapes; everything after that is directory-independent.
 */

/** A person read from a directory. */
export interface DirectoryUser {
  /** Stable id the Bitwarden organization keys the member on (objectGUID, Graph id, ...). */
  readonly externalId: string;
  /** How groups refer to this user in the directory (an LDAP DN, a Graph id, ...). */
  readonly referenceId: string;
  /** As read; the sync engine trims and lower-cases it. Undefined when the entry has none. */
  readonly email: string | undefined;
  readonly disabled: boolean;
  readonly deleted: boolean;
}

/** A group read from a directory, with its direct members only. */
export interface DirectoryGroup {
  readonly externalId: string;
  readonly referenceId: string;
  readonly name: string;
  /** externalIds of users that are direct members. */
  readonly userMemberExternalIds: readonly string[];
  /** referenceIds of groups that are direct members (nested groups, flattened by the engine). */
  readonly groupMemberReferenceIds: readonly string[];
}

/**
 * What one read of a directory returned. `complete` is false for incremental reads and for any
 * read a provider knows to be partial: absence from such a snapshot never means "gone".
 */
export interface DirectorySnapshot {
  /** Undefined when user sync is off. */
  readonly users: readonly DirectoryUser[] | undefined;
  /** Undefined when group sync is off. */
  readonly groups: readonly DirectoryGroup[] | undefined;
  readonly complete: boolean;
  /** Opaque provider state for the next incremental read (a delta link, a timestamp...). */
  readonly cursor: string | undefined;
  /** Non-fatal findings of the read, each naming the entry it concerns. */
  readonly warnings: readonly string[];
}

/**
 * Directory kinds. 0 to 4 are the official connector's codes, so an existing data.json keeps its
 * meaning; File is ours and sits far from upstream's range so a future upstream code cannot clash.
 */
export enum DirectoryType {
  Ldap = 0,
  EntraId = 1,
  GSuite = 2,
  Okta = 3,
  OneLogin = 4,
  File = 100,
}

const DIRECTORY_TYPE_NAMES: Readonly<Record<DirectoryType, string>> = {
  [DirectoryType.Ldap]: 'ldap',
  [DirectoryType.EntraId]: 'entra',
  [DirectoryType.GSuite]: 'gsuite',
  [DirectoryType.Okta]: 'okta',
  [DirectoryType.OneLogin]: 'onelogin',
  [DirectoryType.File]: 'file',
};

/** The short name used for settings prefixes and messages, e.g. `ldap` for `ldap.hostname`. */
export function directoryTypeName(type: DirectoryType): string {
  return DIRECTORY_TYPE_NAMES[type];
}

/** Accepts a numeric code (`"0"`, `1`) or a name (`ldap`, `azure`, `google`...). */
export function parseDirectoryType(value: string | number): DirectoryType | undefined {
  const text = String(value).trim().toLowerCase();
  if (/^\d+$/.test(text)) {
    const code = Number(text);
    return code in DIRECTORY_TYPE_NAMES ? (code as DirectoryType) : undefined;
  }
  const aliases: Record<string, DirectoryType> = {
    ldap: DirectoryType.Ldap,
    ad: DirectoryType.Ldap,
    entra: DirectoryType.EntraId,
    entraid: DirectoryType.EntraId,
    azure: DirectoryType.EntraId,
    gsuite: DirectoryType.GSuite,
    google: DirectoryType.GSuite,
    okta: DirectoryType.Okta,
    onelogin: DirectoryType.OneLogin,
    file: DirectoryType.File,
  };
  return aliases[text];
}
