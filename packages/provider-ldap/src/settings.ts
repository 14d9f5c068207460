import {
  filterCorrection,
  withLdapSyncDefaults,
  type LdapConfig,
  type SyncConfig,
} from '@bwdc/core';
import { filterSetting, parseFilter, type FilterKind } from '@bwdc/directory-provider';
import { LdapError } from './errors';
import { LDAP_FILTER_SYNTAX, ldapFilterMessage, parenthesized } from './filter';
import { normalizeDn } from './values';

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
  /** The LDAP part of sync.userFilter, parenthesized and ANDed into the user search. */
  readonly userFilter: string | undefined;
  readonly groupFilter: string | undefined;
}

/**
 * Resolves the effective settings: what the admin set, and for the rest the defaults of the kind
 * of directory (`ldap.ad`). Throws an LdapError (DIRECTORY_NOT_CONFIGURED) naming the setting.
 */
export function resolveSettings(config: LdapConfig, rawSync: SyncConfig): LdapSettings {
  const sync = withLdapSyncDefaults(config, rawSync);
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
    userObjectClass: sync.userObjectClass,
    groupObjectClass: sync.groupObjectClass,
    userEmailAttribute: sync.userEmailAttribute,
    groupNameAttribute: sync.groupNameAttribute,
    memberAttribute: sync.memberAttribute,
    emailPrefixAttribute: sync.useEmailPrefixSuffix ? sync.emailPrefixAttribute : undefined,
    emailSuffix: sync.useEmailPrefixSuffix ? sync.emailSuffix : undefined,
    revisionDateAttribute: sync.revisionDateAttribute,
    userFilter: ldapFilter(url, 'user', sync.userFilter),
    groupFilter: ldapFilter(url, 'group', sync.groupFilter),
  };
}

/**
 * The LDAP part of a filter setting, parenthesized (`mail=*` becomes `(mail=*)`), checked before
 * it reaches the server. The include/exclude clause is the sync engine's to apply.
 */
function ldapFilter(url: string, kind: FilterKind, text: string | undefined): string | undefined {
  const native = parseFilter(text, LDAP_FILTER_SYNTAX, kind).native;
  if (native === undefined) return undefined;
  const problem = ldapFilterMessage(kind, native);
  if (problem) {
    throw new LdapError('DIRECTORY_NOT_CONFIGURED', 'invalid-filter', url, problem, {
      actions: [filterCorrection(filterSetting(kind))],
    });
  }
  return parenthesized(native);
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
 * here the whole rootPath is used as the root then, so `o=company` trees work too. A prefix that
 * already ends with the root (a full DN pasted as the path, or the root itself to search the
 * whole domain) is used as it is, where upstream would append the root a second time.
 */
export function searchPath(
  prefix: string | undefined,
  rootDn: string | undefined,
): string | undefined {
  const p = prefix?.trim();
  if (p && rootDn) {
    const full = normalizeDn(p);
    const root = normalizeDn(rootDn);
    return full === root || full.endsWith(`,${root}`) ? p : `${p},${rootDn}`;
  }
  return p || rootDn;
}
