import { MemberStatus, MemberType } from '@bwdc/core';
import { active, gone, grp, member, orgOf, plan, request } from './__fixtures__/changes';
import { diffOrganization } from './changes';
import { IdPool, attachPoolRefs } from './fingerprint';

// Each rule of the server's import (contract §3) as the diff replays it. The same rules are
// checked against the Bitwarden emulator in packages/connector/src/changes.integration.spec.ts.

describe('replayImports: members (§3.1-§3.4)', () => {
  it('invites new members, and lists members without an externalId as unmanaged', () => {
    const changes = diffOrganization(plan([request([active('a'), active('b')])]), orgOf([]));
    expect(changes.invite).toEqual([
      { email: 'a@example.com', externalId: 'a' },
      { email: 'b@example.com', externalId: 'b' },
    ]);
    expect(changes.remove).toEqual([]);
    expect(changes.unmanaged).toEqual([
      { email: 'owner@example.com', role: 'Owner', status: 'confirmed' },
    ]);
    expect(changes.counts).toMatchObject({ invite: 2, membersBefore: 1, membersAfter: 3 });
  });

  it('does not invite members the organization already has under their externalId', () => {
    const changes = diffOrganization(
      plan([request([active('a')])]),
      orgOf([member('a@example.com', 'a')]),
    );
    expect(changes.invite).toEqual([]);
    expect(changes.counts.membersAfter).toBe(2);
  });

  it('§3.1 removes members sent as deleted, with the reason the plan gives', () => {
    const changes = diffOrganization(
      plan([request([active('a'), gone('b'), gone('c'), gone('nobody')])], {
        removals: { b: 'disabled', c: 'missing' },
      }),
      orgOf([
        member('a@example.com', 'a'),
        member('b@example.com', 'b', { type: MemberType.Admin }),
        member('c@example.com', 'c', { status: MemberStatus.Invited }),
      ]),
    );
    expect(changes.remove).toEqual([
      {
        email: 'b@example.com',
        externalId: 'b',
        reason: 'disabled with removeDisabled',
        code: 'disabled',
        role: 'Admin',
        status: 'confirmed',
      },
      {
        email: 'c@example.com',
        externalId: 'c',
        reason: expect.stringMatching(/^gone from the directory/),
        code: 'missing',
        role: 'User',
        status: 'invited',
      },
    ]);
  });

  it('§3.1 never removes an Owner, and says so', () => {
    const boss = member('boss@example.com', 'boss', { type: MemberType.Owner });
    const changes = diffOrganization(plan([request([gone('boss')])]), orgOf([boss]));
    expect(changes.remove).toEqual([]);
    expect(changes.keptOwners).toEqual([
      {
        email: 'boss@example.com',
        externalId: 'boss',
        reason: 'deleted in the directory, but Bitwarden never removes an Owner through a sync',
      },
    ]);
  });

  it('§3.1 ignores a deleted entry whose externalId is also sent active', () => {
    const changes = diffOrganization(
      plan([request([active('a'), gone('a')])]),
      orgOf([member('a@example.com', 'a')]),
    );
    expect(changes.remove).toEqual([]);
  });

  it('§3.2 overwriteExisting removes external non-Owners the import does not list, naming why', () => {
    const changes = diffOrganization(
      plan([request([active('a')], [], true)], {
        leftOut: [
          {
            kind: 'user',
            externalId: 'noemail',
            referenceId: 'uid=noemail',
            label: undefined,
            reason: 'no-email',
            message: 'User uid=noemail has no email address; left out.',
          },
        ],
      }),
      orgOf([
        member('a@example.com', 'a'),
        member('b@example.com', 'b'),
        member('noemail@example.com', 'noemail'),
        member('boss@example.com', 'boss', { type: MemberType.Owner }),
        member('hand@example.com', null),
      ]),
    );
    expect(changes.remove.map((r) => [r.email, r.code, r.reason])).toEqual([
      [
        'b@example.com',
        'overwrite',
        'not in the directory read, and sync.overwriteExisting removes every member the import does not list',
      ],
      [
        'noemail@example.com',
        'overwrite',
        'left out of the sync (User uid=noemail has no email address; left out.), and sync.overwriteExisting removes every member the import does not list',
      ],
    ]);
    expect(changes.keptOwners.map((k) => k.email)).toEqual(['boss@example.com']);
    expect(changes.unmanaged.map((u) => u.email)).toEqual([
      'hand@example.com',
      'owner@example.com',
    ]);
  });

  it('§3.2 predicts the refusal when a member overwrite would remove has not joined, after step 1', () => {
    const changes = diffOrganization(
      plan([request([active('a'), gone('d')], [grp('g', 'G', ['a'])], true)]),
      orgOf([
        member('a@example.com', 'a'),
        member('d@example.com', 'd'),
        member('pending@example.com', 'p', { status: MemberStatus.Invited }),
      ]),
    );
    expect(changes.refusal).toMatch(/Remove and re-add users/);
    expect(changes.refusal).toContain('pending@example.com');
    // Step 1 has already removed the deleted member; nothing after step 2 happens.
    expect(changes.remove.map((r) => r.email)).toEqual(['d@example.com']);
    expect(changes.groups).toEqual([]);
  });

  it('§3.3 links a member without an externalId by exact email, and only by exact email', () => {
    const changes = diffOrganization(
      plan([request([active('a'), active('b')], [grp('g', 'G', ['a', 'b'])])]),
      orgOf([member('a@example.com', null), member('B@example.com', null)]),
    );
    expect(changes.link).toEqual([{ email: 'a@example.com', externalId: 'a' }]);
    // b's email is known case-insensitively, so no invite either: it stays out of the group.
    expect(changes.invite).toEqual([]);
    expect(changes.notInvited).toEqual([
      {
        email: 'b@example.com',
        externalId: 'b',
        reason: expect.stringContaining('B@example.com is already a member without an externalId'),
      },
    ]);
    expect(changes.groups).toEqual([
      expect.objectContaining({ name: 'G', create: true, add: ['a@example.com'] }),
    ]);
    expect(changes.unmanaged.map((u) => u.email)).toEqual(['B@example.com', 'owner@example.com']);
  });

  it('§3.4 skips an invite whose email belongs to a member with another externalId', () => {
    const changes = diffOrganization(
      plan([request([active('new', 'alice@example.com')])]),
      orgOf([member('alice@example.com', 'old')]),
    );
    expect(changes.invite).toEqual([]);
    expect(changes.notInvited[0]!.reason).toContain('externalId old');
  });

  it('§3.4 invites a returning email once its old member is removed in the same request', () => {
    const changes = diffOrganization(
      plan([request([active('new', 'alice@example.com'), gone('old')])]),
      orgOf([member('alice@example.com', 'old')]),
    );
    expect(changes.remove.map((r) => r.externalId)).toEqual(['old']);
    expect(changes.invite).toEqual([{ email: 'alice@example.com', externalId: 'new' }]);
  });

  it('§3.4 predicts the refusal when no Owner is confirmed', () => {
    const changes = diffOrganization(plan([request([active('a')])]), {
      members: [member('o@example.com', null, { type: MemberType.Owner, status: 1 })],
      groups: [],
    });
    expect(changes.refusal).toContain('at least one confirmed owner');
    expect(changes.invite).toEqual([]);
  });
});

