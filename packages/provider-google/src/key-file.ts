import { readFile } from 'node:fs/promises';
import { DirectoryError } from '@bwdc/core';

/**
 * Reads a service account's JSON key file (as downloaded from the Google Cloud console) and
 * returns the two values bwdc keeps: `gsuite.clientEmail` and `gsuite.privateKey`. This is what
 * the official app does when an admin picks the key file. Errors name the file, never the key.
 */
export async function readServiceAccountKeyFile(
  path: string,
): Promise<{ clientEmail: string; privateKey: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DirectoryError(
      'DIRECTORY_NOT_CONFIGURED',
      path,
      `cannot read the service account key file (${code}).`,
      {
        cause: error,
      },
    );
  }
  return parseServiceAccountKey(text, path);
}

/** Parses the text of a JSON key file; `origin` names it in errors. */
export function parseServiceAccountKey(
  text: string,
  origin: string,
): { clientEmail: string; privateKey: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DirectoryError(
      'DIRECTORY_NOT_CONFIGURED',
      origin,
      'is not a JSON key file (it is not JSON). Download a JSON key (not P12) for the service account.',
    );
  }
  const key = (json ?? {}) as Record<string, unknown>;
  if (key['type'] !== undefined && key['type'] !== 'service_account') {
    throw new DirectoryError(
      'DIRECTORY_NOT_CONFIGURED',
      origin,
      `is a "${String(key['type'])}" credential, not a service account key. Download a JSON key for the service account.`,
    );
  }
  const clientEmail = key['client_email'];
  const privateKey = key['private_key'];
  const missing = [
    typeof clientEmail === 'string' && clientEmail.trim() !== '' ? undefined : 'client_email',
    typeof privateKey === 'string' && privateKey.includes('PRIVATE KEY')
      ? undefined
      : 'private_key',
  ].filter((m): m is string => m !== undefined);
  if (missing.length > 0) {
    throw new DirectoryError(
      'DIRECTORY_NOT_CONFIGURED',
      origin,
      `is not a service account key file: it has no ${missing.join(' or ')}.`,
    );
  }
  return { clientEmail: (clientEmail as string).trim(), privateKey: privateKey as string };
}
