import { createHash } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { DIRECTORY_SECTIONS, SECRET_PLACEHOLDER } from '@bwdc/core';
import { StateCorruptError, StateLockedError, StateWriteError } from './errors';
import { acquireLock, type HeldLock } from './lock';
import {
  MigrationError,
  PENDING_SECRET_COPIES,
  isRecord,
  migrateDocument,
  type PendingSecretCopy,
  type StateDocument,
} from './migrations/index';
import {
  documentSecrets,
  documentToState,
  newDocument,
  stateToDocument,
  withDocumentSecrets,
  type ConnectorState,
} from './model';
import { DATA_FILE_NAME } from './paths';
import { withMemberListsLast, withoutMemberLists } from './settings-only';
import { replaceFile } from './write-file';

export interface StateStoreOptions {
  /** How long `update` waits for another writer. Default 30 s (a dead writer's lock is stale after 10 s). */
  lockTimeoutMs?: number;
  /**
   * After how long without a refresh a lock counts as left behind by a dead process. Default 10 s;
   * at least 2 s. Every process sharing the folder should use the same value.
   */
  staleLockMs?: number;
  /**
   * For a process that only reads settings (`bwdc config <setting>`): reads leave out the last
   * sync's member lists (`checkpoint.managedMembers` and `groupMemberCounts` come back
   * undefined) when data.json is laid out as bwdc writes it, so a 100k-member folder's read does
   * not parse 10 MB it does not need. Writes always read and keep the whole file.
   */
  settingsOnly?: boolean;
}

export interface WithLockOptions {
  /** Wait for the other holder instead of refusing at once. Default false. */
  wait?: boolean;
  /** With `wait`, give up after this long. Default: no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The minimum of a secret store that `moveSecretsTo` needs (a SecretStore from @bwdc/secure-storage fits). */
export interface SecretSink {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Plaintext secrets kept in data.json, in the shape @bwdc/secure-storage's PlaintextSecretFile asks for. */
export interface PlaintextSecretsAdapter {
  read(): Promise<Record<string, string>>;
  write(values: Record<string, string>): Promise<void>;
  update(fn: (values: Record<string, string>) => Record<string, string>): Promise<void>;
}

interface LoadedDocument {
  /** Migrated to the current version. */
  document: StateDocument;
  /** The version on disk; undefined when there is no file. */
  diskVersion: number | undefined;
  /** SHA-256 of the bytes parsed; undefined when there is no file. */
  digest?: string;
}

/**
 * data.json in one data folder. Reads take no lock (writes replace the file by rename, so a
 * reader sees the old or the new document, never a mix); every change is a locked
 * read-modify-write; `withLock` keeps a second sync out for as long as the first runs.
 */
export class StateStore {
  readonly filePath: string;
  /** The write lock, the one the official CLI takes around its own writes. */
  readonly writeLockPath: string;
  /** Held for a whole sync. */
  readonly runLockPath: string;

  /** The document `loadForReading` read last, and the file's identity then. */
  private lastRead: { key: string; loaded: LoadedDocument } | undefined;

  private constructor(
    readonly dataDir: string,
    private readonly options: StateStoreOptions,
  ) {
    this.filePath = path.join(dataDir, DATA_FILE_NAME);
    this.writeLockPath = `${this.filePath}.lock`;
    this.runLockPath = path.join(dataDir, 'sync.lock');
  }

  static open(dataDir: string, options: StateStoreOptions = {}): StateStore {
    return new StateStore(path.resolve(dataDir), options);
  }

  /** The state, migrated in memory if the file is older; a folder without data.json gives a new install's defaults. */
  async read(): Promise<ConnectorState> {
    return this.toState((await this.loadForReading()).document);
  }

  /** Locked read-modify-write; the file is replaced atomically (temp file, fsync, rename, mode 0600). */
  async update(
    fn: (state: ConnectorState) => ConnectorState | Promise<ConnectorState>,
  ): Promise<ConnectorState> {
    let written: StateDocument | undefined;
    await this.updateDocument(
      async (document, state) => (written = stateToDocument(await fn(state), document)),
    );
    return this.toState(written!);
  }

