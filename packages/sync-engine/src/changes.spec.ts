import { MemberStatus } from '@bwdc/core';
import { active, grp, member, orgOf, plan, request } from './__fixtures__/changes';
import { diffOrganization } from './changes';

describe('diffOrganization: an unchanged plan', () => {
  it('changes nothing, and says what sending it again would change (drift)', () => {
    const org = orgOf(
      [member('a@example.com', 'a'), member('h@example.com', null)],
      [{ name: 'G', externalId: 'g', members: ['a@example.com', 'h@example.com'] }],
    );
    const changes = diffOrganization(
      plan([request([active('a')], [grp('g', 'G', ['a'])])], { unchanged: true }),
      org,
    );
    expect(changes).toMatchObject({ unchanged: true, invite: [], remove: [], groups: [] });
    expect(changes.unmanaged.map((u) => u.email)).toEqual(['h@example.com', 'owner@example.com']);
    expect(changes.drift?.groups).toEqual([
      expect.objectContaining({ name: 'G', remove: ['h@example.com'] }),
    ]);
  });

  it('has no drift when sending again would change nothing, and still names who has not joined', () => {
    const changes = diffOrganization(
      plan([request([active('a'), active('b', 'b@new.example')])], { unchanged: true }),
      orgOf([
        member('a@example.com', 'a', { status: MemberStatus.Invited }),
        member('b@old.example', 'b'),
      ]),
    );
    expect(changes.drift).toBeNull();
    expect(changes.pending.map((p) => p.email)).toEqual(['a@example.com']);
    expect(changes.emailDiffers.map((p) => p.email)).toEqual(['b@old.example']);
  });
});