describe('replayImports: groups (§3.5)', () => {
  it('§3.5 sets members to exactly the mapped externalIds: hand-added members are taken out', () => {
    const changes = diffOrganization(
      plan([request([active('a'), active('b')], [grp('g', 'Eng', ['a', 'b', 'unknown'])])]),
      orgOf(
        [member('a@example.com', 'a'), member('b@example.com', 'b'), member('h@example.com', null)],
        [{ name: 'Eng', externalId: 'g', members: ['a@example.com', 'h@example.com'] }],
      ),
    );
    expect(changes.groups).toEqual([
      {
        name: 'Eng',
        externalId: 'g',
        create: false,
        add: ['b@example.com'],
        remove: ['h@example.com'],
        membersCompared: true,
        members: 2,
      },
    ]);
  });

  it('§3.5 lists only groups that change, and renames by externalId', () => {
    const changes = diffOrganization(
      plan([
        request(
          [active('a')],
          [grp('same', 'Same', ['a']), grp('ren', 'New name', ['a']), grp('new', 'New', [])],
        ),
      ]),
      orgOf(
        [member('a@example.com', 'a')],
        [
          { name: 'Same', externalId: 'same', members: ['a@example.com'] },
          { name: 'Old name', externalId: 'ren', members: ['a@example.com'] },
        ],
      ),
    );
    expect(changes.groups.map((g) => [g.name, g.create, g.renamedFrom])).toEqual([
      ['New', true, undefined],
      ['New name', false, 'Old name'],
    ]);
    expect(changes.counts).toMatchObject({ groupsCreated: 1, groupsRenamed: 1, groupsChanged: 1 });
  });

  it('§3.5 never touches groups missing from the import or without an externalId', () => {
    const changes = diffOrganization(
      plan([request([active('a')], [grp('g', 'G', ['a'])])]),
      orgOf(
        [member('a@example.com', 'a'), member('x@example.com', null)],
        [
          { name: 'G', externalId: 'g', members: ['a@example.com'] },
          { name: 'Other', externalId: 'other', members: ['x@example.com'] },
          { name: 'Manual', externalId: null, members: ['x@example.com'] },
        ],
      ),
    );
    expect(changes.groups).toEqual([]);
  });

  it('adds new invitees to groups in the same request', () => {
    const changes = diffOrganization(
      plan([request([active('a')], [grp('g', 'G', ['a'])])]),
      orgOf([], [{ name: 'G', externalId: 'g', members: [] }]),
    );
    expect(changes.groups[0]).toMatchObject({ add: ['a@example.com'], members: 1 });
  });
});

