import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * A directory described the way the contract kit describes it (users by email, groups by name),
 * plus what only LDAP knows: posixGroup membership by uid. Structurally a superset of
 * `ContractFixture` from @bwdc/directory-provider, so one object feeds both.
 */
export interface FixtureUser {
  readonly email: string;
  readonly disabled?: boolean;
  readonly deleted?: boolean;
  /** Login name (uid / sAMAccountName); defaults to the email's local part, lower-cased. */
  readonly uid?: string;
  /** Leave `mail` out of the entry (`email` still names the user in the fixture). */
  readonly withoutMail?: boolean;
}

export interface FixtureGroup {
  readonly name: string;
  readonly memberEmails: readonly string[];
  readonly childGroups?: readonly string[];
  /** A posixGroup whose members are `memberUid` values (slapd only; no child groups). */
  readonly posix?: boolean;
}

export interface DirectoryFixture {
  readonly users: readonly FixtureUser[];
  readonly groups: readonly FixtureGroup[];
}

export function uidOf(user: FixtureUser): string {
  return user.uid ?? user.email.split('@')[0]!.toLowerCase();
}

/**
 * The small fixture the provider contract runs against. `ldap` has a posixGroup and a user with
 * an upper-case email; `ad` has a disabled and a deleted user (what AD can express). Both have a
 * nesting cycle (engineering <-> platform).
 */
export function contractFixture(kind: 'ldap' | 'ad'): DirectoryFixture {
  if (kind === 'ldap') {
    return {
      users: [
        { email: 'alice@example.com' },
        { email: 'bob@example.com' },
        { email: 'carol@example.com' },
        { email: 'dave@example.com' },
        { email: 'Erin.Upper@Example.COM', uid: 'erin' },
      ],
      groups: [
        {
          name: 'engineering',
          memberEmails: ['alice@example.com', 'bob@example.com'],
          childGroups: ['platform'],
        },
        { name: 'platform', memberEmails: ['carol@example.com'], childGroups: ['engineering'] },
        { name: 'sales', memberEmails: ['dave@example.com'] },
        { name: 'ops', memberEmails: ['alice@example.com', 'Erin.Upper@Example.COM'], posix: true },
      ],
    };
  }
  return {
    users: [
      { email: 'alice@bwtest.local' },
      { email: 'bob@bwtest.local' },
      { email: 'carol@bwtest.local', disabled: true },
      { email: 'dave@bwtest.local' },
      { email: 'erin@bwtest.local', deleted: true },
    ],
    groups: [
      {
        name: 'engineering',
        memberEmails: ['alice@bwtest.local', 'bob@bwtest.local'],
        childGroups: ['platform'],
      },
      { name: 'platform', memberEmails: ['carol@bwtest.local'], childGroups: ['engineering'] },
      { name: 'sales', memberEmails: ['dave@bwtest.local'] },
    ],
  };
}

/** Where generated entries go below the base DN (slapd layout). */
export const PEOPLE_OU = 'ou=people';
export const GROUPS_OU = 'ou=groups';

export function userDn(user: FixtureUser, baseDn: string): string {
  return `uid=${escapeDnValue(uidOf(user))},${PEOPLE_OU},${baseDn}`;
}

export function groupDn(name: string, baseDn: string): string {
  return `cn=${escapeDnValue(name)},${GROUPS_OU},${baseDn}`;
}

/**
 * LDIF for an OpenLDAP server: inetOrgPerson users under ou=people, groupOfNames (member = DN)
 * and posixGroup (memberUid) groups under ou=groups. The OUs themselves are included.
 */
