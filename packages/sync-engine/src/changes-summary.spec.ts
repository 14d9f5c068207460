import { MemberStatus } from '@bwdc/core';
import { active, gone, grp, member, orgOf, plan, request } from './__fixtures__/changes';
import { diffOrganization } from './changes';

// What the summary reports beside the import's own changes. Through `diffOrganization`, so the
// assertions hold wherever the replay's boundaries move.

describe('summarizeChanges', () => {
  it('names email mismatches and members who have not joined or were revoked', () => {
    const changes = diffOrganization(
      plan([request([active('a', 'alice@new.example'), active('b'), active('c')])]),
      orgOf([
        member('alice@old.example', 'a'),
        member('b@example.com', 'b', { status: MemberStatus.Invited }),
        member('c@example.com', 'c', { status: MemberStatus.Revoked }),
      ]),
    );
    expect(changes.emailDiffers).toEqual([
      { externalId: 'a', email: 'alice@old.example', directoryEmail: 'alice@new.example' },
    ]);
    expect(changes.pending).toEqual([
      { email: 'b@example.com', externalId: 'b', status: 'invited' },
      { email: 'c@example.com', externalId: 'c', status: 'revoked' },
    ]);
  });

  it('lists members removed from the organization as removals, not as group changes', () => {
    const changes = diffOrganization(
      plan([request([active('a'), gone('b')], [grp('g', 'G', ['a'])])]),
      orgOf(
        [member('a@example.com', 'a'), member('b@example.com', 'b')],
        [{ name: 'G', externalId: 'g', members: ['a@example.com', 'b@example.com'] }],
      ),
    );
    expect(changes.remove.map((r) => r.email)).toEqual(['b@example.com']);
    expect(changes.groups).toEqual([]);
  });

  it('counts groups whose members were not read, naming them only when created or renamed', () => {
    const changes = diffOrganization(
      plan([request([active('a')], [grp('g', 'G', ['a']), grp('h', 'H2', ['a'])])]),
      orgOf(
        [member('a@example.com', 'a')],
        [
          { name: 'G', externalId: 'g', members: undefined },
          { name: 'H', externalId: 'h', members: undefined },
        ],
      ),
    );
    expect(changes.groupsNotCompared).toBe(2);
    expect(changes.groups).toEqual([
      {
        name: 'H2',
        externalId: 'h',
        create: false,
        renamedFrom: 'H',
        add: [],
        remove: [],
        membersCompared: false,
      },
    ]);
  });
});
