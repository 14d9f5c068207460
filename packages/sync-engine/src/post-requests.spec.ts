import { describe, expect, it } from '@jest/globals';
import type { ImportRequest } from '@bwdc/core';
import { recordingLogger } from './__fixtures__/helpers';
import { postRequests } from './post-requests';

const request = (n: number, members = 1): ImportRequest => ({
  groups: [],
  members: Array.from({ length: members }, (_, i) => ({
    email: `u${n}.${i}@example.com`,
    externalId: `u${n}.${i}`,
    deleted: false,
  })),
  overwriteExisting: false,
  largeImport: true,
  inviteUsersAfterProvisioning: false,
});

/** An API whose requests finish when the test says so. */
function heldApi() {
  const posted: { request: ImportRequest; settle: (error?: Error) => void }[] = [];
  return {
    posted,
    api: {
      importOrganization: (r: ImportRequest) =>
        new Promise<void>((resolve, reject) =>
          posted.push({ request: r, settle: (error) => (error ? reject(error) : resolve()) }),
        ),
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('postRequests', () => {
  it('posts in order, one at a time, and runs the other work once, while the largest is out', async () => {
    const { api, posted } = heldApi();
    const seen: number[] = [];
    const running = postRequests(api, [request(1), request(2, 3), request(3)], recordingLogger(), {
      meanwhile: () => seen.push(posted.length),
    });
    await turn();
    expect(posted).toHaveLength(1);
    expect(seen).toEqual([]);
    posted[0]!.settle();
    await turn();
    await turn();
    // The largest request is out and not answered; the work ran meanwhile; nothing else was posted.
    expect(posted).toHaveLength(2);
    expect(seen).toEqual([2]);
    posted[1]!.settle();
    await turn();
    posted[2]!.settle();
    await expect(running).resolves.toBe(3);
    expect(posted.map((p) => p.request.members[0]!.externalId)).toEqual(['u1.0', 'u2.0', 'u3.0']);
    expect(seen).toEqual([2]);
  });

  it('stops at the first failure, also one that comes while the other work runs', async () => {
    const { api, posted } = heldApi();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const logger = recordingLogger();
      const running = postRequests(api, [request(1), request(2)], logger, {
        meanwhile: () => posted[0]!.settle(new Error('HTTP 500')),
      });
      await expect(running).rejects.toThrow('HTTP 500');
      expect(logger.records).toContainEqual({
        level: 'error',
        message:
          'Import request 1 of 2 failed; nothing was saved, the next sync sends everything again.',
      });
      await turn();
      expect(posted).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('posts nothing for no requests, and leaves the other work to its caller', async () => {
    const { api, posted } = heldApi();
    let ran = false;
    await expect(
      postRequests(api, [], recordingLogger(), { meanwhile: () => (ran = true) }),
    ).resolves.toBe(0);
    expect(posted).toHaveLength(0);
    expect(ran).toBe(false);
  });
});
