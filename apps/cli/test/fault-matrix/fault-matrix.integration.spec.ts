/**
 * The fault matrix: every way a sync can strip access or lose settings that we know of, run
 * against the built `bwdc` as an admin runs it, with real parts: slapd (tools/ldap), the
 * Bitwarden emulator and its fault hooks, a real 64 KB tmpfs for a full disk (needs root, as CI
 * runs), real processes killed with SIGKILL. Each scenario asserts what the admin sees (exit code,
 * stdout, stderr), what the server received (the emulator's requests and organization) and
 * data.json afterwards. Scenarios run side by side, each in its own world; the table of scenarios
 * and outcomes is printed to stderr at the end.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import { startBitwardenEmulator, type BitwardenEmulator } from '@bwdc/emulator-bitwarden';
import { fillDisk, mountSmallDisk } from '@bwdc/state/testing';
import { generateLdif, startSlapd, type RunningLdapServer } from '@bwdc/tools-ldap';
import { accessTokenFrom } from '../../src/testing/official-folder';
import { assertBuilt, runBwdc, spawnBwdc } from '../../src/testing/run-bwdc';
import { scenario, table } from './matrix';
import {
  assertNoRawControls,
  csv,
  csvWithGroups,
  recorded,
  sleep,
  startWorld,
  until,
  type World,
  type WorldOptions,
} from './world';

beforeAll(() => {
  assertBuilt();
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The fault matrix needs root: it mounts a real tmpfs for the full-disk scenarios (CI runs as root).',
    );
  }
});

afterAll(() => {
  process.stderr.write(table());
});

const BASE = 'dc=example,dc=com';
const ldapEmail = (i: number) => `user${i}@example.com`;
/** 12 people; staff holds 1-8, leads 9-10, ops 11-12. */
const LDAP_FIXTURE = {
  users: Array.from({ length: 12 }, (_, i) => ({ email: ldapEmail(i + 1) })),
  groups: [
    { name: 'staff', memberEmails: Array.from({ length: 8 }, (_, i) => ldapEmail(i + 1)) },
    { name: 'leads', memberEmails: [ldapEmail(9), ldapEmail(10)] },
    { name: 'ops', memberEmails: [ldapEmail(11), ldapEmail(12)] },
  ],
};

/** A world over a file directory; closed when `run` ends. */
async function withWorld<T>(options: WorldOptions, run: (w: World) => Promise<T>): Promise<T> {
  const w = await startWorld(options);
  try {
    return await run(w);
  } finally {
    await w.close();
  }
}

/** A world over its own slapd with the LDAP fixture. */
async function withLdapWorld<T>(
  options: Omit<WorldOptions, 'ldap'>,
  run: (w: World, slapd: RunningLdapServer) => Promise<T>,
): Promise<T> {
  const slapd = await startSlapd({ ldif: generateLdif(LDAP_FIXTURE, BASE) });
  try {
    return await withWorld({ ...options, ldap: slapd }, (w) => run(w, slapd));
  } finally {
    await slapd.stop().catch(() => undefined);
  }
}

/** Runs bwdc and fails with its output when the exit code is not the one expected. */
async function expectExit(w: World, code: number, ...args: string[]) {
  const result = await w.bwdc(...args);
  if (result.code !== code) {
    throw new Error(
      `bwdc ${args.join(' ')} exited ${result.code}, expected ${code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  return result;
}

/** A change made by someone else through the Public API (an admin, another tool). */
async function importByHand(bw: BitwardenEmulator, body: unknown): Promise<void> {
  const token = await accessTokenFrom(bw);
  const res = await fetch(`${bw.apiUrl}/public/organization/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`import by hand: HTTP ${res.status}`);
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

// ---- The membership guard: groups emptied by a bad read ------------------------------------

scenario(
  'G01',
  'membership',
  'LDAP: a wrong sync.userObjectClass is refused, twice, naming each group and its loss',
  () =>
    withLdapWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      expect(w.groupMembers('staff')).toHaveLength(8);
      await expectExit(w, 0, 'config', 'sync.userObjectClass', 'inetOrgPersn');
      const before = w.raw();
      // The unchanged-fingerprint shortcut must not let the second run through.
      for (let run = 0; run < 2; run++) {
        const refused = await expectExit(w, 3, 'sync');
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toContain('the directory read returned groups but no users');
        expect(refused.stderr).toContain('staff: 8 of 8 member(s) (left empty)');
        expect(refused.stderr).toContain('leads: 2 of 2 member(s) (left empty)');
        expect(refused.stderr).toContain('ops: 2 of 2 member(s) (left empty)');
        expect(refused.stderr).toContain('bwdc sync --force');
        expect(refused.stderr).not.toContain('Syncing complete');
      }
      expect(w.imports()).toHaveLength(1);
      expect(w.groupMembers('staff')).toHaveLength(8);
      expect(w.raw().equals(before)).toBe(true);
      return 'exit 3 twice, 3 groups listed (8, 2, 2 lost); nothing posted; data.json byte-identical';
    }),
);

scenario(
  'G02',
  'membership',
  'LDAP: the refusal as --json lists every group and member count',
  () =>
    withLdapWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      await expectExit(w, 0, 'config', 'sync.userObjectClass', 'person2');
      const refused = await expectExit(w, 3, 'sync', '--json');
      const { error } = JSON.parse(refused.stdout) as {
        error: {
          code: string;
          forceable: boolean;
          groups: { name: string; lost: number; membersAfter: number }[];
          removals: unknown[];
        };
      };
      expect(error).toMatchObject({ code: 'SAFETY_LIMIT', forceable: true, removals: [] });
      expect(error.groups.map((g) => [g.name, g.lost, g.membersAfter])).toEqual([
        ['staff', 8, 0],
        ['leads', 2, 0],
        ['ops', 2, 0],
      ]);
      expect(w.imports()).toHaveLength(1);
      return 'exit 3; --json error.groups: staff 8, leads 2, ops 2; nothing posted';
    }),
);

