import type { EntryView } from './entry';
import { escapeFilterValue, parseGeneralizedTime, toGeneralizedTime } from './values';
import type { LdapSettings } from './settings';

const CURSOR_VERSION = 1;

/** What the provider keeps in DirectorySnapshot.cursor: per-kind server times of the last read. */
export interface Cursor {
  readonly v: typeof CURSOR_VERSION;
  /** The revision attribute the times refer to. */
  readonly attr: string;
  readonly users?: string;
  readonly groups?: string;
  /**
   * Made from the official connector's last sync times, not by a read of ours: nothing has shown
   * yet that entries carry `attr` (OpenLDAP has no whenChanged, which the official AD defaults
   * set), so the read checks before it trusts it.
   */
  readonly unverified?: true;
}

/**
 * The cursor of the official connector's next sync: users changed since its lastUserSync, groups
 * since its lastGroupSync, by the revision attribute it filtered on. Undefined when it read
 * everything (no sync.revisionDateAttribute) or a kind read has no time.
 */
export function cursorFromOfficialSync(
  configuredAttr: string | undefined,
  times: { readonly users?: Date; readonly groups?: Date },
  read: { readonly users: boolean; readonly groups: boolean },
): string | undefined {
  const attr = configuredAttr?.trim();
  if (!attr) return undefined;
  if ((read.users && !times.users) || (read.groups && !times.groups)) return undefined;
  const cursor: Cursor = {
    v: CURSOR_VERSION,
    attr,
    ...(read.users ? { users: times.users!.toISOString() } : {}),
    ...(read.groups ? { groups: times.groups!.toISOString() } : {}),
    unverified: true,
  };
  return JSON.stringify(cursor);
}

/** The cursor of a read that started at `stamp`, keeping the previous time of a kind not read. */
export function nextCursor(
  attr: string,
  stamp: string,
  read: { readonly users: boolean; readonly groups: boolean },
  previous: Cursor | undefined,
): string {
  const cursor: Cursor = {
    v: CURSOR_VERSION,
    attr,
    users: read.users ? stamp : previous?.users,
    groups: read.groups ? stamp : previous?.groups,
  };
  return JSON.stringify(cursor);
}

/** The cursor of an earlier read, or undefined when it is missing, foreign or lacks a kind now read. */
export function parseCursor(
  text: string | undefined,
  read: { readonly users: boolean; readonly groups: boolean },
): Cursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<Cursor>;
    if (parsed.v !== CURSOR_VERSION || typeof parsed.attr !== 'string') return undefined;
    const valid = (t: unknown): boolean =>
      typeof t === 'string' && !Number.isNaN(new Date(t).getTime());
    if ((read.users && !valid(parsed.users)) || (read.groups && !valid(parsed.groups)))
      return undefined;
    return parsed as Cursor;
  } catch {
    return undefined;
  }
}

/** A root DSE `currentTime`, when the server reports one (AD). */
export function reportedTime(text: string | undefined): Date | undefined {
  return text ? parseGeneralizedTime(text) : undefined;
}

/** `(&(objectClass=<class>)<native filter><revision clause>)`. */
export function searchFilter(
  settings: LdapSettings,
  objectClass: string,
  native: string | undefined,
  revisionAttr: string | undefined,
  since: Date | undefined,
): string {
  const revision = revisionAttr ? revisionClause(settings, revisionAttr, since) : '';
  return `(&(objectClass=${escapeFilterValue(objectClass)})${native ?? ''}${revision})`;
}

/** `(<attr>>=<since>)` in the server's time form, or nothing for a full read. */
export function revisionClause(
  settings: LdapSettings,
  attr: string,
  since: Date | undefined,
): string {
  if (!since) return '';
  return `(${attr}>=${escapeFilterValue(toGeneralizedTime(since, settings.ad))})`;
}

/**
 * Notices whether entries carry the configured revision attribute, so a full read can fall back
 * to modifyTimestamp where the configured one does not exist (whenChanged on OpenLDAP).
 */
export class RevisionCheck {
  private sawConfigured = false;
  private sawModifyTimestamp = false;
  /** Whether revision values were requested (see `attributes`) and are worth looking at. */
  private active = false;

  constructor(private readonly configured: string) {}

  /**
   * Revision values are read only to notice a configured attribute the server lacks. modifyTimestamp
   * always exists, so with it nothing extra is transferred.
   */
  attributes(revisionAttr: string): string[] {
    const names = [revisionAttr, this.configured];
    if (names.every((n) => n.toLowerCase() === 'modifytimestamp')) return [];
    this.active = true;
    return [...names, 'modifyTimestamp'];
  }

  note(view: EntryView): void {
    if (!this.active) return;
    if (view.first(this.configured) !== undefined) this.sawConfigured = true;
    if (view.first('modifyTimestamp') !== undefined) this.sawModifyTimestamp = true;
  }

  /**
   * The configured revision attribute, unless entries lack it and carry modifyTimestamp:
   * OpenLDAP has no whenChanged, and a filter on it would find nothing, forever.
   */
  effective(warnings: string[]): string {
    const configured = this.configured;
    if (
      !this.sawConfigured &&
      this.sawModifyTimestamp &&
      configured.toLowerCase() !== 'modifytimestamp'
    ) {
      warnings.push(
        `Entries have no ${configured} (sync.revisionDateAttribute); incremental reads use modifyTimestamp instead.`,
      );
      return 'modifyTimestamp';
    }
    return configured;
  }
}
