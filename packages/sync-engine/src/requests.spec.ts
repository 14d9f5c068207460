import { ConfigValidationError, type ImportGroup, type ImportMember } from '@bwdc/core';
import { group, plan, snapshot, user } from './__fixtures__/helpers';
import { RequestTooLargeError } from './errors';
import { BATCH_SIZE, SERVER_BODY_LIMIT, buildRequests } from './requests';

const members = (n: number): ImportMember[] =>
  Array.from({ length: n }, (_, i) => ({
    email: `u${i}@example.com`,
    externalId: `u${i}`,
    deleted: false,
  }));
const groups = (n: number): ImportGroup[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `g${i}`,
    externalId: `g${i}`,
    memberExternalIds: [],
  }));
const opts = { overwriteExisting: false, largeImport: false, inviteUsersAfterProvisioning: false };

describe('buildRequests', () => {
  it('sends one request with the config flags and largeImport false', () => {
    const [req, ...rest] = buildRequests(groups(1), members(2), {
      ...opts,
      overwriteExisting: true,
      inviteUsersAfterProvisioning: true,
    });
    expect(rest).toEqual([]);
    expect(Object.keys(req!)).toEqual([
      'groups',
      'members',
      'overwriteExisting',
      'largeImport',
      'inviteUsersAfterProvisioning',
    ]);
    expect(req).toMatchObject({
      overwriteExisting: true,
      largeImport: false,
      inviteUsersAfterProvisioning: true,
    });
  });

  it('sends nothing when there is nothing to send and no overwrite', () => {
    expect(buildRequests([], [], opts)).toEqual([]);
    expect(buildRequests([], [], { ...opts, overwriteExisting: true })).toHaveLength(1);
  });

  it('stays single at exactly 2000 entries with largeImport, as upstream', () => {
    const reqs = buildRequests(groups(1000), members(1000), { ...opts, largeImport: true });
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.largeImport).toBe(false);
  });

  it('without largeImport never batches, however large', () => {
    expect(buildRequests(groups(3000), members(5000), opts)).toHaveLength(1);
  });

  it('batches members first, then groups, 2000 at a time, all largeImport and no overwrite', () => {
    const reqs = buildRequests(groups(2001), members(4001), {
      ...opts,
      largeImport: true,
      inviteUsersAfterProvisioning: true,
    });
    expect(reqs.map((r) => [r.members.length, r.groups.length])).toEqual([
      [BATCH_SIZE, 0],
      [BATCH_SIZE, 0],
      [1, 0],
      [0, BATCH_SIZE],
      [0, 1],
    ]);
    expect(
      reqs.every((r) => r.largeImport && !r.overwriteExisting && r.inviteUsersAfterProvisioning),
    ).toBe(true);
    expect(reqs[2]!.members[0]!.externalId).toBe('u4000');
  });

  it('refuses overwriteExisting together with a large import, naming the setting', () => {
    expect(() =>
      buildRequests(groups(1), members(2001), {
        ...opts,
        largeImport: true,
        overwriteExisting: true,
      }),
    ).toThrow(ConfigValidationError);
    expect(() =>
      buildRequests(groups(1), members(2001), {
        ...opts,
        largeImport: true,
        overwriteExisting: true,
      }),
    ).toThrow(/sync\.overwriteExisting.*large imports/);
  });

  it('ends a chunk of groups before its body passes the byte budget, sending each group whole', () => {
    // Ten groups of 100 members, each about 2.8 kB as JSON: a 10 kB budget fits three per request.
    const big = Array.from({ length: 10 }, (_, g) => ({
      name: `g${g}`,
      externalId: `g${g}`,
      memberExternalIds: Array.from({ length: 100 }, (_, i) => `uid=user${i},ou=people,dc=x`),
    }));
    const reqs = buildRequests(big, members(2000), {
      ...opts,
      largeImport: true,
      bodyLimits: { batch: 10_000, server: SERVER_BODY_LIMIT },
    });
    const groupRequests = reqs.filter((r) => r.groups.length > 0);
    expect(groupRequests.map((r) => r.groups.length)).toEqual([3, 3, 3, 1]);
    for (const r of groupRequests) expect(JSON.stringify(r).length).toBeLessThan(10_000);
    expect(groupRequests.flatMap((r) => r.groups)).toEqual(big);
  });

  it('counts escaped and non-ASCII ids at their size in the body', () => {
    const odd = Array.from({ length: 4 }, (_, g) => ({
      name: `Gruppe ${g} "Ü"`,
      externalId: `g${g}`,
      memberExternalIds: Array.from({ length: 50 }, (_, i) => `cn=Zoë \\ "${i}",dc=x`),
    }));
    const budget = 3_000;
    const reqs = buildRequests(odd, members(2000), {
      ...opts,
      largeImport: true,
      bodyLimits: { batch: budget, server: SERVER_BODY_LIMIT },
    });
    for (const r of reqs.filter((r) => r.groups.length > 0))
      expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThan(budget + 200);
  });

  it('refuses, before anything is sent, a group too large for a request of its own', () => {
    const huge = {
      name: 'Everyone',
      externalId: 'g-all',
      memberExternalIds: Array.from({ length: 500 }, (_, i) => `uid=user${i},ou=people,dc=x`),
    };
    const build = () =>
      buildRequests([huge], members(2000), {
        ...opts,
        largeImport: true,
        bodyLimits: { batch: 5_000, server: 10_000 },
      });
    expect(build).toThrow(RequestTooLargeError);
    expect(build).toThrow(
      /Group "Everyone" \(externalId g-all\) has 500 members.*Nothing was sent/,
    );
  });

  it('sizes the member lists a plan built as exactly as it measures any other', () => {
    // Plain, escaped and non-ASCII ids, each in several groups: the plan measures each id once.
    const people = Array.from({ length: 60 }, (_, i) =>
      user(`u${i}`, { externalId: i % 3 ? `uid=u${i},dc=x` : `cn=Zoë "${i}" \\ x` }),
    );
    const groups = Array.from({ length: 12 }, (_, g) =>
      group(`g${g}`, [], [], {
        userMemberExternalIds: people.filter((_, i) => (i + g) % 2 === 0).map((u) => u.externalId),
      }),
    );
    const planned = plan(snapshot(people, groups), { largeImport: true }).groups.map((g) => ({
      name: g.name,
      externalId: g.externalId,
      memberExternalIds: g.memberExternalIds,
    }));
    const measured = (list: ImportGroup[]) =>
      buildRequests(list, members(2001), {
        ...opts,
        largeImport: true,
        bodyLimits: { batch: 1_500, server: SERVER_BODY_LIMIT },
      })
        .filter((r) => r.groups.length > 0)
        .map((r) => r.groups.length);
    // The same groups as fresh arrays, which buildRequests measures id by id.
    const fresh = planned.map((g) => ({ ...g, memberExternalIds: [...g.memberExternalIds] }));
    expect(planned.every((g) => g.memberExternalIds.length > 20)).toBe(true);
    expect(measured(planned)).toEqual(measured(fresh));
    expect(measured(planned).length).toBeGreaterThan(2);
  });
});