scenario(
  'G03',
  'membership',
  'LDAP: bwdc test says the guard would refuse, official JSON untouched',
  () =>
    withLdapWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      await expectExit(w, 0, 'config', 'sync.userObjectClass', 'inetOrgPersn');
      const before = w.raw();
      const test = await expectExit(w, 0, 'test');
      const plan = JSON.parse(test.stdout) as {
        object: string;
        groups: { userIds: string[] }[];
        enabledUsers: unknown[];
      };
      expect(plan.object).toBe('test');
      expect(plan.enabledUsers).toEqual([]);
      expect(plan.groups.every((g) => g.userIds.length === 0)).toBe(true);
      expect(test.stderr).toContain('The safety guard would refuse `bwdc sync`:');
      expect(test.stderr).toContain('staff: 8 of 8 member(s) (left empty)');
      const changes = await expectExit(w, 0, 'test', '--changes');
      expect(changes.stdout).toContain('The safety guard would refuse this sync');
      expect(changes.stdout).toContain('Groups it would take members out of (3):');
      expect(w.writes()).toHaveLength(1);
      expect(w.raw().equals(before)).toBe(true);
      return 'test: exit 0, official JSON on stdout, refusal + groups on stderr; test --changes lists 3 groups';
    }),
);

scenario(
  'G04',
  'membership',
  'LDAP: --force empties on purpose; the fixed setting refills the groups',
  () =>
    withLdapWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      await expectExit(w, 0, 'config', 'sync.userObjectClass', 'inetOrgPersn');
      await expectExit(w, 3, 'sync');
      const forced = await expectExit(w, 0, 'sync', '--force');
      expect(forced.stdout).toContain('Syncing complete.');
      expect(w.groupMembers('staff')).toEqual([]);
      expect(Object.values(recorded(w).groupMemberCounts ?? {})).toEqual([0, 0, 0]);
      await expectExit(w, 0, 'config', 'sync.userObjectClass', 'inetOrgPerson');
      await expectExit(w, 0, 'sync');
      expect(w.groupMembers('staff')).toHaveLength(8);
      expect(w.managed()).toHaveLength(12);
      return 'forced: groups emptied; setting fixed: next sync refills staff (8)';
    }),
);

scenario(
  'G05',
  'membership',
  'LDAP: a sync.userFilter typo with removeMissingUsers off would take most memberships',
  () =>
    withLdapWorld({ sync: { removeMissingUsers: false } }, async (w) => {
      await expectExit(w, 0, 'sync');
      await expectExit(w, 0, 'config', 'sync.userFilter', '(uid=user1*)');
      // With removeMissingUsers off a sync reads only what changed; a full read applies the filter.
      await expectExit(w, 0, 'clear-cache');
      const refused = await expectExit(w, 3, 'sync');
      expect(refused.stderr).toMatch(
        /take 8 of the 12 group memberships it sends away \(66\.7%, above sync\.maxRemovalShare 25%\)/,
      );
      expect(refused.stderr).toContain('staff: 7 of 8 member(s)');
      expect(w.imports()).toHaveLength(1);
      expect(w.groupMembers('staff')).toHaveLength(8);
      return 'exit 3: 8 of 12 memberships (66.7%); staff 7 of 8; nothing posted';
    }),
);

scenario(
  'G06',
  'membership',
  'LDAP: a folder without recorded group counts checks the organization itself',
  () =>
    withLdapWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      // As an older bwdc (or the official connector) left it: no counts per group.
      const doc = w.data();
      for (const entry of doc.managedMembers as Record<string, unknown>[])
        delete entry.groupMemberCounts;
      writeFileSync(w.dataFile, JSON.stringify(doc, null, 2));
      await expectExit(w, 0, 'config', 'sync.userObjectClass', 'inetOrgPersn');
      const refused = await expectExit(w, 3, 'sync');
      expect(refused.stderr).toContain('staff: 8 of 8 member(s) (left empty)');
      expect(w.bw.requests.some((r) => r.path.endsWith('/member-ids'))).toBe(true);
      expect(w.imports()).toHaveLength(1);
      return 'exit 3 from the organization as read (member-ids of the groups sent)';
    }),
);

scenario(
  'G07',
  'membership',
  'a group emptied while its members stay in the directory is refused',
  () =>
    withWorld(
      { csv: csvWithGroups(12, (i) => (i <= 2 ? 'Staff;Admins' : 'Staff'), ['Admins']) },
      async (w) => {
        await expectExit(w, 0, 'sync');
        expect(w.groupMembers('Admins')).toEqual(['user1@example.com', 'user2@example.com']);
        // Both stay in the directory; the group stays too, with nobody in it (a wrong group edit).
        w.writeDirectory(csvWithGroups(12, () => 'Staff', ['Admins']));
        const before = w.raw();
        const refused = await expectExit(w, 3, 'sync');
        expect(refused.stderr).toContain(
          'leave 1 group(s) that had members empty: Admins (2 -> 0)',
        );
        expect(w.groupMembers('Admins')).toHaveLength(2);
        expect(w.raw().equals(before)).toBe(true);
        return 'exit 3: Admins (2 -> 0); organization and data.json untouched';
      },
    ),
);

scenario('G08', 'membership', 'the last member of a group leaving the company is not refused', () =>
  withWorld(
    { csv: csvWithGroups(12, (i) => (i === 12 ? 'Staff;Solo' : 'Staff'), ['Solo']) },
    async (w) => {
      await expectExit(w, 0, 'sync');
      w.writeDirectory(csvWithGroups(11, () => 'Staff', ['Solo']));
      const synced = await expectExit(w, 0, 'sync');
      expect(synced.stdout).toContain(
        'Removed (1):\n  user12@example.com (U12, User): gone from the directory',
      );
      expect(w.groupMembers('Solo')).toEqual([]);
      expect(recorded(w).groupMemberCounts).toEqual({ Staff: 11, Solo: 0 });
      return 'exit 0: user12 removed, Solo left empty with them';
    },
  ),
);

