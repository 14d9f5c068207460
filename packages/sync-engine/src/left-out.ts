import type { DirectoryGroup, DirectoryUser } from '@bwdc/core';
import type { LeftOutEntry, LeftOutReason } from './types';

/** Why a user that was read is not sent as active: left out, or sent as deleted. */
export type NotSentReason = LeftOutReason | 'deleted' | 'disabled';

/**
 * What a plan leaves out and warns about, recorded in one place in the order the steps find it:
 * the entries not sent (each with a message naming it), the warnings, and for each user read but
 * not sent as active the reason, which a later step reports as why a remembered member is removed.
 */
export class LeftOutLog {
  readonly entries: LeftOutEntry[] = [];
  readonly warnings: string[];
  private readonly notSent = new Map<string, NotSentReason>();

  /** Starts with the provider's own warnings. */
  constructor(warnings: readonly string[]) {
    this.warnings = [...warnings];
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /**
   * A user not sent. `warn: false` only lists it, for what is expected (a filter's choice, a
   * deleted entry without an email). `label` is the email to show, by default the one read.
   */
  user(
    user: DirectoryUser,
    reason: LeftOutReason,
    message: string,
    warn = true,
    label = user.email,
  ): void {
    const { externalId, referenceId } = user;
    this.entries.push({ kind: 'user', externalId, referenceId, label, reason, message });
    this.notSentAs(externalId, reason);
    if (warn) this.warnings.push(message);
  }

  /** A group not sent; its members still count for its parent groups. */
  group(group: DirectoryGroup, reason: LeftOutReason, message: string, warn = true): void {
    const { externalId, referenceId, name } = group;
    this.entries.push({ kind: 'group', externalId, referenceId, label: name, reason, message });
    if (warn) this.warnings.push(message);
  }

  /**
   * Records why a user is not sent as active. The first reason for an externalId stands, except
   * that dedupe's verdict (an old entry of an active person) replaces what admission said.
   */
  notSentAs(externalId: string, reason: NotSentReason): void {
    if (reason === 'tombstone' || !this.notSent.has(externalId))
      this.notSent.set(externalId, reason);
  }

  whyNotSent(externalId: string): NotSentReason | undefined {
    return this.notSent.get(externalId);
  }
}
