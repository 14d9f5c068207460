import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Bitwarden server the folder was logged in to (the emulator's fields of the same names). */
export interface OfficialServer {
  readonly url: string;
  readonly apiUrl: string;
  readonly identityUrl: string;
  readonly organizationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/**
 * A data.json as the official Directory Connector (state version 8) leaves it after a sync, for
 * tests of switching to bwdc. Written by hand in the official shape: its key names, its sync
 * settings, a directory section, the sync cache (`lastSyncHash`, delta tokens, last sync times)
 * and, in plaintext mode, the login (`accessToken`, the API key) as top-level keys.
 */
export interface OfficialFolder {
  readonly directoryType: 0 | 1 | 2 | 3 | 4;
  /** `directoryEntra`, `directoryGsuite`, ... */
  readonly sectionKey: string;
  readonly section: Record<string, unknown>;
  readonly sync?: Record<string, unknown>;
  /** The request JSON the official connector posted last, exactly as it hashed it. */
  readonly lastRequestJson: string;
  /** Plaintext mode: secrets in the file, as the official connector keeps them then. */
  readonly plaintext: boolean;
  readonly extra?: Record<string, unknown>;
}

export const OFFICIAL_SYNC = {
  users: true,
  groups: true,
  interval: 5,
  userFilter: null,
  groupFilter: null,
  removeDisabled: false,
  overwriteExisting: false,
  largeImport: false,
  inviteUsersAfterProvisioning: false,
};

/** base64(sha256(apiUrl + orgId + JSON)): the official `lastSyncHash`. */
export function officialHash(apiUrl: string, organizationId: string, json: string): string {
  return createHash('sha256')
    .update(apiUrl + organizationId + json, 'utf8')
    .digest('base64');
}

/** An access token as the server issues it, which the official connector stores at login. */
export async function accessTokenFrom(bw: OfficialServer): Promise<string> {
  const res = await fetch(`${bw.identityUrl}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'api.organization',
      client_id: bw.clientId,
      client_secret: bw.clientSecret,
      deviceType: '8',
      deviceIdentifier: '5d3c1f0e-8a61-4a5b-9f3e-2b7f4e0c9a11',
      deviceName: 'linux',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function writeOfficialFolder(
  dataDir: string,
  bw: OfficialServer,
  folder: OfficialFolder,
): Promise<Record<string, unknown>> {
  const document: Record<string, unknown> = {
    stateVersion: 8,
    appId: '5d3c1f0e-8a61-4a5b-9f3e-2b7f4e0c9a11',
    installedVersion: '2026.6.1',
    locale: 'en',
    directoryType: folder.directoryType,
    organizationId: bw.organizationId,
    entityId: bw.organizationId,
    environmentUrls: { base: bw.url, api: null, identity: null, webVault: null },
    sync: { ...OFFICIAL_SYNC, ...folder.sync },
    [folder.sectionKey]: folder.section,
    syncingDir: false,
    lastSyncHash: officialHash(bw.apiUrl, bw.organizationId, folder.lastRequestJson),
    userDeltaToken: 'https://graph.microsoft.com/v1.0/users/delta?$deltatoken=official-users',
    groupDeltaToken: 'https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=official-groups',
    lastUserSync: '2026-11-20T08:15:00.000Z',
    lastGroupSync: '2026-11-20T08:15:00.000Z',
    enableTray: true,
    ...(folder.plaintext
      ? {
          accessToken: await accessTokenFrom(bw),
          apiKeyClientId: bw.clientId,
          apiKeyClientSecret: bw.clientSecret,
        }
      : {}),
    ...folder.extra,
  };
  writeFileSync(join(dataDir, 'data.json'), `${JSON.stringify(document, null, 2)}\n`, {
    mode: 0o600,
  });
  return document;
}
