import { DirectoryError } from '@bwdc/core';

/** A problem with the directory file; the message names the file and the line or entry. */
export class FileDirectoryError extends DirectoryError {
  constructor(source: string, message: string, options?: { cause?: unknown }) {
    super('DIRECTORY_READ_FAILED', source, message, options);
  }
}
