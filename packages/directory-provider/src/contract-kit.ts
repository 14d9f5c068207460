import { CancelledError, silentLogger, type DirectorySnapshot, type Logger } from '@bwdc/core';
import type { DirectoryProvider, FetchProgress } from './provider';

/**
 * The directory as the contract kit expects to find it, described by what admins see:
 * users by email, groups by name. Ids are the provider's business.
 */
export interface ContractFixture {
  readonly users: readonly { email: string; disabled?: boolean; deleted?: boolean }[];
  readonly groups: readonly {
    name: string;
    memberEmails: readonly string[];
    childGroups?: readonly string[];
  }[];
}

/** A comparable view of a snapshot: users by email, groups by name with members by email. */
export interface SnapshotView {
  readonly users: Record<string, { disabled: boolean; deleted: boolean }>;
  readonly groups: Record<string, { memberEmails: string[]; childGroups: string[] }>;
}

export interface ContractKitOptions {
  /** Shown in test names, e.g. `ldap (slapd)`. */
  readonly name: string;
  /** A provider for the live source holding `fixture`, optionally with changed settings. */
  readonly createProvider: (overrides?: {
    userFilter?: string;
    groupFilter?: string;
  }) => Promise<DirectoryProvider> | DirectoryProvider;
  readonly fixture: ContractFixture;
  /** Filters to try, each with the emails and group names the provider must then return. */
  readonly filterCases?: readonly {
    readonly userFilter?: string;
    readonly groupFilter?: string;
    readonly expectUserEmails?: readonly string[];
    readonly expectGroupNames?: readonly string[];
  }[];
  /** A change made to the live source between a full and an incremental read. */
  readonly incremental?: {
    readonly apply: () => Promise<void>;
    readonly revert?: () => Promise<void>;
    /** Emails the incremental snapshot must contain (changed or added users). */
    readonly expectChangedEmails: readonly string[];
  };
  /** Jest's (or a compatible runner's) globals; passed in so this package needs no test runner. */
  readonly runner: {
    describe: (name: string, fn: () => void) => void;
    it: (name: string, fn: () => Promise<void>, timeout?: number) => void;
    expect: (value: unknown) => {
      toEqual(expected: unknown): void;
      toBe(expected: unknown): void;
      toBeInstanceOf(expected: unknown): void;
      toContain(expected: unknown): void;
    };
  };
}

/** Builds the comparable view; members that are neither known users nor groups are kept by id. */
export function viewOfSnapshot(snapshot: DirectorySnapshot): SnapshotView {
  const emailById = new Map<string, string>();
  const users: SnapshotView['users'] = {};
  for (const user of snapshot.users ?? []) {
    const email = user.email ?? `(no email: ${user.referenceId})`;
    emailById.set(user.externalId, email);
    users[email] = { disabled: user.disabled, deleted: user.deleted };
  }
  const nameByRef = new Map((snapshot.groups ?? []).map((g) => [g.referenceId, g.name]));
  const groups: SnapshotView['groups'] = {};
  for (const group of snapshot.groups ?? []) {
    groups[group.name] = {
      memberEmails: group.userMemberExternalIds.map((id) => emailById.get(id) ?? id).sort(),
      childGroups: group.groupMemberReferenceIds.map((ref) => nameByRef.get(ref) ?? ref).sort(),
    };
  }
  return { users, groups };
}

export function viewOfFixture(fixture: ContractFixture): SnapshotView {
  return {
    users: Object.fromEntries(
      fixture.users.map((u) => [
        u.email.toLowerCase(),
        { disabled: u.disabled ?? false, deleted: u.deleted ?? false },
      ]),
    ),
    groups: Object.fromEntries(
      fixture.groups.map((g) => [
        g.name,
        {
          memberEmails: g.memberEmails.map((e) => e.toLowerCase()).sort(),
          childGroups: [...(g.childGroups ?? [])].sort(),
        },
      ]),
    ),
  };
}

/**
 * Declares the provider contract tests. Call it from a provider's `*.integration.spec.ts` with a
 * live source (real server or emulator) loaded with `fixture`.
 */
