import { BwdcError } from '@bwdc/core';

/** data.json cannot be used as it is. The file is left exactly as found. */
export class StateCorruptError extends BwdcError {
  readonly filePath: string;

  constructor(
    filePath: string,
    problem: string,
    options?: { cause?: unknown; actions?: readonly string[] },
  ) {
    super('STATE_CORRUPT', `${filePath}: ${problem}. The file was left as it is.`, {
      cause: options?.cause,
      actions: options?.actions ?? [
        `Fix or restore ${filePath} (a copy named data.json.v<N>.bak is kept before each migration), ` +
          'or move it aside to start with a fresh configuration.',
      ],
    });
    this.filePath = filePath;
  }
}

/** Another process holds the data folder's lock. */
export class StateLockedError extends BwdcError {
  readonly lockPath: string;

  constructor(
    lockPath: string,
    message: string,
    options?: { cause?: unknown; actions?: readonly string[] },
  ) {
    super('STATE_LOCKED', message, { cause: options?.cause, actions: options?.actions });
    this.lockPath = lockPath;
  }
}