scenario(
  'G09',
  'membership',
  'moving more than the share of a group elsewhere is refused until --force',
  () =>
    withWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      w.writeDirectory(csv(12, { group: (i) => (i <= 5 ? 'Other' : 'Staff') }));
      const refused = await expectExit(w, 3, 'sync');
      expect(refused.stderr).toMatch(/take 5 of the 12 group memberships it sends away \(41\.7%/);
      expect(w.groupMembers('Staff')).toHaveLength(12);
      await expectExit(w, 0, 'sync', '--force');
      expect(w.groupMembers('Staff')).toHaveLength(7);
      expect(w.groupMembers('Other')).toHaveLength(5);
      return 'exit 3 (5 of 12 memberships, 41.7%); --force: Staff 7, Other 5';
    }),
);

scenario(
  'G10',
  'membership',
  'a group emptied by hand is repaired by sync --force, which goes past the unchanged fingerprint',
  () =>
    withWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      await importByHand(w.bw, {
        groups: [{ name: 'Staff', externalId: 'Staff', memberExternalIds: [] }],
        members: [],
        overwriteExisting: false,
        largeImport: false,
      });
      expect(w.groupMembers('Staff')).toEqual([]);
      const quiet = await expectExit(w, 0, 'sync');
      expect(quiet.stdout).toBe('Syncing complete.\nSynced 0 group(s) and 0 user(s).\n');
      expect(w.groupMembers('Staff')).toEqual([]);
      const forced = await expectExit(w, 0, 'sync', '--force');
      expect(lines(forced.stdout).slice(0, 2)).toEqual([
        'Syncing complete.',
        'Synced 1 group(s) and 12 user(s).',
      ]);
      expect(w.groupMembers('Staff')).toHaveLength(12);
      return 'sync: unchanged, nothing sent; sync --force: sent again, Staff back to 12';
    }),
);

// ---- overwriteExisting, counted against the organization ----------------------------------

const hundred = Array.from({ length: 100 }, (_, i) => ({
  email: `member${i + 1}@example.com`,
  externalId: `X${i + 1}`,
}));

scenario(
  'O01',
  'overwrite',
  'a fresh folder with 100 members in the organization and 1 user read is refused',
  () =>
    withWorld({ csv: csv(1), sync: { overwriteExisting: true } }, async (w) => {
      w.bw.seed(hundred);
      const before = w.raw();
      const refused = await expectExit(w, 3, 'sync');
      expect(refused.stderr).toContain(
        "would make the server remove 100 of the organization's 100 members with an externalId",
      );
      expect(refused.stderr).toContain(
        'member1@example.com (X1): missing from the member list sent with overwriteExisting',
      );
      expect(refused.stderr).toContain('and 75 more');
      const test = await expectExit(w, 0, 'test');
      expect(test.stderr).toContain('It would remove (100):');
      const changes = await expectExit(w, 0, 'test', '--changes', '--json');
      const parsed = JSON.parse(changes.stdout) as {
        remove: { code: string }[];
        guard: { refused: boolean; check: string };
      };
      expect(parsed.remove.filter((r) => r.code === 'overwrite')).toHaveLength(100);
      expect(parsed.guard).toMatchObject({ refused: true, check: 'overwrite' });
      expect(w.writes()).toEqual([]);
      expect(w.bw.org.members()).toHaveLength(101);
      expect(w.raw().equals(before)).toBe(true);
      return 'exit 3 (100 of 100 would go); test and test --changes list them; nothing posted';
    }),
);

scenario('O02', 'overwrite', 'the same, forced on purpose', () =>
  withWorld({ csv: csv(1), sync: { overwriteExisting: true } }, async (w) => {
    w.bw.seed(hundred);
    await expectExit(w, 0, 'sync', '--force');
    expect(w.managed()).toEqual(['user1@example.com']);
    return 'exit 0; the server removed the 100, kept the Owner';
  }),
);

scenario(
  'O03',
  'overwrite',
  'Vaultwarden (no member routes): refused until forced, saying why',
  () =>
    withWorld(
      { csv: csv(3), sync: { overwriteExisting: true }, emulator: { mode: 'vaultwarden' } },
      async (w) => {
        const refused = await expectExit(w, 3, 'sync');
        expect(refused.stderr).toMatch(
          /without knowing whom it removes: the organization could not be read \(This Bitwarden server .* does not offer GET \/public\/(members|groups)/,
        );
        expect(refused.stderr).toContain(
          'Turn off sync.overwriteExisting, or run the sync with --force',
        );
        expect(w.imports()).toEqual([]);
        await expectExit(w, 0, 'sync', '--force');
        expect(w.imports()).toHaveLength(1);
        expect(w.managed()).toHaveLength(3);
        return 'exit 3 (cannot count removals), --force: exit 0';
      },
    ),
);

scenario('O04', 'overwrite', 'the member list read fails (HTTP 500): refused, nothing sent', () =>
  withWorld({ csv: csv(3), sync: { overwriteExisting: true } }, async (w) => {
    w.bw.faults.add({ path: '/public/members', status: 500, times: 10 });
    const before = w.raw();
    const refused = await expectExit(w, 3, 'sync');
    expect(refused.stderr).toMatch(
      /the organization could not be read \(Bitwarden answered GET .*\/public\/members with HTTP 500/,
    );
    expect(w.imports()).toEqual([]);
    expect(w.raw().equals(before)).toBe(true);
    return 'exit 3 after the retries; nothing posted; data.json unchanged';
  }),
);

scenario(
  'O05',
  'overwrite',
  'an empty read with overwriteExisting is refused even with --force',
  () =>
    withWorld({ csv: 'email,id,groups\n', sync: { overwriteExisting: true } }, async (w) => {
      w.bw.seed(hundred.slice(0, 5));
      const refused = await expectExit(w, 3, 'sync', '--force');
      expect(refused.stderr).toContain(
        'with an empty member list: the directory read returned no users',
      );
      expect(refused.stderr).toContain('--force does not go past this refusal');
      expect(w.imports()).toEqual([]);
      return 'exit 3 with --force; nothing posted';
    }),
);

scenario(
  'O06',
  'overwrite',
  'turned on over an organization that matches the directory: goes through',
  () =>
    withWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      await expectExit(w, 0, 'config', 'sync.overwriteExisting', 'true');
      await expectExit(w, 0, 'sync');
      expect(w.imports()).toHaveLength(2);
      expect(w.imports()[1]!.body).toMatchObject({ overwriteExisting: true });
      expect(w.managed()).toHaveLength(12);
      return 'exit 0, no false refusal; 12 members kept';
    }),
);

