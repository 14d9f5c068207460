import * as path from 'node:path';
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

/** Why a write failed, in words, from the system's error code. */
function writeProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (no space left on the device)';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EIO':
      return 'the disk reported an input/output error';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/**
 * data.json (or its backup) could not be written. Nothing was saved: the file on disk is exactly
 * as it was before the command, and no partial temp file is left.
 */
export class StateWriteError extends BwdcError {
  readonly filePath: string;
  readonly dataDir: string;

  constructor(filePath: string, dataDir: string, cause: unknown) {
    super(
      'STATE_WRITE_FAILED',
      `Could not save ${path.basename(filePath)} in the data folder ${dataDir}: ${writeProblem(cause)}. Nothing was saved; the file was left as it was.`,
      {
        cause,
        actions: [
          `Free space (or fix the permissions) in the data folder ${dataDir} and run the command again.`,
        ],
      },
    );
    this.filePath = filePath;
    this.dataDir = dataDir;
  }
}