  /**
   * `update` without reading the result back: for a sync's commit, whose document holds every
   * member (100k members are 14 MB of data.json).
   */
  async save(
    fn: (state: ConnectorState) => ConnectorState | Promise<ConnectorState>,
  ): Promise<void> {
    await this.updateDocument(async (document, state) =>
      stateToDocument(await fn(state), document),
    );
  }

  /**
   * Runs `fn` holding the data folder's run lock, for as long as a whole sync takes. A second
   * holder in any process waits (`wait: true`) or gets StateLockedError at once. `update` takes
   * a different, short lock, so it may be called inside.
   */
  async withLock<T>(fn: () => Promise<T>, options: WithLockOptions = {}): Promise<T> {
    await this.ensureDir();
    const lock = await acquireLock({
      target: path.join(this.dataDir, 'sync'),
      lockPath: this.runLockPath,
      timeoutMs: options.wait ? (options.timeoutMs ?? Infinity) : 0,
      purpose: `start a sync in ${this.dataDir}`,
      staleMs: this.options.staleLockMs,
      signal: options.signal,
    });
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  }

  /**
   * Plaintext secrets (`BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true`) as top-level keys of
   * data.json, named as upstream names them (`apiKeyClientSecret`, `secretLdap:<id>`...).
   */
  plaintextSecrets(): PlaintextSecretsAdapter {
    return {
      read: async () => documentSecrets((await this.loadForReading()).document),
      write: async (values) => {
        await this.updateDocument((document) => withDocumentSecrets(document, values));
      },
      update: async (fn) => {
        await this.updateDocument((document) =>
          withDocumentSecrets(document, fn(documentSecrets(document))),
        );
      },
    };
  }

  /**
   * Moves secrets found in data.json into `sink` (the keychain) and removes them from the file:
   * secrets kept in plaintext (the official connector's plaintext mode keeps a directory's secret
   * in its section, login secrets as top-level keys) and keychain entries of versions 3 and 4
   * still under their old `{clientId}_*` names. A section's secret goes to the key the official
   * connector reads in keychain mode (`secretLdap:<id>`, or `secretLdap` without an id) and the
   * section keeps the placeholder. Call once at start-up when secrets are NOT kept in plaintext.
   * Returns the account names moved, never values. The file is only rewritten after every
   * secret was stored, so a failure loses nothing.
   */
  async moveSecretsTo(sink: SecretSink): Promise<string[]> {
    const { document } = await this.loadForReading();
    const pending = pendingCopies(document);
    const secrets = documentSecrets(document);
    if (!pending.length && !Object.keys(secrets).length && !sectionSecrets(document).length)
      return [];
    const moved: string[] = [];
    await this.updateDocument(async (current) => {
      for (const copy of pendingCopies(current)) {
        const value = await sink.get(copy.from);
        if (value !== undefined && (await sink.get(copy.to)) === undefined) {
          await sink.set(copy.to, value);
          moved.push(copy.to);
        }
      }
      for (const [key, value] of Object.entries(documentSecrets(current))) {
        await sink.set(key, value);
        moved.push(key);
      }
      const out = withDocumentSecrets(current, {});
      for (const inline of sectionSecrets(current)) {
        await sink.set(inline.storeKey, inline.value);
        moved.push(inline.storeKey);
        out[inline.dataKey] = {
          ...(current[inline.dataKey] as object),
          [inline.field]: SECRET_PLACEHOLDER,
        };
      }
      delete out[PENDING_SECRET_COPIES];
      return out;
    });
    return moved;
  }

  /**
   * Plaintext mode: puts a directory secret an earlier bwdc kept as a top-level key
   * (`secretLdap:<id>`) back into its section, where the official connector reads it in that
   * mode, in place of the placeholder. Returns the keys moved, never values.
   */
  async moveSecretsIntoSections(): Promise<string[]> {
    if (!topLevelSectionSecrets((await this.loadForReading()).document).length) return [];
    const moved: string[] = [];
    await this.updateDocument((current) => {
      const out: StateDocument = { ...current };
      for (const found of topLevelSectionSecrets(current)) {
        out[found.dataKey] = { ...(current[found.dataKey] as object), [found.field]: found.value };
        delete out[found.storeKey];
        moved.push(found.storeKey);
      }
      return out;
    });
    return moved;
  }

