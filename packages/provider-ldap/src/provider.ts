import {
  DirectoryType,
  throwIfCancelled,
  type DirectorySnapshot,
  type LdapConfig,
  type Logger,
  type SyncConfig,
} from '@bwdc/core';
import type { DirectoryProvider, FetchRequest, OfficialSyncTimes } from '@bwdc/directory-provider';
import { readFile as fsReadFile } from 'node:fs/promises';
import { toLdapError } from './errors';
import { LDAP_FILTER_SYNTAX } from './filter';
import { readDirectory } from './read';
import { cursorFromOfficialSync } from './revision';
import { LdapSession, type ReadFile } from './session';
import { resolveSettings } from './settings';

/** Optional collaborators and tuning that are not admin settings. */
export interface LdapProviderOptions {
  /** Reads TLS files (CA, client certificate and key); defaults to fs.readFile. */
  readonly readFile?: ReadFile;
  /**
   * Request group members in explicit ranges of this size (`member;range=0-<n-1>`), as AD
   * answers large groups anyway. Unset: plain reads, walking ranges only when the server does.
   */
  readonly memberRangeSize?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/**
 * LDAP and Active Directory, through ldapts. Reads users and groups with paged searches, walks
 * AD ranged attributes so large groups are complete, classifies member / uniqueMember /
 * memberUid values, reads AD tombstones as deleted users, and reads incrementally by the
 * revision attribute (whenChanged on AD, modifyTimestamp elsewhere).
 */
export class LdapDirectoryProvider implements DirectoryProvider {
  readonly type = DirectoryType.Ldap;
  readonly filterSyntax = LDAP_FILTER_SYNTAX;
  private readonly readFile: ReadFile;
  private readonly now: () => Date;

  constructor(
    private readonly config: LdapConfig,
    private readonly sync: SyncConfig,
    private readonly logger: Logger,
    private readonly options: LdapProviderOptions = {},
  ) {
    this.readFile = options.readFile ?? ((path) => fsReadFile(path));
    this.now = options.now ?? (() => new Date());
  }

  async verify(signal?: AbortSignal): Promise<void> {
    throwIfCancelled(signal, 'Directory verification');
    const settings = resolveSettings(this.config, this.sync);
    const session = await LdapSession.open(settings, this.readFile, this.logger, signal);
    try {
      const bases = new Set<string>();
      if (this.sync.users || !this.sync.groups) bases.add(settings.userBase);
      if (this.sync.groups) bases.add(settings.groupBase);
      for (const base of bases) {
        if (!(await session.readEntry(base, ['1.1']))) {
          throw toLdapError(
            { code: 32, message: '' },
            { url: settings.url, operation: 'search', base },
          );
        }
      }
    } finally {
      await session.close();
    }
  }

  /**
   * The official connector reads incrementally only with sync.revisionDateAttribute set (its AD
   * settings always set whenChanged): users changed since lastUserSync, groups since lastGroupSync.
   * The read checks that entries carry the attribute before it trusts the cursor.
   */
  cursorFromOfficialSync(
    times: OfficialSyncTimes,
    read: { readonly users: boolean; readonly groups: boolean },
  ): string | undefined {
    return cursorFromOfficialSync(this.sync.revisionDateAttribute, times, read);
  }

  async fetch(request: FetchRequest): Promise<DirectorySnapshot> {
    throwIfCancelled(request.signal, 'Directory read');
    const settings = resolveSettings(this.config, this.sync);
    const sessions: LdapSession[] = [];
    const open = async () => {
      const session = await LdapSession.open(settings, this.readFile, this.logger, request.signal);
      sessions.push(session);
      return session;
    };
    try {
      const users = await open();
      // Servers keep one paged search per connection (slapd drops the other's cookie), so the
      // group search, which runs alongside the user (or user index) search, gets its own.
      const groups = request.groups ? await open() : users;
      return await readDirectory(
        settings,
        { users, groups },
        request,
        this.logger,
        this.options.memberRangeSize,
        this.now,
      );
    } finally {
      await Promise.all(sessions.map((session) => session.close()));
    }
  }
}
