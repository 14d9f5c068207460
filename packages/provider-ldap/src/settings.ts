import { applyActiveDirectoryDefaults, type LdapConfig, type SyncConfig } from '@bwdc/core';
import { BASIC_KEYWORDS, parseFilter, type FilterClause } from '@bwdc/directory-provider';
import { LdapError } from './errors';

/**
 * What the provider uses when a `sync.*` LDAP field is unset and `ldap.ad` is off. The
 * official connector leaves them empty (its GUI pre-fills similar values); these suit a stock
 * OpenLDAP / 389ds / FreeIPA tree. With `ldap.ad` on, the official AD defaults apply instead.
 */
export const NON_AD_DEFAULTS = {
  userObjectClass: 'inetOrgPerson',
  groupObjectClass: 'groupOfNames',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'cn',
  memberAttribute: 'member',
  /** OpenLDAP and 389ds have no whenChanged; modifyTimestamp is their operational equivalent. */
  revisionDateAttribute: 'modifyTimestamp',
} as const;

export interface DirectoryFilter {
  /** The include/exclude clause, applied to emails (users) or names (groups). */
  readonly clause: FilterClause | undefined;
  /** An LDAP filter ANDed into the search, always parenthesized. */
  readonly ldap: string | undefined;
}

export interface TlsFiles {
  readonly caPath: string | undefined;
  readonly caSetting: string;
  readonly certPath: string | undefined;
  readonly keyPath: string | undefined;
}

/** The provider's resolved view of `ldap.*` and `sync.*`. */
export interface LdapSettings {
  readonly url: string;
  readonly hostname: string;
  readonly port: number;
  readonly secure: boolean;
  readonly startTls: boolean;
  readonly tls: TlsFiles;
  readonly rejectUnauthorized: boolean;
  readonly username: string;
  readonly password: string;
  readonly ad: boolean;
  readonly pagedSearch: boolean;
  readonly pageSize: number;
  readonly timeLimit: number;
  readonly userIdAttribute: string | undefined;
  /** The domain part of ldap.rootPath (from its first `dc=`), or the whole rootPath without one. */
  readonly rootDn: string | undefined;
  readonly userBase: string;
  readonly groupBase: string;
  readonly userObjectClass: string;
  readonly groupObjectClass: string;
  readonly userEmailAttribute: string;
  readonly groupNameAttribute: string;
  readonly memberAttribute: string;
  readonly emailPrefixAttribute: string | undefined;
  readonly emailSuffix: string | undefined;
  readonly revisionDateAttribute: string;
  readonly userFilter: DirectoryFilter;
  readonly groupFilter: DirectoryFilter;
}

/**
 * Resolves the effective settings, applying the AD defaults exactly as the official connector
 * does on save. Throws an LdapError (DIRECTORY_NOT_CONFIGURED) naming the missing setting.
 */
