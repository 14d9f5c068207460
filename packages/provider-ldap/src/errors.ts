import { DirectoryError, fileProblem, type ErrorCode } from '@bwdc/core';

/** Why an LDAP operation failed, for callers that react differently (tests, the desktop UI). */
export type LdapFailure =
  | 'not-configured'
  | 'unreachable'
  | 'tls'
  | 'bind-rejected'
  | 'encryption-required'
  | 'no-such-base'
  | 'size-limit'
  | 'time-limit'
  | 'access-denied'
  | 'unsupported'
  | 'invalid-filter'
  | 'file'
  | 'failed';

/** Every failure of the LDAP provider: names the server URL and says what to change. */
export class LdapError extends DirectoryError {
  readonly reason: LdapFailure;

  constructor(
    code: Extract<ErrorCode, `DIRECTORY_${string}`>,
    reason: LdapFailure,
    url: string,
    message: string,
    options?: { cause?: unknown; actions?: readonly string[] },
  ) {
    super(code, url, message, options);
    this.reason = reason;
  }

  static notConfigured(url: string, message: string): LdapError {
    return new LdapError('DIRECTORY_NOT_CONFIGURED', 'not-configured', url, message);
  }
}

/** Where a failure happened, so the message can say what was being done. */
export interface FailureContext {
  readonly url: string;
  readonly operation: 'connect' | 'starttls' | 'bind' | 'search' | 'read-file';
  readonly username?: string;
  readonly base?: string;
  readonly filter?: string;
  readonly timeLimit?: number;
  readonly setting?: string;
  /** The file a `read-file` failure was reading. */
  readonly path?: string;
  /** The connection is TLS (ldaps or StartTLS). */
  readonly tls?: boolean;
}

const UNTRUSTED_CERT = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
]);

