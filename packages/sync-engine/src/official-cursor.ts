import type { SyncCheckpoint } from '@bwdc/core';
import type { DirectoryProvider } from '@bwdc/directory-provider';

/**
 * How far before the official connector's saved times a first read starts. It saved its own
 * clock's time, and the directory compares with the server's: a change made on a server a little
 * behind would otherwise never be read. Reading a few minutes twice only sends those entries again.
 */
export const OFFICIAL_CLOCK_MARGIN_MS = 5 * 60_000;

/**
 * The cursor of a first sync from a data folder the official connector synced last (bwdc has no
 * cursor of its own yet, the official last sync times are there): the provider's, from those times
 * less the margin. Undefined when bwdc has its own cursor, or the provider has none to offer
 * (then the read is full).
 */
export function officialStartCursor(
  provider: DirectoryProvider,
  checkpoint: SyncCheckpoint,
  read: { readonly users: boolean; readonly groups: boolean },
): string | undefined {
  if (checkpoint.cursor !== undefined || !provider.cursorFromOfficialSync) return undefined;
  const users = officialTime(checkpoint.lastUserSync);
  const groups = officialTime(checkpoint.lastGroupSync);
  if (!users && !groups) return undefined;
  return provider.cursorFromOfficialSync(
    { ...(users ? { users } : {}), ...(groups ? { groups } : {}) },
    { users: read.users, groups: read.groups },
  );
}

function officialTime(text: string | undefined): Date | undefined {
  const time = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isFinite(time) ? new Date(time - OFFICIAL_CLOCK_MARGIN_MS) : undefined;
}
