import type { DirectoryUser } from '@bwdc/core';

/** Ordinal order (UTF-16 code units), the same on every machine and locale. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order the plan works in from admission on: externalId, then referenceId. */
export const byUserId = (a: DirectoryUser, b: DirectoryUser): number =>
  byString(a.externalId, b.externalId) || byString(a.referenceId, b.referenceId);
