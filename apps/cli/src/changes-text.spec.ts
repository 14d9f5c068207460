import { describe, expect, it } from '@jest/globals';
import type { ChangesReport, OrganizationChanges, SyncReport } from '@bwdc/connector';
import { changesText, syncChangesText } from './changes-text';

function changes(overrides: Partial<OrganizationChanges> = {}): OrganizationChanges {
  const base: OrganizationChanges = {
    object: 'changes',
    unchanged: false,
    invite: [],
    remove: [],
    groups: [],
    unmanaged: [],
    link: [],
    emailDiffers: [],
    notInvited: [],
    pending: [],
    keptOwners: [],
    refusal: null,
    groupsNotCompared: 0,
    counts: {
      invite: 0,
      remove: 0,
      link: 0,
      groupsCreated: 0,
      groupsRenamed: 0,
      groupsChanged: 0,
      unmanaged: 0,
      membersBefore: 3,
      membersAfter: 3,
    },
    drift: null,
  };
  const merged = { ...base, ...overrides };
  return {
    ...merged,
    counts: {
      ...base.counts,
      invite: merged.invite.length,
      remove: merged.remove.length,
      link: merged.link.length,
      ...overrides.counts,
    },
  };
}

const report = (
  c: OrganizationChanges,
  guard: Partial<ChangesReport['guard']> = {},
): ChangesReport => ({
  test: { object: 'test', groups: [], enabledUsers: [], disabledUsers: [], deletedUsers: [] },
  changes: c,
  unavailable: undefined,
  guard: {
    refused: false,
    forceable: true,
    reason: undefined,
    check: undefined,
    groupLosses: [],
    ...guard,
  },
  warnings: [],
});

const invites = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    email: `u${String(i).padStart(2, '0')}@example.com`,
    externalId: `U${i}`,
  }));

describe('changesText (bwdc test --changes)', () => {
  it('puts the counts first, then the names', () => {
    const text = changesText(
      report(
        changes({
          invite: invites(2),
          remove: [
            {
              email: 'bob@example.com',
              externalId: 'B',
              reason: 'deleted in the directory',
              code: 'deleted-in-directory',
              role: 'User',
              status: 'confirmed',
            },
          ],
          groups: [
            {
              name: 'Eng',
              externalId: 'g',
              create: false,
              add: ['u00@example.com'],
              remove: ['helper@example.com'],
              membersCompared: true,
              members: 4,
            },
          ],
          unmanaged: [{ email: 'owner@example.com', role: 'Owner', status: 'confirmed' }],
        }),
      ),
    );
    expect(text.split('\n')).toEqual([
      'What a sync would change: 2 to invite, 1 to remove, 1 group to change.',
      '',
      'Invite (2):',
      '  u00@example.com',
      '  u01@example.com',
      'Remove (1):',
      '  bob@example.com (B, User): deleted in the directory',
      'Groups (1):',
      '  Eng: +1 (u00@example.com); -1 (helper@example.com)',
      '',
      'Left alone (no externalId, so the sync never removes them) (1):',
      '  owner@example.com (Owner, confirmed)',
      '',
      'Members now: 3; after the sync: 3. Nothing was sent.',
    ]);
  });

  it('cuts long lists with "and N more", and --all lists everything', () => {
    const c = changes({ invite: invites(13) });
    const short = changesText(report(c));
    expect(short).toContain('  u09@example.com\n  and 3 more (--all lists everything)');
    expect(short).not.toContain('u10@example.com');
    const all = changesText(report(c), { all: true });
    expect(all).toContain('u12@example.com');
    expect(all).not.toContain('more');
  });

  it('warns when the safety guard or the server would refuse the sync', () => {
    const text = changesText(
      report(changes({ refusal: 'no confirmed owner' }), {
        refused: true,
        reason: 'Refusing to sync: it would remove 5 of the 6 members.',
      }),
    );
    expect(text).toContain('The server would refuse the sync: no confirmed owner');
    expect(text).toContain(
      'The safety guard would refuse this sync: Refusing to sync: it would remove 5 of the 6 members. Run `bwdc sync --force` to go ahead on purpose.',
    );
  });

  it('says nothing would be sent when unchanged, and what sending again would change', () => {
    const text = changesText(
      report(
        changes({
          unchanged: true,
          drift: changes({
            groups: [
              {
                name: 'Eng',
                externalId: 'g',
                create: false,
                add: [],
                remove: ['helper@example.com'],
                membersCompared: true,
                members: 2,
              },
            ],
          }),
        }),
      ),
    );
    expect(text).toMatch(/^Nothing would be sent: the directory has not changed/);
    expect(text).toContain('would change: 0 to invite, 0 to remove, 1 group to change.');
    expect(text).toContain('  Eng: -1 (helper@example.com)');
  });
});

describe('syncChangesText (bwdc sync)', () => {
  const sync = (overrides: Partial<SyncReport>): SyncReport =>
    ({
      requestsSent: 1,
      removed: [],
      guard: { removals: [] },
      ...overrides,
    }) as unknown as SyncReport;

  it('names what was done, past tense', () => {
    const text = syncChangesText(
      sync({
        changes: changes({
          invite: invites(1),
          groups: [
            {
              name: 'Sales',
              externalId: 's',
              create: true,
              add: ['u00@example.com'],
              remove: [],
              membersCompared: true,
              members: 1,
            },
          ],
          groupsNotCompared: 2,
        }),
      }),
    );
    expect(text!.split('\n')).toEqual([
      'Changes: 1 invited, 0 removed, 1 group changed.',
      'Invited (1):',
      '  u00@example.com',
      'Groups (1):',
      '  Sales: new group; 1 member: u00@example.com',
      'The members of 2 existing groups were set from the directory (not compared; `bwdc test --changes` shows them before a sync).',
    ]);
  });

  it('prints nothing when nothing was sent', () => {
    expect(syncChangesText(sync({ requestsSent: 0 }))).toBeUndefined();
  });

  it('names removals from the plan when the organization could not be read', () => {
    const text = syncChangesText(
      sync({
        changesUnavailable: 'no members route',
        removed: [
          {
            email: 'bob@example.com',
            externalId: 'B',
            reason: 'missing',
            reasonText: 'gone from the directory',
            wasManaged: true,
          },
        ],
      }),
    );
    expect(text).toContain('could not be read, so invites and group changes are not named');
    expect(text).toContain('  bob@example.com (B): gone from the directory');
  });
});