  private toState(document: StateDocument): ConnectorState {
    const state = documentToState(document);
    if ('problem' in state) throw new StateCorruptError(this.filePath, state.problem);
    return state;
  }

  /**
   * Under the write lock: reads data.json again (another process may have changed it since this
   * one read it), checks it, and hands `fn` the document and its state; writes what `fn` returns.
   */
  private async updateDocument(
    fn: (document: StateDocument, state: ConnectorState) => StateDocument | Promise<StateDocument>,
  ): Promise<void> {
    await this.ensureDir();
    const lock: HeldLock = await acquireLock({
      target: this.filePath,
      lockPath: this.writeLockPath,
      timeoutMs: this.options.lockTimeoutMs ?? 30_000,
      purpose: `write ${this.filePath}`,
      staleMs: this.options.staleLockMs,
    });
    try {
      await this.removeOrphanedTempFiles();
      const { document, diskVersion } = await this.loadForWriting();
      // Validated before handing over, so a bad file is reported, never overwritten.
      const next = await fn(document, this.toState(document));
      if (diskVersion !== undefined && diskVersion !== (next.stateVersion as number)) {
        await this.backUp(diskVersion);
      }
      if (lock.compromised) {
        throw new StateLockedError(
          this.writeLockPath,
          `Lost the lock ${this.writeLockPath} while writing, so nothing was written.`,
        );
      }
      try {
        await replaceFile(
          this.filePath,
          `${JSON.stringify(withMemberListsLast(next), null, 2)}\n`,
          0o600,
        );
      } catch (error) {
        throw new StateWriteError(this.filePath, this.dataDir, error);
      }
    } finally {
      await lock.release();
    }
  }

