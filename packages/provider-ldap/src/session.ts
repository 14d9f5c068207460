import { CancelledError, type Logger } from '@bwdc/core';
import { Client, Control, type BerReader, type ClientOptions, type SearchOptions } from 'ldapts';
import type { ConnectionOptions } from 'node:tls';
import * as net from 'node:net';
import { ViewSearchEntry } from './decode';
import { EntryView } from './entry';
import { toLdapError, type FailureContext } from './errors';
import type { LdapSettings } from './settings';

export type ReadFile = (path: string) => Promise<Buffer>;

/** AD's LDAP_SERVER_SHOW_DELETED_OID: lets a search see tombstones in CN=Deleted Objects. */
export const SHOW_DELETED_CONTROL = '1.2.840.113556.1.4.417';

export interface SearchSpec {
  readonly base: string;
  readonly filter: string;
  readonly attributes: readonly string[];
  readonly scope?: 'base' | 'one' | 'sub';
  readonly controls?: readonly Control[];
  /** Overrides ldap.pagedSearch for this search (base-object reads are never paged). */
  readonly paged?: boolean;
  /** At most this many entries (with `paged: false`); reaching it is not an error. */
  readonly sizeLimit?: number;
}

/**
 * One bound connection. Every wait is raced against the abort signal: on abort the socket is
 * destroyed (so the server stops sending) and a CancelledError is thrown.
 */
export class LdapSession {
  private closed = false;

  private constructor(
    private readonly client: Client,
    private readonly settings: LdapSettings,
    private readonly signal: AbortSignal | undefined,
    private readonly logger: Logger,
  ) {}

  static async open(
    settings: LdapSettings,
    readFile: ReadFile,
    logger: Logger,
    signal?: AbortSignal,
  ): Promise<LdapSession> {
    throwIfAborted(signal);
    const tlsOptions = await buildTlsOptions(settings, readFile);
    const timeoutMs = settings.timeLimit > 0 ? (settings.timeLimit + 30) * 1000 : 0;
    const options: ClientOptions = {
      url: settings.url,
      connectTimeout: 15_000,
      timeout: timeoutMs,
      // ldapts speaks TLS at once when given tlsOptions, so only ldaps:// gets them here.
      ...(settings.secure ? { tlsOptions } : {}),
    };
    const client = new Client(options);
    decodeEntriesIntoViews(client);
    const session = new LdapSession(client, settings, signal, logger);
    const ctx = (operation: FailureContext['operation']): FailureContext => ({
      url: settings.url,
      operation,
      username: settings.username,
      tls: settings.secure || settings.startTls,
    });
    try {
      if (settings.startTls) {
        await session.guard(client.startTLS(tlsOptions), ctx('starttls'));
      }
      await session.guard(client.bind(settings.username, settings.password), ctx('bind'));
    } catch (error) {
      await session.close();
      throw error;
    }
    logger.debug('LDAP bind succeeded', {
      url: settings.url,
      startTls: settings.startTls,
      user: settings.username,
    });
    return session;
  }

  /** Yields pages of entries; paged per ldap.pagedSearch/pageSize, checking the signal between pages. */
  async *search(spec: SearchSpec): AsyncGenerator<EntryView[]> {
    const paged = spec.scope !== 'base' && (spec.paged ?? this.settings.pagedSearch);
    const options: SearchOptions = {
      scope: spec.scope ?? 'sub',
      filter: spec.filter,
      attributes: [...spec.attributes],
      explicitBufferAttributes: ['objectGUID'],
      timeLimit: this.settings.timeLimit,
      ...(paged ? { paged: { pageSize: this.settings.pageSize } } : {}),
      ...(spec.sizeLimit ? { sizeLimit: spec.sizeLimit } : {}),
    };
    const ctx: FailureContext = {
      url: this.settings.url,
      operation: 'search',
      base: spec.base,
      filter: spec.filter,
      timeLimit: this.settings.timeLimit,
    };
    const controls = spec.controls ? [...spec.controls] : undefined;
    if (!paged) {
      const result = await this.guard(this.client.search(spec.base, options, controls), ctx);
      yield views(result.searchEntries);
      return;
    }
    const pages = this.client.searchPaginated(spec.base, options, controls);
    let pending: Promise<IteratorResult<{ searchEntries: object[] }>> | undefined;
    try {
      pending = this.guard(pages.next(), ctx);
      for (;;) {
        const page = await pending;
        pending = undefined;
        if (page.done) return;
        // The next page is asked for before this one is handed over, so the server works on it
        // while this one is processed: a page at a time, the two would take turns.
        pending = this.guard(pages.next(), ctx);
        yield views(page.value.searchEntries);
        throwIfAborted(this.signal);
      }
    } finally {
      // A page asked for and no longer wanted (the caller stopped, or failed) is dropped.
      pending?.catch(() => undefined);
      // Not awaited: after an abort the generator is still waiting on the dropped connection.
      void pages.return(undefined).catch(() => undefined);
    }
  }