/** Maps anything ldapts, net or tls throws onto an LdapError with a message an admin can act on. */
export function toLdapError(error: unknown, ctx: FailureContext): LdapError {
  if (error instanceof LdapError) return error;
  const err = error as { code?: unknown; message?: unknown; name?: unknown };
  const code = err?.code;
  const detail = typeof err?.message === 'string' ? err.message.trim() : String(error);
  const opts = { cause: error };
  const url = ctx.url;
  const where = ctx.base
    ? ` (search base "${ctx.base}"${ctx.filter ? `, filter ${ctx.filter}` : ''})`
    : '';

  if (ctx.operation === 'read-file') {
    // The words `config` uses when the path is set.
    return new LdapError(
      'DIRECTORY_NOT_CONFIGURED',
      'file',
      url,
      fileProblem(ctx.setting ?? 'a TLS file', ctx.path ?? '', error),
      opts,
    );
  }

  if (typeof code === 'string') {
    if (UNTRUSTED_CERT.has(code)) {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `TLS: the server's certificate is not trusted (${code}). Set ldap.sslCaPath (ldaps) or ldap.tlsCaPath (StartTLS) to the CA that signed it, or, only for testing, ldap.sslAllowUnauthorized.`,
        opts,
      );
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `TLS: the server's certificate does not name the host in ldap.hostname (${detail}). Use a hostname the certificate lists.`,
        opts,
      );
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `TLS: the server's certificate is not valid now (${code}).`,
        opts,
      );
    }
    if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA/.test(code)) {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `TLS: the server refused the handshake (${code}); it may require a client certificate (ldap.sslCertPath and ldap.sslKeyPath).`,
        opts,
      );
    }
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `TLS: the server did not answer with TLS on port ${portOf(url)} (${code}). Check ldap.port, ldap.ssl and ldap.startTls.`,
        opts,
      );
    }
    if (
      code.startsWith('ERR_SSL_') ||
      code.startsWith('ERR_TLS_') ||
      code.startsWith('ERR_OSSL_')
    ) {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `TLS failed (${code}): ${detail}`,
        opts,
      );
    }
    if (
      code === 'ECONNRESET' &&
      url.startsWith('ldaps://') &&
      (ctx.operation === 'connect' || ctx.operation === 'bind')
    ) {
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'tls',
        url,
        `cannot connect to ${hostPort(url)}: the server reset the connection when TLS began, so port ${portOf(url)} probably speaks plain LDAP, not ldaps. ` +
          'Use the ldaps port (usually 636: bwdc config ldap.port 636), or StartTLS on this port (bwdc config ldap.startTls true).',
        opts,
      );
    }
    if (UNREACHABLE.has(code)) {
      const what: Record<string, string> = {
        ECONNREFUSED: 'connection refused: nothing listens there',
        ENOTFOUND: 'the host name does not resolve',
        EAI_AGAIN: 'the host name could not be resolved right now',
        ETIMEDOUT: 'the connection timed out',
        EHOSTUNREACH: 'the host is unreachable',
        ENETUNREACH: 'the network is unreachable',
        ECONNRESET:
          ctx.operation === 'connect'
            ? 'the server closed the connection during set-up (TLS mismatch?)'
            : 'the server reset the connection',
        EPIPE: 'the server closed the connection',
      };
      return new LdapError(
        'DIRECTORY_UNREACHABLE',
        'unreachable',
        url,
        `cannot connect to ${hostPort(url)}: ${what[code]}.`,
        opts,
      );
    }
  }

  if (typeof code === 'number') {
    switch (code) {
      case 49:
        return new LdapError(
          'DIRECTORY_AUTH_FAILED',
          'bind-rejected',
          url,
          `the server rejected the bind as "${ctx.username ?? ''}": wrong ldap.username or ldap.password.`,
          opts,
        );
      case 8:
      case 13:
        return new LdapError(
          'DIRECTORY_AUTH_FAILED',
          'encryption-required',
          url,
          'the server requires an encrypted connection for this bind: turn on ldap.ssl (ldaps, or StartTLS with ldap.startTls).',
          opts,
        );
      case 48:
      case 53:
        if (ctx.operation === 'bind') {
          return new LdapError(
            'DIRECTORY_AUTH_FAILED',
            'bind-rejected',
            url,
            `the server refused the bind as "${ctx.username ?? ''}": ${detail}`,
            opts,
          );
        }
        break;
      case 32:
        return new LdapError(
          'DIRECTORY_READ_FAILED',
          'no-such-base',
          url,
          `the search base "${ctx.base ?? ''}" does not exist. ${PATHS_RELATIVE}`,
          opts,
        );
      case 34:
        return ctx.operation === 'bind'
          ? new LdapError(
              'DIRECTORY_AUTH_FAILED',
              'bind-rejected',
              url,
              `ldap.username "${ctx.username ?? ''}" is not a DN, and the server wants one: give the full DN of the account, e.g. bwdc config ldap.username cn=reader,dc=example,dc=com (Active Directory also takes reader@example.com).`,
              opts,
            )
          : new LdapError(
              'DIRECTORY_READ_FAILED',
              'no-such-base',
              url,
              `the search base "${ctx.base ?? ''}" is not a DN. ldap.rootPath must be one, e.g. bwdc config ldap.rootPath dc=example,dc=com. ${PATHS_RELATIVE}`,
              opts,
            );
      case 2:
        if (ctx.operation === 'starttls') {
          return new LdapError(
            'DIRECTORY_UNREACHABLE',
            'tls',
            url,
            `the server does not offer StartTLS (${cleanDetail(detail)}): it has no TLS set up on port ${portOf(url)}. ` +
              'Set up TLS on the server, use ldaps instead (bwdc config ldap.startTls false, and the ldaps port, usually 636), ' +
              'or turn encryption off (bwdc config ldap.ssl false; the password then crosses the network in clear).',
            opts,
          );
        }
        break;
      case 4:
        return new LdapError(
          'DIRECTORY_READ_FAILED',
          'size-limit',
          url,
          `the server's size limit was hit${where}. Turn on ldap.pagedSearch, or raise the limit for the bind account.`,
          opts,
        );
      case 11:
        return new LdapError(
          'DIRECTORY_READ_FAILED',
          'size-limit',
          url,
          `an administrative limit of the server was hit${where}; a smaller ldap.pageSize may help.`,
          opts,
        );
      case 3:
        return new LdapError(
          'DIRECTORY_READ_FAILED',
          'time-limit',
          url,
          `the search took longer than the time limit (ldap.timeLimit = ${ctx.timeLimit ?? '?'} s, or the server's own limit)${where}.`,
          opts,
        );
      case 50:
        return new LdapError(
          'DIRECTORY_READ_FAILED',
          'access-denied',
          url,
          `the bind account may not read${where}.`,
          opts,
        );
      case 12:
        return new LdapError(
          'DIRECTORY_READ_FAILED',
          'unsupported',
          url,
          `the server does not support a control the search needs (paged results?)${where}. Try turning off ldap.pagedSearch.`,
          opts,
        );
      case 1:
        if (/bind must be completed|authentication/i.test(detail)) {
          return new LdapError(
            'DIRECTORY_AUTH_FAILED',
            'bind-rejected',
            url,
            `the server requires a successful bind first: ${detail}`,
            opts,
          );
        }
        break;
    }
    const name = RESULT_NAMES[code];
    return new LdapError(
      'DIRECTORY_READ_FAILED',
      'failed',
      url,
      `${ctx.operation} failed: the server answered ${name ? `"${name}" (LDAP result ${code})` : `LDAP result ${code}`}${where}: ${cleanDetail(detail)}`,
      opts,
    );
  }

  if (/Operation timed out|Connection timeout/i.test(detail)) {
    return ctx.operation === 'connect'
      ? new LdapError(
          'DIRECTORY_UNREACHABLE',
          'unreachable',
          url,
          `cannot connect to ${hostPort(url)}: the connection timed out.`,
          opts,
        )
      : new LdapError(
          'DIRECTORY_READ_FAILED',
          'time-limit',
          url,
          `the server did not answer in time${where}.`,
          opts,
        );
  }
  if (/Connection closed|Socket error|socket/i.test(detail)) {
    // TLS 1.3 servers check client certificates after the handshake and just hang up.
    const hint =
      ctx.tls && ctx.operation === 'bind'
        ? ' Over TLS this usually means the server wants a client certificate (ldap.sslCertPath and ldap.sslKeyPath) or rejected the one sent.'
        : '';
    return new LdapError(
      'DIRECTORY_UNREACHABLE',
      'unreachable',
      url,
      `the connection to ${hostPort(url)} was lost during ${ctx.operation}: ${detail}.${hint}`,
      opts,
    );
  }
  if (err?.name === 'InvalidFilterError' || /filter/i.test(detail)) {
    return new LdapError(
      'DIRECTORY_READ_FAILED',
      'invalid-filter',
      url,
      `invalid LDAP filter ${ctx.filter ?? ''}: ${detail}. Check sync.userFilter / sync.groupFilter.`,
      opts,
    );
  }
  const stage =
    ctx.operation === 'connect' || ctx.operation === 'starttls'
      ? 'DIRECTORY_UNREACHABLE'
      : ctx.operation === 'bind'
        ? 'DIRECTORY_AUTH_FAILED'
        : 'DIRECTORY_READ_FAILED';
  return new LdapError(stage, 'failed', url, `${ctx.operation} failed${where}: ${detail}`, opts);
}

