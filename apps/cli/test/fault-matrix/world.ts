/**
 * One scenario's world for the fault matrix: a data folder bwdc is configured and logged in to
 * (written as bwdc writes it, so a scenario does not pay for six CLI runs of setup), the real
 * Bitwarden emulator, and a directory: a CSV file or a real slapd. Every scenario has its own, so
 * scenarios run side by side.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startBitwardenEmulator,
  type BitwardenEmulator,
  type BitwardenEmulatorOptions,
  type RecordedRequest,
} from '@bwdc/emulator-bitwarden';
import type { RunningLdapServer } from '@bwdc/tools-ldap';
import { accessTokenFrom } from '../../src/testing/official-folder';
import { runBwdc, spawnBwdc, type BwdcResult } from '../../src/testing/run-bwdc';

export interface World {
  readonly dataDir: string;
  readonly dataFile: string;
  readonly env: Record<string, string>;
  readonly bw: BitwardenEmulator;
  /** The CSV directory file (file worlds). */
  readonly directoryFile: string;
  bwdc(...args: string[]): Promise<BwdcResult>;
  /** bwdc with extra environment variables. */
  bwdcWith(env: Record<string, string | undefined>, ...args: string[]): Promise<BwdcResult>;
  spawn(...args: string[]): ReturnType<typeof spawnBwdc>;
  /** data.json as bytes, to compare byte for byte. */
  raw(): Buffer;
  data(): Record<string, unknown>;
  /** Every request the server received since the world was set up. */
  requests(): RecordedRequest[];
  /** What the server received: the import requests, in order. */
  imports(): RecordedRequest[];
  /** Requests other than GETs and token requests: anything that could change the organization. */
  writes(): RecordedRequest[];
  /** Emails of the members with an externalId (the ones a sync manages), sorted. */
  managed(): string[];
  /** Emails of a group's members in the organization, sorted. */
  groupMembers(name: string): string[];
  writeDirectory(csv: string): void;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly emulator?: BitwardenEmulatorOptions;
  readonly sync?: Record<string, unknown>;
  /** File worlds: the CSV (default: `csv(12)`). */
  readonly csv?: string;
  /** LDAP worlds: the server to read (with the fixture's layout: ou=people, ou=groups). */
  readonly ldap?: RunningLdapServer;
  /** Put the data folder somewhere else (a small disk). */
  readonly dataDir?: string;
}

/**
 * `type,email,id,name,groups` rows: user1..userN, each in `group` (Staff) unless told otherwise,
 * then a row for each of `declare`: groups that stay in the directory even when no user is in them.
 */
export function csvWithGroups(
  users: number,
  group: (i: number) => string,
  declare: readonly string[],
): string {
  const rows = ['type,email,id,name,groups'];
  for (let i = 1; i <= users; i++) rows.push(`user,user${i}@example.com,U${i},,${group(i)}`);
  for (const name of declare) rows.push(`group,,,${name},`);
  return `${rows.join('\n')}\n`;
}

/** `email,id,groups` rows: user1..userN, each in `group` (Staff) unless told otherwise. */
export function csv(
  users: number,
  options: { skip?: number[]; group?: (i: number) => string; email?: (i: number) => string } = {},
): string {
  const rows = ['email,id,groups'];
  for (let i = 1; i <= users; i++) {
    if (options.skip?.includes(i)) continue;
    rows.push(
      `${options.email?.(i) ?? `user${i}@example.com`},U${i},${options.group?.(i) ?? 'Staff'}`,
    );
  }
  return `${rows.join('\n')}\n`;
}

const LDAP_SYNC = {
  userPath: 'ou=people',
  groupPath: 'ou=groups',
  userObjectClass: 'inetOrgPerson',
  groupObjectClass: 'groupOfNames',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'cn',
  memberAttribute: 'member',
};

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const bw = await startBitwardenEmulator({ seats: null, ...options.emulator });
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bwdc-matrix-'));
  const work = mkdtempSync(join(tmpdir(), 'bwdc-matrix-dir-'));
  const directoryFile = join(work, 'directory.csv');
  writeFileSync(directoryFile, options.csv ?? csv(12));
  const dataFile = join(dataDir, 'data.json');
  const ldap = options.ldap;
  const document: Record<string, unknown> = {
    stateVersion: 9,
    writtenBy: 'bwdc',
    appId: randomUUID(),
    directoryType: ldap ? 0 : 100,
    organizationId: bw.organizationId,
    entityId: bw.organizationId,
    environmentUrls: { base: bw.url },
    sync: {
      users: true,
      groups: true,
      removeMissingUsers: true,
      ...(ldap ? LDAP_SYNC : {}),
      ...options.sync,
    },
    ...(ldap
      ? {
          directoryLdap: {
            id: randomUUID(),
            hostname: ldap.host,
            port: ldap.port,
            ssl: false,
            startTls: false,
            rootPath: ldap.baseDn,
            username: ldap.bindDn,
            password: ldap.bindPassword,
            ad: false,
            pagedSearch: true,
          },
        }
      : { directoryFile: { path: directoryFile } }),
    // Plaintext mode: the login as the official connector keeps it then.
    accessToken: await accessTokenFrom(bw),
    apiKeyClientId: bw.clientId,
    apiKeyClientSecret: bw.clientSecret,
  };
  writeFileSync(dataFile, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  // The token request above is the world's, not the scenario's.
  const setupRequests = bw.requests.length;
  const env = {
    BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
    BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
  };
  const isWrite = (r: RecordedRequest) => r.method !== 'GET' && !r.path.endsWith('/connect/token');
  return {
    dataDir,
    dataFile,
    env,
    bw,
    directoryFile,
    bwdc: (...args) => runBwdc(args, env),
    bwdcWith: (extra, ...args) => runBwdc(args, { ...env, ...extra }),
    spawn: (...args) => spawnBwdc(args, env),
    raw: () => readFileSync(dataFile),
    data: () => JSON.parse(readFileSync(dataFile, 'utf8')) as Record<string, unknown>,
    requests: () => bw.requests.slice(setupRequests),
    imports: () => bw.requests.filter((r) => r.path.endsWith('/public/organization/import')),
    writes: () => bw.requests.filter(isWrite),
    managed: () =>
      bw.org
        .members()
        .filter((m) => m.externalId !== null)
        .map((m) => m.email)
        .sort(),
    groupMembers: (name) =>
      [...(bw.org.groups().find((g) => g.name === name)?.memberEmails ?? [])].sort(),
    writeDirectory: (text) => writeFileSync(directoryFile, text),
    async close() {
      await bw.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The checkpoint data.json keeps for the organization: members and group counts. */
export function recorded(world: World): {
  members: string[] | undefined;
  groupMemberCounts: Record<string, number> | undefined;
} {
  const entries = (world.data().managedMembers ?? []) as {
    organizationId: string;
    members?: { email: string }[];
    groupMemberCounts?: Record<string, number>;
  }[];
  const entry = entries.find((e) => e.organizationId === world.bw.organizationId);
  return {
    members: entry?.members?.map((m) => m.email).sort(),
    groupMemberCounts: entry?.groupMemberCounts,
  };
}

/** Fails when text carries a raw control character (other than line breaks) or BIDI override. */
export function assertNoRawControls(text: string): void {
  // eslint-disable-next-line no-control-regex
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(text);
  if (raw) {
    throw new Error(
      `raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} in output: ${JSON.stringify(text.slice(Math.max(0, raw.index - 40), raw.index + 40))}`,
    );
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `done()` holds, polling; fails after `ms`. */
export async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
