import { randomInt } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Replaces `file` with `text` so that a reader, or the next run after a crash or a full disk,
 * finds the old content or the new, never part of either: the bytes go to a temp file beside it,
 * every one of them (a short write is continued, and a write that makes no progress is a full
 * disk), are flushed to the disk and read back, and only then is the temp file renamed over
 * `file`. write-file-atomic, which this replaces, makes one `write` call and renames whatever it
 * wrote. Any failure removes the temp file and leaves `file` as it was.
 *
 * The temp file is `<file>.<digits>`, the name a writer killed before its rename leaves behind
 * for the next one to clear.
 */
export async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const temp = `${file}.${process.pid}${randomInt(1_000_000_000).toString().padStart(9, '0')}`;
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx+', mode);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
      if (bytesWritten <= 0) throw noProgress(temp);
      offset += bytesWritten;
    }
    await handle.sync();
    await readBack(handle, bytes, temp);
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(path.dirname(file));
}

/** What the disk holds now is what was meant: a file system that drops bytes silently is caught here. */
async function readBack(handle: FileHandle, expected: Buffer, temp: string): Promise<void> {
  const actual = Buffer.alloc(expected.length + 1);
  let read = 0;
  while (read < actual.length) {
    const { bytesRead } = await handle.read(actual, read, actual.length - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  if (read !== expected.length || !actual.subarray(0, read).equals(expected)) {
    throw Object.assign(
      new Error(`${temp} holds ${read} of ${expected.length} bytes after writing`),
      {
        code: 'EIO',
      },
    );
  }
}

function noProgress(temp: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`no space left to write ${temp}`), { code: 'ENOSPC' });
}

/** The rename is durable once the folder's entry is flushed; not every file system allows it. */
async function syncFolder(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some network file systems cannot open or flush a folder; the rename stands.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
