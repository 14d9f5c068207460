/** Raw HTTP helpers for the emulator's own tests: they speak to it without the bwdc client. */
import {
  startBitwardenEmulator,
  type BitwardenEmulator,
  type BitwardenEmulatorOptions,
} from '../src/index';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

const running: BitwardenEmulator[] = [];

export async function start(options: BitwardenEmulatorOptions = {}): Promise<BitwardenEmulator> {
  const e = await startBitwardenEmulator(options);
  running.push(e);
  return e;
}

export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.stop()));
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function tokenRequest(
  e: BitwardenEmulator,
  fields: Record<string, string | undefined> = {},
): Promise<Reply> {
  const form: Record<string, string> = {};
  const all: Record<string, string | undefined> = {
    grant_type: 'client_credentials',
    scope: 'api.organization',
    client_id: e.clientId,
    client_secret: e.clientSecret,
    deviceType: '8',
    deviceIdentifier: '00000000-0000-4000-8000-000000000001',
    deviceName: 'linux',
    ...fields,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) form[k] = v;
  return call(`${e.identityUrl}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

export async function accessToken(e: BitwardenEmulator): Promise<string> {
  const reply = await tokenRequest(e);
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.text}`);
  return (reply.json as { access_token: string }).access_token;
}

/** POSTs an import body (an object is JSON-encoded; a string is sent as is). */
export async function importBody(e: BitwardenEmulator, body: unknown): Promise<Reply> {
  return call(`${e.apiUrl}/public/organization/import`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await accessToken(e)}`,
      'content-type': 'application/json',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function get(e: BitwardenEmulator, path: string): Promise<Reply> {
  return call(`${e.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${await accessToken(e)}` },
  });
}

export interface M {
  email?: string | null;
  externalId: string;
  deleted?: boolean;
}

export const member = (externalId: string, email?: string, deleted = false): M => ({
  externalId,
  email: email ?? `${externalId}@example.com`,
  deleted,
});

export const group = (externalId: string, name: string, memberExternalIds: string[]) => ({
  externalId,
  name,
  memberExternalIds,
});

/** A complete import body with the official connector's defaults. */
export function body(
  parts: { members?: M[]; groups?: ReturnType<typeof group>[]; [k: string]: unknown } = {},
): Record<string, unknown> {
  return {
    groups: [],
    members: [],
    overwriteExisting: false,
    largeImport: false,
    inviteUsersAfterProvisioning: false,
    ...parts,
  };
}

export const emails = (e: BitwardenEmulator): string[] =>
  e.org
    .members()
    .map((m) => m.email)
    .sort();