/** What a missing or malformed search base is usually about. */
const PATHS_RELATIVE =
  'sync.userPath and sync.groupPath are relative to ldap.rootPath: bwdc searches <path>,<root DN> ' +
  '(a path that already ends with the root DN is used as it is). ' +
  'Check ldap.rootPath, sync.userPath and sync.groupPath, e.g. bwdc config sync.userPath ou=people.';

/** RFC 4511 names of the results not mapped above, so a raw code still says something. */
const RESULT_NAMES: Readonly<Record<number, string>> = {
  2: 'protocol error',
  7: 'authentication method not supported',
  10: 'referral',
  16: 'no such attribute',
  17: 'undefined attribute type',
  18: 'inappropriate matching',
  19: 'constraint violation',
  21: 'invalid attribute syntax',
  33: 'alias problem',
  36: 'alias dereferencing problem',
  51: 'busy',
  52: 'unavailable',
  54: 'loop detected',
  64: 'naming violation',
  80: 'other',
};

/** ldapts appends ` Code: 0x22` to the server's text; the code is said in words instead. */
function cleanDetail(detail: string): string {
  return detail.replace(/\s*Code: 0x[0-9a-f]+$/i, '');
}

function hostPort(url: string): string {
  return url.replace(/^ldaps?:\/\//, '');
}

function portOf(url: string): string {
  return /:(\d+)$/.exec(url)?.[1] ?? '?';
}