export function generateLdif(fixture: DirectoryFixture, baseDn: string): string {
  const byEmail = new Map(fixture.users.map((u) => [u.email.toLowerCase(), u]));
  const lines: string[] = [
    `dn: ${PEOPLE_OU},${baseDn}`,
    'objectClass: organizationalUnit',
    'ou: people',
    '',
    `dn: ${GROUPS_OU},${baseDn}`,
    'objectClass: organizationalUnit',
    'ou: groups',
    '',
  ];
  fixture.users.forEach((user, index) => {
    if (user.deleted || user.disabled)
      throw new Error(`${user.email}: OpenLDAP has no disabled or deleted users`);
    const uid = uidOf(user);
    lines.push(
      `dn: ${userDn(user, baseDn)}`,
      'objectClass: inetOrgPerson',
      `uid: ${uid}`,
      `cn: ${uid}`,
      `sn: User${index}`,
      ...(user.withoutMail ? [] : [`mail: ${user.email}`]),
      '',
    );
  });
  for (const group of fixture.groups) {
    const member = (email: string): FixtureUser => {
      const user = byEmail.get(email.toLowerCase());
      if (!user) throw new Error(`group ${group.name}: no fixture user ${email}`);
      return user;
    };
    lines.push(`dn: ${groupDn(group.name, baseDn)}`, `cn: ${group.name}`);
    if (group.posix) {
      if (group.childGroups?.length)
        throw new Error(`posixGroup ${group.name} cannot have child groups`);
      lines.push('objectClass: posixGroup', `gidNumber: ${10000 + lines.length}`);
      for (const email of group.memberEmails) lines.push(`memberUid: ${uidOf(member(email))}`);
    } else {
      lines.push('objectClass: groupOfNames');
      const members = [
        ...group.memberEmails.map((e) => userDn(member(e), baseDn)),
        ...(group.childGroups ?? []).map((g) => groupDn(g, baseDn)),
      ];
      // groupOfNames requires a member; the empty DN is the conventional placeholder.
      if (members.length === 0) members.push('');
      for (const dn of members) lines.push(`member: ${dn}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export interface LargeDirectoryOptions {
  readonly users: number;
  readonly groups: number;
  /** Direct user members per group (default 25). */
  readonly membersPerGroup?: number;
  /** Child groups per parent: group g is a member of group floor(g / fanOut) (default 10, ~4 levels for 10k). */
  readonly fanOut?: number;
}

/**
 * Writes a large directory as LDIF to `file` (for slapadd), entries in the layout of
 * `generateLdif`: users `uid=userNNNNNN` with mail `userNNNNNN@example.com`, groups
 * `cn=groupNNNNN` with `membersPerGroup` user members and nested groups `fanOut` wide.
 * Returns the number of user-group memberships written.
 */
export async function writeLargeDirectoryLdif(
  file: string,
  baseDn: string,
  options: LargeDirectoryOptions,
): Promise<number> {
  const membersPerGroup = options.membersPerGroup ?? 25;
  const fanOut = options.fanOut ?? 10;
  const out = createWriteStream(file);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`dn: ${PEOPLE_OU},${baseDn}\nobjectClass: organizationalUnit\nou: people\n\n`);
  await write(`dn: ${GROUPS_OU},${baseDn}\nobjectClass: organizationalUnit\nou: groups\n\n`);
  const userName = (i: number): string => `user${String(i).padStart(6, '0')}`;
  const groupName = (i: number): string => `group${String(i).padStart(5, '0')}`;
  for (let i = 0; i < options.users; i++) {
    const uid = userName(i);
    await write(
      `dn: uid=${uid},${PEOPLE_OU},${baseDn}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\nmail: ${uid}@example.com\n\n`,
    );
  }
  let memberships = 0;
  for (let g = 0; g < options.groups; g++) {
    const lines = [
      `dn: cn=${groupName(g)},${GROUPS_OU},${baseDn}`,
      'objectClass: groupOfNames',
      `cn: ${groupName(g)}`,
    ];
    const seen = new Set<number>();
    for (let k = 0; k < membersPerGroup && options.users > 0; k++) {
      // A deterministic spread, so every user is in a few groups and runs are comparable.
      const u = (g * 7919 + k * 104729) % options.users;
      if (seen.has(u)) continue;
      seen.add(u);
      lines.push(`member: uid=${userName(u)},${PEOPLE_OU},${baseDn}`);
      memberships++;
    }
    for (let c = g * fanOut + 1; c <= g * fanOut + fanOut && c < options.groups; c++) {
      lines.push(`member: cn=${groupName(c)},${GROUPS_OU},${baseDn}`);
    }
    if (lines.length === 3) lines.push('member: ');
    await write(`${lines.join('\n')}\n\n`);
  }
  out.end();
  await once(out, 'close');
  return memberships;
}

/** RFC 4514 escaping of one attribute value inside a DN. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