describe('replayImports: several requests (largeImport batches)', () => {
  it('replays user batches first, then group batches with no members, as the server sees them', () => {
    const changes = diffOrganization(
      plan([
        request([active('a')]),
        request([active('b')]),
        request([], [grp('g', 'G', ['a', 'b'])]),
      ]),
      orgOf([member('a@example.com', 'a')], [{ name: 'G', externalId: 'g', members: [] }]),
    );
    expect(changes.invite.map((i) => i.externalId)).toEqual(['b']);
    expect(changes.groups[0]).toMatchObject({
      add: ['a@example.com', 'b@example.com'],
      members: 2,
    });
  });

  it('resolves lists that share a pool of ids as plain ones, each request with its own members', () => {
    const sorted = ['a', 'b', 'c', 'd', 'unknown'];
    const pool = new IdPool(sorted);
    const pooled = (ids: string[]): string[] => {
      attachPoolRefs(
        ids,
        pool,
        Int32Array.from(ids, (id) => sorted.indexOf(id)),
      );
      return ids;
    };
    const build = (list: (ids: string[]) => string[]) =>
      plan([
        request(
          [active('a'), active('b'), gone('c')],
          [grp('g1', 'G1', list(['a', 'c', 'd', 'unknown']))],
        ),
        request(
          [active('d')],
          [grp('g2', 'G2', list(['a', 'b', 'c', 'd'])), grp('g3', 'G3', list(['d']))],
        ),
      ]);
    const org = () =>
      orgOf(
        [member('a@example.com', 'a'), member('b@example.com', 'b'), member('c@example.com', 'c')],
        [
          { name: 'G1', externalId: 'g1', members: ['c@example.com'] },
          { name: 'G2', externalId: 'g2', members: [] },
        ],
      );
    const changes = diffOrganization(build(pooled), org());
    expect(changes).toEqual(
      diffOrganization(
        build((ids) => [...ids]),
        org(),
      ),
    );
    expect(changes.groups.map((g) => [g.externalId, g.add, g.members])).toEqual([
      ['g1', ['a@example.com'], 1],
      ['g2', ['a@example.com', 'b@example.com', 'd@example.com'], 3],
      ['g3', ['d@example.com'], 1],
    ]);
  });

  it('stops at the request the server would refuse and names it', () => {
    const changes = diffOrganization(plan([request([gone('x')]), request([active('a')])]), {
      members: [member('x@example.com', 'x')],
      groups: [],
    });
    expect(changes.remove.map((r) => r.email)).toEqual(['x@example.com']);
    expect(changes.refusal).toMatch(/request 2 of 2.*confirmed owner/);
    expect(changes.invite).toEqual([]);
  });

  it('predicts the HTTP 500 of two members sharing an externalId', () => {
    const changes = diffOrganization(
      plan([request([active('a')])]),
      orgOf([member('one@example.com', 'a'), member('two@example.com', 'a')]),
    );
    expect(changes.refusal).toMatch(/HTTP 500: two members .* share the externalId "a"/);
  });
});
