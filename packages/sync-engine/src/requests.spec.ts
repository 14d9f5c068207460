import { ConfigValidationError, type ImportGroup, type ImportMember } from '@bwdc/core';
import { BATCH_SIZE, buildRequests } from './requests';

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
});