  /** Reads one entry by DN; undefined when it does not exist. */
  async readEntry(dn: string, attributes: readonly string[]): Promise<EntryView | undefined> {
    for await (const page of this.search({
      base: dn,
      scope: 'base',
      filter: '(objectClass=*)',
      attributes,
    }))
      return page[0];
    return undefined;
  }

  /** The root DSE's attributes (currentTime on AD, supportedControl...), or an empty entry. */
  async rootDse(attributes: readonly string[]): Promise<EntryView> {
    try {
      return (await this.readEntry('', attributes)) ?? new EntryView('', []);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.logger.debug('Root DSE not readable', { url: this.settings.url });
      return new EntryView('', []);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.unbind().catch(() => undefined);
  }

  private async guard<T>(operation: Promise<T>, ctx: FailureContext): Promise<T> {
    const signal = this.signal;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      if (!signal) return;
      onAbort = () => {
        reject(new CancelledError('Directory read'));
        void this.close();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => undefined);
    try {
      return await Promise.race([operation, aborted]);
    } catch (error) {
      if (error instanceof CancelledError || signal?.aborted)
        throw new CancelledError('Directory read');
      throw toLdapError(error, ctx);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      operation.catch(() => undefined);
    }
  }
}

/** LDAP's SearchResultEntry protocol operation ([APPLICATION 4]). */
const SEARCH_RESULT_ENTRY = 0x64;

/** The one part of ldapts's (pinned) internals this reaches into: how a message is built. */
interface MessageParserInternals {
  _getMessageFromProtocolOperation(
    messageId: number,
    operation: number,
    reader: BerReader,
    details?: { controls?: Control[] },
  ): unknown;
}

/**
 * Has the client decode search entries with `decodeEntry` (see ViewSearchEntry): a large read
 * spends a good part of its time in ldapts's generic decoder. Where ldapts's internals differ
 * from the pinned version's, entries are decoded by ldapts and converted instead.
 */
function decodeEntriesIntoViews(client: Client): void {
  const parser = (client as unknown as { messageParser?: Partial<MessageParserInternals> })
    .messageParser;
  const build = parser?._getMessageFromProtocolOperation;
  if (!parser || typeof build !== 'function') return;
  parser._getMessageFromProtocolOperation = function (messageId, operation, reader, details) {
    if (operation !== SEARCH_RESULT_ENTRY)
      return build.call(this, messageId, operation, reader, details);
    const entry = new ViewSearchEntry({ messageId });
    entry.parse(reader, details?.controls ?? []);
    return entry;
  };
}

/** A page of entries as views: decoded into views already, or converted from ldapts's objects. */
function views(entries: readonly object[]): EntryView[] {
  return entries.map((entry) =>
    entry instanceof EntryView
      ? entry
      : EntryView.fromEntry(entry as { dn: string; [name: string]: unknown }),
  );
}

export function showDeletedControl(): Control {
  return new Control(SHOW_DELETED_CONTROL, { critical: true });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('Directory read');
}

async function buildTlsOptions(
  settings: LdapSettings,
  readFile: ReadFile,
): Promise<ConnectionOptions> {
  const read = async (path: string | undefined, setting: string): Promise<Buffer | undefined> => {
    if (!path) return undefined;
    try {
      return await readFile(path);
    } catch (error) {
      throw toLdapError(error, {
        url: settings.url,
        operation: 'read-file',
        setting,
        path,
      });
    }
  };
  const ca = await read(settings.tls.caPath, settings.tls.caSetting);
  const cert = await read(settings.tls.certPath, 'ldap.sslCertPath');
  const key = await read(settings.tls.keyPath, 'ldap.sslKeyPath');
  return {
    ...(ca ? { ca: [ca] } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: settings.rejectUnauthorized,
    // SNI and the certificate name check use the configured hostname, also for StartTLS.
    host: settings.hostname,
    ...(net.isIP(settings.hostname) ? {} : { servername: settings.hostname }),
  };
}