  /**
   * `load()` for callers that only look at the document: while the file is the one read last
   * time (same inode, size, modification and change time), it is not parsed again. A command
   * reads data.json several times before it starts, and with 100k members it holds 14 MB.
   * Callers must not change the document (`documentToState` copies what it keeps).
   */
  private async loadForReading(): Promise<LoadedDocument> {
    let key: string | undefined;
    try {
      const s = await stat(this.filePath, { bigint: true });
      key = `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch {
      key = undefined;
    }
    if (key !== undefined && this.lastRead?.key === key) return this.lastRead.loaded;
    const loaded = await this.load();
    // Stat before reading: a file replaced in between is parsed again next time, never kept stale.
    this.lastRead = key === undefined ? undefined : { key, loaded };
    return loaded;
  }

  /**
   * `load()` under the write lock. The file is read again whatever its timestamps say, but when
   * its bytes are the ones `loadForReading` parsed last (same SHA-256), that parse is used: a
   * sync's commit would otherwise parse 14 MB again at 100k members. `fn` must not change it.
   */
  private async loadForWriting(): Promise<LoadedDocument> {
    const bytes = await this.readBytes();
    if (bytes === undefined) return { document: newDocument(), diskVersion: undefined };
    const digest = sha256(bytes);
    if (this.lastRead?.loaded.digest === digest) return this.lastRead.loaded;
    return this.parse(bytes.toString('utf8'), digest);
  }

  private async load(): Promise<LoadedDocument> {
    const bytes = await this.readBytes();
    if (bytes === undefined) return { document: newDocument(), diskVersion: undefined };
    if (this.options.settingsOnly) {
      const settings = withoutMemberLists(bytes);
      // No digest: a write never takes this document for the file's (see loadForWriting). Any
      // problem is reported by parsing the whole file, as any other read does.
      if (settings !== undefined) {
        try {
          return this.parse(settings);
        } catch {
          // Parsed whole below.
        }
      }
    }
    return this.parse(bytes.toString('utf8'), sha256(bytes));
  }

  /** The file's bytes; undefined when there is none. */
  private async readBytes(): Promise<Buffer | undefined> {
    try {
      return await readFile(this.filePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw new StateCorruptError(this.filePath, `cannot be read (${code ?? String(error)})`, {
        cause: error,
      });
    }
  }

  private parse(text: string, digest?: string): LoadedDocument {
    if (text.trim() === '') throw new StateCorruptError(this.filePath, 'is empty');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // Not the parser's message, nor as cause: it quotes the file, which may hold secrets.
      throw new StateCorruptError(
        this.filePath,
        `is not valid JSON${jsonErrorLocation(text, error)}`,
      );
    }
    if (!isRecord(parsed))
      throw new StateCorruptError(this.filePath, 'does not hold a JSON object');
    try {
      const { document, fromVersion } = migrateDocument(parsed);
      return { document, diskVersion: fromVersion, digest };
    } catch (error) {
      if (error instanceof MigrationError) {
        throw new StateCorruptError(this.filePath, error.message, {
          cause: error,
          actions: [
            'Use the program that wrote this file, or move it aside to start with a fresh configuration.',
          ],
        });
      }
      throw error;
    }
  }

  /** Before the first write in a new version, the original is kept for a way back to the official connector. */
  private async backUp(diskVersion: number): Promise<void> {
    const backup = `${this.filePath}.v${diskVersion}.bak`;
    try {
      await copyFile(this.filePath, backup, fsConstants.COPYFILE_EXCL);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOENT') return;
      // A partial copy is no way back; the next write tries again.
      await rm(backup, { force: true }).catch(() => undefined);
      throw new StateWriteError(backup, this.dataDir, error);
    }
  }

  /**
   * A writer killed between writing its temp file and renaming it leaves `data.json.<number>`
   * behind, possibly holding secrets. Every writer takes the write lock first, so while we hold
   * it no such file belongs to a live write.
   */
  private async removeOrphanedTempFiles(): Promise<void> {
    const pattern = new RegExp(`^${DATA_FILE_NAME.replace('.', '\\.')}\\.\\d+$`);
    for (const name of await readdir(this.dataDir)) {
      if (pattern.test(name)) await rm(path.join(this.dataDir, name), { force: true });
    }
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
  }
}

interface SectionSecret {
  readonly dataKey: string;
  readonly field: string;
  /** The store account it belongs under: `secretLdap:<id>`, or `secretLdap` without an id. */
  readonly storeKey: string;
  readonly value: string;
}

/** Directory secrets kept in their sections in plaintext (not the placeholder). */
function sectionSecrets(document: StateDocument): SectionSecret[] {
  return eachSecretSection(document).flatMap((s) => {
    const value = s.section[s.field];
    return typeof value === 'string' && value !== '' && value !== SECRET_PLACEHOLDER
      ? [{ ...s, value }]
      : [];
  });
}

/** Sections holding the placeholder (or nothing) whose secret is a top-level key of the document. */
function topLevelSectionSecrets(document: StateDocument): SectionSecret[] {
  return eachSecretSection(document).flatMap((s) => {
    const inline = s.section[s.field];
    const value = document[s.storeKey];
    if (
      (typeof inline === 'string' && inline !== '' && inline !== SECRET_PLACEHOLDER) ||
      typeof value !== 'string'
    )
      return [];
    return [{ ...s, value }];
  });
}

function eachSecretSection(
  document: StateDocument,
): { dataKey: string; field: string; storeKey: string; section: Record<string, unknown> }[] {
  return Object.values(DIRECTORY_SECTIONS).flatMap((info) => {
    const section = document[info.dataKey];
    if (!info.secret || !isRecord(section)) return [];
    const id = typeof section.id === 'string' && section.id !== '' ? section.id : undefined;
    const storeKey = id ? `${info.secret.storeKey}:${id}` : info.secret.storeKey;
    return [{ dataKey: info.dataKey, field: info.secret.field, storeKey, section }];
  });
}

function pendingCopies(document: StateDocument): PendingSecretCopy[] {
  const value = document[PENDING_SECRET_COPIES];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is PendingSecretCopy =>
      isRecord(c) && typeof c.from === 'string' && typeof c.to === 'string',
  );
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** ` at line L, column C` when the parser said where, else nothing. */
function jsonErrorLocation(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (!match) return '';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` (at line ${line}, column ${column})`;
}