export function resolveSettings(config: LdapConfig, rawSync: SyncConfig): LdapSettings {
  const sync = applyActiveDirectoryDefaults(config, rawSync);
  const hostname = config.hostname?.trim();
  const secure = config.ssl && !config.startTls;
  const url =
    `${secure ? 'ldaps' : 'ldap'}://${formatHost(hostname ?? '')}:${config.port}`.toLowerCase();
  if (!hostname) throw LdapError.notConfigured(url, 'ldap.hostname is not set.');
  if (!config.username || !config.password) {
    throw LdapError.notConfigured(
      url,
      'ldap.username and ldap.password must both be set (anonymous binds are not used).',
    );
  }
  const rootDn = domainPart(config.rootPath);
  const base = (prefix: string | undefined, setting: string): string => {
    const path = searchPath(prefix, rootDn);
    if (!path)
      throw LdapError.notConfigured(url, `no search base: set ldap.rootPath or ${setting}.`);
    return path;
  };
  const pick = <K extends keyof typeof NON_AD_DEFAULTS>(key: K): string =>
    sync[key] ?? NON_AD_DEFAULTS[key];
  return {
    url,
    hostname,
    port: config.port,
    secure,
    startTls: config.ssl && config.startTls,
    tls: secure
      ? {
          caPath: config.sslCaPath,
          caSetting: 'ldap.sslCaPath',
          certPath: config.sslCertPath,
          keyPath: config.sslKeyPath,
        }
      : // Upstream reads only tlsCaPath for StartTLS; sslCaPath is accepted as a fallback.
        {
          caPath: config.tlsCaPath ?? config.sslCaPath,
          caSetting: config.tlsCaPath ? 'ldap.tlsCaPath' : 'ldap.sslCaPath',
          certPath: config.sslCertPath,
          keyPath: config.sslKeyPath,
        },
    rejectUnauthorized: !config.sslAllowUnauthorized,
    username: config.username,
    password: config.password,
    ad: config.ad,
    pagedSearch: config.pagedSearch,
    pageSize: config.pageSize,
    timeLimit: config.timeLimit,
    userIdAttribute: config.userIdAttribute?.trim(),
    rootDn,
    userBase: base(sync.userPath, 'sync.userPath'),
    groupBase: base(sync.groupPath, 'sync.groupPath'),
    userObjectClass: pick('userObjectClass'),
    groupObjectClass: pick('groupObjectClass'),
    userEmailAttribute: pick('userEmailAttribute'),
    groupNameAttribute: pick('groupNameAttribute'),
    memberAttribute: pick('memberAttribute'),
    emailPrefixAttribute: sync.useEmailPrefixSuffix ? sync.emailPrefixAttribute : undefined,
    emailSuffix: sync.useEmailPrefixSuffix ? sync.emailSuffix : undefined,
    revisionDateAttribute: pick('revisionDateAttribute'),
    userFilter: checkedFilter(url, 'sync.userFilter', sync.userFilter),
    groupFilter: checkedFilter(url, 'sync.groupFilter', sync.groupFilter),
  };
}

function checkedFilter(url: string, setting: string, text: string | undefined): DirectoryFilter {
  const filter = parseDirectoryFilter(text);
  const problem = filter.ldap === undefined ? undefined : ldapFilterProblem(filter.ldap);
  if (problem) {
    throw new LdapError(
      'DIRECTORY_NOT_CONFIGURED',
      'invalid-filter',
      url,
      `${setting}: "${filter.ldap}" is not a valid LDAP filter: ${problem}.`,
    );
  }
  return filter;
}

/**
 * ldapts forgives malformed filters (an unclosed parenthesis silently changes the query), so
 * the structure is checked here: one parenthesized expression, balanced, no empty items.
 */
export function ldapFilterProblem(filter: string): string | undefined {
  let depth = 0;
  let closedTop = false;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (closedTop && c.trim() !== '')
      return `text after the closing parenthesis at position ${i + 1}`;
    if (c === '(') {
      if (filter[i + 1] === ')') return `an empty "()" at position ${i + 1}`;
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth < 0) return `an unmatched ")" at position ${i + 1}`;
      if (depth === 0) closedTop = true;
    } else if (depth === 0 && c.trim() !== '') {
      return 'it must be enclosed in parentheses';
    }
  }
  return depth > 0 ? `${depth} unclosed "("` : undefined;
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The official connector's rule: rootPath from its first `dc=` on. */
export function domainPart(rootPath: string | undefined): string | undefined {
  const trimmed = rootPath?.trim();
  if (!trimmed) return undefined;
  const at = trimmed.toLowerCase().indexOf('dc=');
  return at < 0 ? trimmed : trimmed.slice(at);
}

/**
 * `prefix,rootDn`, as upstream. Upstream searches the prefix alone when rootPath has no `dc=`;
 * here the whole rootPath is used as the root then, so `o=company` trees work too.
 */
export function searchPath(
  prefix: string | undefined,
  rootDn: string | undefined,
): string | undefined {
  const p = prefix?.trim();
  if (p && rootDn) return `${p},${rootDn}`;
  return p || rootDn;
}

/**
 * LDAP filters keep upstream's meaning: a filter starting with `(` is an LDAP filter, whole. Any
 * other text is the shared language, `include:a,b|<ldap filter>` / `exclude:...`.
 */
export function parseDirectoryFilter(text: string | undefined): DirectoryFilter {
  const trimmed = text?.trim();
  if (!trimmed) return { clause: undefined, ldap: undefined };
  if (trimmed.startsWith('(')) return { clause: undefined, ldap: trimmed };
  const parsed = parseFilter(trimmed, BASIC_KEYWORDS);
  const native = parsed.native?.trim();
  return {
    clause: parsed.clause,
    ldap: native ? (native.startsWith('(') ? native : `(${native})`) : undefined,
  };
}