// ---- The member guard, force, and concurrency ----------------------------------------------

scenario(
  'R01',
  'members',
  'removing more than the share of the members is refused, listed, and --force goes ahead',
  () =>
    withWorld({}, async (w) => {
      await expectExit(w, 0, 'sync');
      w.writeDirectory(csv(12, { skip: [1, 2, 3, 4] }));
      const before = w.raw();
      const refused = await expectExit(w, 3, 'sync');
      expect(refused.stderr).toContain(
        'remove 4 of the 12 members the last successful sync left active (33.3%',
      );
      for (const i of [1, 2, 3, 4])
        expect(refused.stderr).toContain(`user${i}@example.com (U${i}): gone from the directory`);
      expect(w.raw().equals(before)).toBe(true);
      expect(w.managed()).toHaveLength(12);
      await expectExit(w, 0, 'sync', '--force');
      expect(w.managed()).toHaveLength(8);
      expect(recorded(w).members).toHaveLength(8);
      return 'exit 3 listing 4 members; --force: 4 removed';
    }),
);

scenario('R02', 'members', 'two syncs started at once: one runs, the other names the holder', () =>
  withWorld({}, async (w) => {
    w.bw.faults.add({ path: '/public/organization/import', delayMs: 4000 });
    const [a, b] = await Promise.all([w.bwdc('sync'), w.bwdc('sync')]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    expect(loser.stderr).toMatch(
      /Cannot start a sync in .*: process \d+ on .* holds the lock .*sync\.lock/,
    );
    expect(w.imports()).toHaveLength(1);
    expect(recorded(w).members).toHaveLength(12);
    return 'exit 0 and exit 1 (names pid and host); one import';
  }),
);

scenario('R03', 'members', 'sync --force with nothing changed sends everything again', () =>
  withWorld({}, async (w) => {
    await expectExit(w, 0, 'sync');
    const quiet = await expectExit(w, 0, 'sync');
    expect(quiet.stdout).toBe('Syncing complete.\nSynced 0 group(s) and 0 user(s).\n');
    const forced = await expectExit(w, 0, 'sync', '--force');
    expect(forced.stdout).toContain('Synced 1 group(s) and 12 user(s).');
    expect(w.imports()).toHaveLength(2);
    expect(w.imports()[1]!.body).toEqual(w.imports()[0]!.body);
    return 'unchanged: nothing sent; --force: the same request sent again';
  }),
);

// ---- A full disk (a real 64 KB tmpfs) --------------------------------------------------------

async function withFullDisk<T>(
  options: WorldOptions,
  run: (w: World, free: () => void) => Promise<T>,
): Promise<T> {
  const disk = await mountSmallDisk(64);
  try {
    return await withWorld({ ...options, dataDir: disk.dir }, (w) =>
      run(w, () => rmSync(join(disk.dir, 'filler'), { force: true })),
    );
  } finally {
    await disk.unmount();
  }
}

const noTempFiles = (w: World) =>
  expect(readdirSync(w.dataDir).filter((n) => /^data\.json\.\d+$/.test(n))).toEqual([]);

scenario(
  'D01',
  'full disk',
  'config on a full disk fails naming the data folder; data.json byte for byte',
  () =>
    withFullDisk({}, async (w) => {
      const before = w.raw();
      await fillDisk(w.dataDir);
      const failed = await expectExit(w, 1, 'config', 'sync.removeDisabled', 'true');
      expect(failed.stdout).toBe('');
      expect(failed.stderr).not.toContain('Saved setting');
      expect(failed.stderr).toContain(
        `Could not save data.json in the data folder ${w.dataDir}: the disk is full`,
      );
      expect(w.raw().equals(before)).toBe(true);
      noTempFiles(w);
      return 'exit 1 naming the data folder; no "Saved setting"; data.json identical, no temp file';
    }),
);

scenario(
  'D02',
  'full disk',
  'sync on a full disk: no "Syncing complete", and the next sync is correct',
  () =>
    withFullDisk({}, async (w, free) => {
      const before = w.raw();
      await fillDisk(w.dataDir);
      const failed = await expectExit(w, 1, 'sync');
      expect(failed.stdout).not.toContain('Syncing complete');
      expect(failed.stderr).toContain(
        'Bitwarden received all 1 import request(s), but the record of this sync could not be saved; the next sync sends them again.',
      );
      expect(failed.stderr).toContain(`in the data folder ${w.dataDir}: the disk is full`);
      // The server has the import; data.json does not.
      expect(w.imports()).toHaveLength(1);
      expect(w.managed()).toHaveLength(12);
      expect(w.raw().equals(before)).toBe(true);
      noTempFiles(w);
      free();
      const next = await expectExit(w, 0, 'sync');
      expect(next.stdout).toContain('Synced 1 group(s) and 12 user(s).');
      expect(w.imports()).toHaveLength(2);
      expect(w.managed()).toHaveLength(12);
      expect(recorded(w)).toEqual({
        members: Array.from({ length: 12 }, (_, i) => `user${i + 1}@example.com`).sort(),
        groupMemberCounts: { Staff: 12 },
      });
      return 'exit 1 (import received, record not saved), data.json identical; after freeing: exit 0 and recorded';
    }),
);

scenario('D03', 'full disk', 'logout and clear-cache on a full disk fail and change nothing', () =>
  withFullDisk({}, async (w) => {
    await fillDisk(w.dataDir);
    const before = w.raw();
    for (const command of ['logout', 'clear-cache']) {
      const failed = await expectExit(w, 1, command);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toContain('the disk is full');
    }
    expect(w.raw().equals(before)).toBe(true);
    await expectExit(w, 0, 'last-sync', 'users');
    return 'exit 1 each; still logged in; data.json identical';
  }),
);

// ---- data.json that cannot be used -------------------------------------------------------------

scenario(
  'C01',
  'data.json',
  'a truncated data.json: every command names it and leaves it alone',
  () =>
    withWorld({}, async (w) => {
      const text = readFileSync(w.dataFile, 'utf8');
      writeFileSync(w.dataFile, text.slice(0, 120));
      const before = w.raw();
      for (const args of [['sync'], ['test'], ['config', 'sync.users', 'false']]) {
        const failed = await expectExit(w, 1, ...args);
        expect(failed.stderr).toContain(`${w.dataFile}: is not valid JSON (at line`);
        expect(failed.stderr).toContain('The file was left as it is.');
      }
      expect(w.raw().equals(before)).toBe(true);
      expect(w.requests()).toEqual([]);
      return 'exit 1 for sync/test/config, naming file and line; file untouched; no request';
    }),
);

scenario('C02', 'data.json', 'an empty data.json is not reset', () =>
  withWorld({}, async (w) => {
    writeFileSync(w.dataFile, '');
    const failed = await expectExit(w, 1, 'config', 'sync.users', 'true');
    expect(failed.stderr).toContain(`${w.dataFile}: is empty`);
    expect(readFileSync(w.dataFile, 'utf8')).toBe('');
    return 'exit 1 "is empty"; still empty';
  }),
);

scenario(
  'C03',
  'data.json',
  'a key of the wrong type is named, and the value is never quoted',
  () =>
    withWorld({}, async (w) => {
      const doc = w.data();
      doc.organizationId = 12345;
      writeFileSync(w.dataFile, JSON.stringify(doc));
      const failed = await expectExit(w, 1, 'sync');
      expect(failed.stderr).toContain('"organizationId" must be a string, found a number');
      expect(failed.stderr).not.toContain('12345');
      expect(w.requests()).toEqual([]);
      return 'exit 1 naming "organizationId"; no value shown; no request';
    }),
);

// ---- Secrets ------------------------------------------------------------------------------------

const ldapPassword = (w: World) => (w.data().directoryLdap as { password?: string }).password;

scenario(
  'P01',
  'secrets',
  '--secretenv naming an unset variable is an error; the stored password stays',
  () =>
    withLdapWorld({}, async (w) => {
      const before = w.raw();
      const failed = await w.bwdcWith(
        { LDAP_PWD: undefined },
        'config',
        'ldap.password',
        '--secretenv',
        'LDAP_PWD',
      );
      expect(failed).toMatchObject({ code: 1, stdout: '' });
      expect(failed.stderr).toContain(
        'The environment variable LDAP_PWD is not set, so ldap.password was not changed.',
      );
      expect(w.raw().equals(before)).toBe(true);
      expect(ldapPassword(w)).toBe('reader-secret');
      await expectExit(w, 0, 'sync');
      return 'exit 1 naming LDAP_PWD; password kept; sync still binds';
    }),
);

scenario('P02', 'secrets', '--secretenv naming an empty variable is an error', () =>
  withLdapWorld({}, async (w) => {
    const failed = await w.bwdcWith(
      { LDAP_PWD: '' },
      'config',
      'ldap.password',
      '--secretenv',
      'LDAP_PWD',
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('The environment variable LDAP_PWD is empty');
    expect(ldapPassword(w)).toBe('reader-secret');
    return 'exit 1 "is empty"; password kept';
  }),
);

scenario('P03', 'secrets', 'an empty --secretfile, or a missing one, is an error', () =>
  withLdapWorld({}, async (w) => {
    const dir = mkdtempSync(join(tmpdir(), 'bwdc-secretfile-'));
    try {
      writeFileSync(join(dir, 'empty'), '\n');
      const empty = await expectExit(
        w,
        1,
        'config',
        'ldap.password',
        '--secretfile',
        join(dir, 'empty'),
      );
      expect(empty.stderr).toContain(
        `The secret file ${join(dir, 'empty')} is empty, so ldap.password was not changed.`,
      );
      const missing = await expectExit(
        w,
        1,
        'config',
        'ldap.password',
        '--secretfile',
        join(dir, 'nope'),
      );
      expect(missing.stderr).toContain('Cannot read the secret file');
      expect(ldapPassword(w)).toBe('reader-secret');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return 'exit 1 each; password kept';
  }),
);

scenario('P04', 'secrets', 'clearing a secret is explicit: config ldap.password ""', () =>
  withLdapWorld({}, async (w) => {
    const cleared = await expectExit(w, 0, 'config', 'ldap.password', '');
    expect(cleared.stdout).toBe('Saved setting `ldap.password`.\n');
    expect(ldapPassword(w) ?? '').toBe('');
    const failed = await expectExit(w, 1, 'sync');
    expect(failed.stderr).toMatch(/ldap\.password/);
    return 'exit 0, cleared; the next sync names ldap.password';
  }),
);

scenario(
  'P05',
  'secrets',
  'a secret typed as an argument works but warns; --secretenv does not warn',
  () =>
    withLdapWorld({}, async (w) => {
      const typed = await expectExit(w, 0, 'config', 'ldap.password', 'reader-secret');
      expect(typed.stderr).toContain(
        'Warning: a secret typed on the command line is visible to other users of this machine',
      );
      const fromEnv = await w.bwdcWith(
        { LDAP_PWD: 'reader-secret' },
        'config',
        'ldap.password',
        '--secretenv',
        'LDAP_PWD',
      );
      expect(fromEnv).toMatchObject({ code: 0, stderr: '' });
      await expectExit(w, 0, 'sync');
      return 'argument: exit 0 + warning; --secretenv: exit 0, silent';
    }),
);

scenario(
  'P06',
  'secrets',
  'login: a secret argument warns, BW_CLIENTSECRET does not; help shows no secret',
  () =>
    withWorld({}, async (w) => {
      await expectExit(w, 0, 'logout');
      const typed = await expectExit(w, 0, 'login', w.bw.clientId, w.bw.clientSecret);
      expect(typed.stderr).toContain(
        'Warning: a client secret typed on the command line is visible',
      );
      expect(typed.stderr).not.toContain(w.bw.clientSecret);
      await expectExit(w, 0, 'logout');
      const env = await w.bwdcWith(
        { BW_CLIENTID: w.bw.clientId, BW_CLIENTSECRET: w.bw.clientSecret },
        'login',
      );
      expect(env).toMatchObject({ code: 0, stdout: 'You are logged in!\n', stderr: '' });
      const help = await expectExit(w, 0, 'login', '--help');
      expect(help.stdout).toContain('BW_CLIENTSECRET');
      expect(help.stdout).not.toMatch(/login organization\.\S+ \S+/);
      const configHelp = await expectExit(w, 0, 'config', '--help');
      expect(configHelp.stdout).toContain('--secretenv LDAP_PWD');
      return 'argument: warns; environment: silent; help uses BW_CLIENTSECRET and --secretenv';
    }),
);

// ---- Locks and processes killed with SIGKILL -------------------------------------------------

scenario(
  'K01',
  'kill -9',
  'kill -9 during a sync: the next sync takes the dead lock over at once and is correct',
  () =>
    withWorld({}, async (w) => {
      w.bw.faults.add({ path: '/public/organization/import', delayMs: 3000 });
      const running = w.spawn('sync');
      running.child.stdin.end();
      await until(() => w.imports().length === 1, 20_000, 'the import to arrive');
      running.child.kill('SIGKILL');
      await running.result;
      expect(readdirSync(w.dataDir)).toContain('sync.lock');
      const next = await expectExit(w, 0, 'sync');
      expect(next.stderr).not.toContain('holds the lock');
      expect(w.imports()).toHaveLength(2);
      expect(w.managed()).toHaveLength(12);
      expect(recorded(w).members).toHaveLength(12);
      expect(readdirSync(w.dataDir).filter((n) => n.startsWith('sync.lock'))).toEqual([]);
      return 'killed mid-import; next sync: no lock wait, exit 0, sends again, recorded';
    }),
);

scenario(
  'K02',
  'kill -9',
  'kill -9 during config while it holds the write lock: data.json stays whole, the next config goes on at once',
  () =>
    withWorld({}, async (w) => {
      // A large data.json (other apps' keys, kept as they are) makes each write take a while.
      const doc = w.data();
      doc.padding = 'x'.repeat(4_000_000);
      writeFileSync(w.dataFile, JSON.stringify(doc));
      const owner = join(w.dataDir, 'data.json.lock.owner.json');
      let caught = 0;
      for (let round = 0; round < 4; round++) {
        const running = spawnBwdc(['config', 'sync.interval', String(10 + round)], w.env);
        running.child.stdin.end();
        // Killed the moment it holds data.json's lock (and has said so), in the middle of its write.
        while (running.child.exitCode === null && !existsSync(owner))
          await new Promise((r) => setImmediate(r));
        if (running.child.exitCode === null) {
          running.child.kill('SIGKILL');
          caught++;
        }
        await running.result;
        const interval = (w.data().sync as { interval?: number }).interval;
        // The old document or the new one, never a torn one.
        expect([undefined, 10 + round - 1, 10 + round]).toContain(interval);
      }
      expect(caught).toBeGreaterThan(0);
      const started = Date.now();
      const next = await expectExit(w, 0, 'config', 'sync.interval', '30');
      expect(next.stdout).toBe('Saved setting `sync.interval`.\n');
      // The killed writer's lock is taken over at once, not after its 10 s stale time.
      expect(Date.now() - started).toBeLessThan(8000);
      expect((w.data().sync as { interval: number }).interval).toBe(30);
      expect(w.data().padding).toHaveLength(4_000_000);
      expect(
        readdirSync(w.dataDir).filter((n) => /^data\.json\.\d+$/.test(n) || n.includes('.lock')),
      ).toEqual([]);
      return `killed ${caught} of 4 runs holding the write lock; data.json whole each time; next config at once`;
    }),
);

scenario(
  'K03',
  'kill -9',
  'a lock held on another machine: refused with who holds it and when it would expire',
  () =>
    withWorld({}, async (w) => {
      // A sync running on another host of a shared folder (its lock is refreshed).
      mkdirSync(join(w.dataDir, 'sync.lock'));
      writeFileSync(
        join(w.dataDir, 'sync.lock.owner.json'),
        JSON.stringify({ pid: 4242, host: 'other-host', since: '2026-11-30T08:00:00.000Z' }),
      );
      const refused = await expectExit(w, 1, 'sync');
      expect(refused.stderr).toContain(
        'process 4242 on other-host (since 2026-11-30T08:00:00.000Z) holds the lock',
      );
      expect(refused.stderr).toContain(
        'If that process no longer runs on other-host, the lock counts as stale 10 s after its last refresh',
      );
      expect(w.requests()).toEqual([]);
      return 'exit 1 naming pid 4242 on other-host and the stale rule; no request';
    }),
);

scenario('K04', 'kill -9', 'SIGINT during a sync cancels it; nothing is recorded', () =>
  withWorld({}, async (w) => {
    const before = w.raw();
    w.bw.faults.add({ path: '/public/members', delayMs: 3000 });
    const running = w.spawn('sync');
    running.child.stdin.end();
    await until(
      () => w.bw.requests.some((r) => r.path.endsWith('/public/members')),
      20_000,
      'the organization read',
    );
    running.child.kill('SIGINT');
    const result = await running.result;
    const ended = running.child.signalCode ?? `exit ${result.code}`;
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain('Syncing complete');
    expect(w.imports()).toEqual([]);
    expect(w.raw().equals(before)).toBe(true);
    return `${ended}; nothing posted; data.json identical`;
  }),
);

// ---- LDAP faults ---------------------------------------------------------------------------------

scenario('L01', 'ldap', 'slapd killed mid-read: exit 1 naming the server; nothing removed', () =>
  withLdapWorld({}, async (w, slapd) => {
    await expectExit(w, 0, 'sync');
    const before = w.raw();
    const pid = Number(readFileSync(join(slapd.dir, 'slapd.pid'), 'utf8'));
    // Frozen first, so bwdc is inside its read when the server dies.
    process.kill(pid, 'SIGSTOP');
    const running = w.spawn('sync');
    running.child.stdin.end();
    await sleep(2500);
    process.kill(pid, 'SIGKILL');
    const result = await running.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${slapd.port}`);
    expect(w.imports()).toHaveLength(1);
    expect(w.managed()).toHaveLength(12);
    expect(w.raw().equals(before)).toBe(true);
    return 'exit 1 naming 127.0.0.1:<port>; no import; members and data.json kept';
  }),
);

scenario('L02', 'ldap', 'slapd down: exit 1 naming the server', () =>
  withLdapWorld({}, async (w, slapd) => {
    await expectExit(w, 0, 'sync');
    await slapd.stop();
    const failed = await expectExit(w, 1, 'sync');
    expect(failed.stderr).toContain(`127.0.0.1:${slapd.port}`);
    expect(w.imports()).toHaveLength(1);
    return 'exit 1 naming the server; nothing posted';
  }),
);

scenario('L03', 'ldap', 'a wrong bind password: exit 1 naming ldap.password', () =>
  withLdapWorld({}, async (w) => {
    await w.bwdcWith({ PW: 'wrong-one' }, 'config', 'ldap.password', '--secretenv', 'PW');
    const failed = await expectExit(w, 1, 'sync');
    expect(failed.stderr).toMatch(/ldap\.password/);
    expect(failed.stderr).not.toContain('wrong-one');
    expect(w.imports()).toEqual([]);
    return 'exit 1 naming ldap.password (the value never shown)';
  }),
);

// ---- Bitwarden faults ------------------------------------------------------------------------

scenario('N01', 'bitwarden', '429 on the import is waited out', () =>
  withWorld({}, async (w) => {
    w.bw.faults.add({ path: '/public/organization/import', status: 429, retryAfterSeconds: 1 });
    await expectExit(w, 0, 'sync');
    expect(w.imports()).toHaveLength(2);
    expect(w.managed()).toHaveLength(12);
    return 'exit 0 after one Retry-After; 2 import requests';
  }),
);

scenario(
  'N02',
  'bitwarden',
  'persistent 500s: exit 1, data.json untouched, the next sync sends everything',
  () =>
    withWorld({}, async (w) => {
      const before = w.raw();
      w.bw.faults.add({ path: '/public/organization/import', status: 500, times: 10 });
      const failed = await expectExit(w, 1, 'sync');
      expect(failed.stderr).toMatch(/HTTP 500/);
      expect(failed.stderr).toContain('nothing was saved, the next sync sends everything again');
      expect(w.raw().equals(before)).toBe(true);
      w.bw.faults.clear();
      await expectExit(w, 0, 'sync');
      expect(w.managed()).toHaveLength(12);
      return 'exit 1 after 4 attempts; data.json identical; next sync exit 0';
    }),
);

scenario(
  'N03',
  'bitwarden',
  'a token the server stopped accepting (401): one new login, then success',
  () =>
    withWorld({}, async (w) => {
      w.bw.expireTokens();
      await expectExit(w, 0, 'sync');
      expect(
        w.bw.requests.filter((r) => r.path.endsWith('/connect/token')).length,
      ).toBeGreaterThanOrEqual(2);
      expect(w.managed()).toHaveLength(12);
      return 'exit 0; logged in again and posted';
    }),
);

scenario(
  'N04',
  'bitwarden',
  'a rotated API key: exit 1 saying the key was refused; nothing sent',
  () =>
    withWorld({}, async (w) => {
      w.bw.rotateClientSecret();
      w.bw.expireTokens();
      const before = w.raw();
      const failed = await expectExit(w, 1, 'sync');
      expect(failed.stderr).toMatch(/invalid_client|API key/i);
      expect(failed.stderr).not.toContain(w.bw.clientSecret);
      expect(w.imports()).toEqual([]);
      expect(w.raw().equals(before)).toBe(true);
      return 'exit 1 (key refused); no import; data.json identical';
    }),
);

scenario('N05', 'bitwarden', 'the server is down: exit 1 naming it', () =>
  withWorld({}, async (w) => {
    const url = w.bw.url;
    await w.bw.stop();
    const failed = await expectExit(w, 1, 'sync');
    expect(failed.stderr).toContain(new URL(url).host);
    return 'exit 1 naming the server';
  }),
);

scenario(
  'N06',
  'bitwarden',
  'the member list read fails during a normal sync: it goes on and says so',
  () =>
    withWorld({}, async (w) => {
      w.bw.faults.add({ path: '/public/members', status: 500, times: 10 });
      const synced = await expectExit(w, 0, 'sync');
      expect(synced.stdout).toContain(
        'The organization could not be read, so invites and group changes are not named',
      );
      expect(w.managed()).toHaveLength(12);
      return 'exit 0; import posted; says the organization could not be read';
    }),
);

scenario('N07', 'bitwarden', 'the connection dropped on the import is retried', () =>
  withWorld({}, async (w) => {
    w.bw.faults.add({ path: '/public/organization/import', drop: true });
    await expectExit(w, 0, 'sync');
    expect(w.managed()).toHaveLength(12);
    return 'exit 0 after a dropped connection';
  }),
);

// ---- Hostile directory values ------------------------------------------------------------------

const HOSTILE_CSV = [
  'email,id,name,groups',
  `"eve\u001b[2J@example.com",U1,,"Sales\u202eselaS;Ops"`,
  `"mallory@example.com",U2,,"Line1\nINFO forged line"`,
  `"trent@example.com",U3,,Ops`,
  `"bad\u001b]0;pwned\u0007",U4,,Ops`,
  '',
].join('\n');

scenario(
  'H01',
  'hostile',
  'escape sequences, BIDI overrides and newlines in directory values never reach the terminal raw',
  () =>
    withWorld({ csv: HOSTILE_CSV }, async (w) => {
      const outputs: string[] = [];
      const test = await expectExit(w, 0, 'test');
      outputs.push(test.stdout, test.stderr);
      // The JSON is still the same data for a parser.
      const plan = JSON.parse(test.stdout) as {
        enabledUsers: { displayName: string }[];
        groups: { displayName: string }[];
      };
      expect(plan.enabledUsers.map((u) => u.displayName)).toContain('eve\u001b[2j@example.com');
      expect(plan.groups.map((g) => g.displayName)).toContain('Sales\u202eselaS');
      const changes = await expectExit(w, 0, 'test', '--changes');
      outputs.push(changes.stdout, changes.stderr);
      expect(changes.stdout).toContain('eve\\x1b[2j@example.com');
      expect(changes.stdout).toContain('Sales\\u202eselaS');
      const synced = await expectExit(w, 0, 'sync');
      outputs.push(synced.stdout, synced.stderr);
      // The left-out entry's warning names it, escaped.
      expect(synced.stderr).toContain('bad\\x1b]0;pwned\\x07');
      const json = await expectExit(w, 0, 'test', '--changes', '--json');
      outputs.push(json.stdout, json.stderr);
      expect(JSON.parse(json.stdout)).toBeDefined();
      for (const text of outputs) assertNoRawControls(text);
      // The server got the values as they are: escaping is only for display.
      expect(w.bw.org.groups().map((g) => g.name)).toContain('Sales\u202eselaS');
      return 'test, test --changes (text and --json), sync: no raw ESC/BIDI/CR; server got the real values';
    }),
);

scenario('H02', 'hostile', 'a hostile value in an error message is escaped too', () =>
  withWorld(
    { csv: 'email,id\n"a\u001b[31m@example.com",U1\n"a\u001b[31m@example.com",U2\n' },
    async (w) => {
      const failed = await expectExit(w, 1, 'sync');
      expect(failed.stderr).toContain('a\\x1b[31m@example.com');
      assertNoRawControls(failed.stderr);
      expect(w.imports()).toEqual([]);
      return 'exit 1 (duplicate email) with the value escaped';
    },
  ),
);

// ---- The browser UI ------------------------------------------------------------------------------

function call(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: url.host, 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

scenario(
  'U01',
  'browser UI',
  'bwdc ui: no token, a wrong token or a foreign Host is refused; hostile values escaped',
  () =>
    withWorld({ csv: HOSTILE_CSV }, async (w) => {
      const ui = w.spawn('ui', '--port', '0');
      ui.child.stdin.end();
      try {
        let match: RegExpMatchArray | null = null;
        await until(
          () =>
            (match = ui
              .output()
              .stdout.match(/(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/)) !== null,
          30_000,
          'bwdc ui to start',
        );
        const [, origin, token] = match!;
        const bridge = (method: string, args: unknown[], headers: Record<string, string>) =>
          call(origin!, `/bridge/${method}`, { method: 'POST', headers, body: { args } });
        expect((await bridge('dashboard', [], {})).status).toBe(401);
        expect(
          (await bridge('dashboard', [], { authorization: 'Bearer not-the-token' })).status,
        ).toBe(401);
        expect(
          (
            await bridge('dashboard', [], {
              authorization: `Bearer ${token}`,
              host: 'attacker.example:80',
            })
          ).status,
        ).toBe(421);
        const test = await bridge('test', [false], { authorization: `Bearer ${token}` });
        expect(test.status).toBe(200);
        const reply = JSON.parse(test.body) as {
          ok: boolean;
          value: { enabledUsers: { displayName: string }[] };
        };
        expect(reply.ok).toBe(true);
        expect(reply.value.enabledUsers.map((u) => u.displayName)).toContain(
          'eve\\x1b[2j@example.com',
        );
        assertNoRawControls(JSON.stringify(reply));
        expect(w.writes()).toEqual([]);
      } finally {
        ui.child.kill('SIGTERM');
        await ui.result;
      }
      return '401 without/with a wrong token, 421 for a foreign Host; test reply escaped; nothing sent';
    }),
);

// ---- Configuration through the CLI, as documented -------------------------------------------------

scenario(
  'A01',
  'setup',
  'a new folder configured by the help page commands syncs, then an empty directory file removes nobody',
  async () => {
    const bw = await startBitwardenEmulator({ seats: null });
    const dataDir = mkdtempSync(join(tmpdir(), 'bwdc-matrix-setup-'));
    const env = {
      BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
      BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
    };
    const file = join(dataDir, 'directory.csv');
    writeFileSync(file, csv(12));
    try {
      for (const args of [
        ['config', 'server', bw.url],
        ['config', 'directory', 'file'],
        ['config', 'file.path', file],
        ['config', 'sync.users', 'true'],
        ['config', 'sync.groups', 'true'],
      ]) {
        expect(await runBwdc(args, env)).toMatchObject({ code: 0, stderr: '' });
      }
      expect(
        await runBwdc(['login'], {
          ...env,
          BW_CLIENTID: bw.clientId,
          BW_CLIENTSECRET: bw.clientSecret,
        }),
      ).toMatchObject({ code: 0, stderr: '' });
      expect((await runBwdc(['sync'], env)).code).toBe(0);
      writeFileSync(file, 'email,id,groups\n');
      const empty = await runBwdc(['sync'], env);
      // No users read: nobody is removed, and the group (not in the file any more) is not touched.
      expect(empty.code).toBe(0);
      expect(empty.stderr).toMatch(/returned no users at all; no missing users are removed/);
      expect(bw.org.members().filter((m) => m.externalId !== null)).toHaveLength(12);
      expect(bw.org.groups().find((g) => g.name === 'Staff')!.memberEmails).toHaveLength(12);
      return 'configured by CLI; emptied directory file: exit 0, warns, 12 members and Staff kept';
    } finally {
      await bw.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
