/** data.json as parsed JSON; migrations see and return nothing richer, so each stays a pure function. */
export type StateDocument = Record<string, unknown>;

export interface Migration {
  /** The state versions this step accepts. */
  readonly from: readonly number[];
  readonly to: number;
  readonly name: string;
  /** Returns a new document; never mutates its input. */
  apply(document: StateDocument): StateDocument;
}

/** A document no migration can bring to the current version; the message names the version found. */
export class MigrationError extends Error {}

/** Keychain renames still to be done by whoever holds the keychain (3→5 moved `{clientId}_*` secrets). */
export const PENDING_SECRET_COPIES = 'pendingSecretCopies';

export interface PendingSecretCopy {
  readonly from: string;
  readonly to: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