export function describeProviderContract(options: ContractKitOptions): void {
  const { describe, it, expect } = options.runner;
  const timeout = 60_000;

  describe(`DirectoryProvider contract: ${options.name}`, () => {
    it(
      'verifies connectivity and credentials',
      async () => {
        const provider = await options.createProvider();
        await provider.verify();
      },
      timeout,
    );

    it(
      'reads every user and group of the fixture, with flags, members and nested groups',
      async () => {
        const provider = await options.createProvider();
        const snapshot = await provider.fetch({ users: true, groups: true, mode: 'full' });
        expect(snapshot.complete).toBe(true);
        expect(viewOfSnapshot(snapshot)).toEqual(viewOfFixture(options.fixture));
      },
      timeout,
    );

    it(
      'returns emails trimmed and lower-cased',
      async () => {
        const provider = await options.createProvider();
        const snapshot = await provider.fetch({ users: true, groups: false, mode: 'full' });
        const bad = (snapshot.users ?? []).filter(
          (u) => u.email !== undefined && u.email !== u.email.trim().toLowerCase(),
        );
        expect(bad).toEqual([]);
      },
      timeout,
    );

    it(
      'reads only what is asked for',
      async () => {
        const provider = await options.createProvider();
        const usersOnly = await provider.fetch({ users: true, groups: false, mode: 'full' });
        expect(usersOnly.groups).toBe(undefined);
        const groupsOnly = await provider.fetch({ users: false, groups: true, mode: 'full' });
        expect(groupsOnly.users).toBe(undefined);
        expect(Object.keys(viewOfSnapshot(groupsOnly).groups).sort()).toEqual(
          options.fixture.groups.map((g) => g.name).sort(),
        );
      },
      timeout,
    );

    it(
      'stops with a CancelledError when the signal fires',
      async () => {
        const provider = await options.createProvider();
        const before = new AbortController();
        before.abort();
        await expectRejection(
          provider.fetch({ users: true, groups: true, mode: 'full', signal: before.signal }),
          expect,
        );

        const during = new AbortController();
        const onProgress = (_: FetchProgress): void => during.abort();
        const read = provider.fetch({
          users: true,
          groups: true,
          mode: 'full',
          signal: during.signal,
          onProgress,
        });
        // Abort on the first progress event, or right away if the provider reports none.
        setTimeout(() => during.abort(), 0);
        await expectRejection(read, expect);
      },
      timeout,
    );

    for (const [index, filterCase] of (options.filterCases ?? []).entries()) {
      it(
        `applies filter case ${index + 1} (${filterCase.userFilter ?? ''} ${filterCase.groupFilter ?? ''})`,
        async () => {
          const provider = await options.createProvider({
            userFilter: filterCase.userFilter,
            groupFilter: filterCase.groupFilter,
          });
          const view = viewOfSnapshot(
            await provider.fetch({ users: true, groups: true, mode: 'full' }),
          );
          if (filterCase.expectUserEmails)
            expect(Object.keys(view.users).sort()).toEqual([...filterCase.expectUserEmails].sort());
          if (filterCase.expectGroupNames)
            expect(Object.keys(view.groups).sort()).toEqual(
              [...filterCase.expectGroupNames].sort(),
            );
        },
        timeout,
      );
    }

    const incremental = options.incremental;
    if (incremental) {
      it(
        'reads changes incrementally from the cursor of a full read',
        async () => {
          const provider = await options.createProvider();
          const full = await provider.fetch({ users: true, groups: true, mode: 'full' });
          await incremental.apply();
          try {
            const delta = await provider.fetch({
              users: true,
              groups: true,
              mode: 'incremental',
              cursor: full.cursor,
            });
            expect(delta.complete).toBe(false);
            const emails = Object.keys(viewOfSnapshot(delta).users);
            for (const email of incremental.expectChangedEmails)
              expect(emails).toContain(email.toLowerCase());
          } finally {
            await incremental.revert?.();
          }
        },
        timeout,
      );
    }
  });
}

async function expectRejection(
  promise: Promise<unknown>,
  expect: ContractKitOptions['runner']['expect'],
): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(CancelledError);
}

/**
 * For a test that a cancel ends a retry wait at once: a logger that aborts `signal` at the first
 * retry warning (the read has just begun to wait, on the real timer) and keeps the `delayMs` each
 * warning announced, so the test can check the read ended long before that wait would have.
 */
export function cancelAtFirstRetry(): { logger: Logger; signal: AbortSignal; waits: number[] } {
  const controller = new AbortController();
  const waits: number[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (_message, fields) => {
      waits.push(Number(fields?.delayMs));
      controller.abort();
    },
  };
  return { logger, signal: controller.signal, waits };
}
