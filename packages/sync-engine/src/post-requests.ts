import { throwIfCancelled, type ImportRequest, type Logger } from '@bwdc/core';
import type { ImportApi } from './engine-api';
import type { SyncProgress } from './types';

export interface PostOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  /**
   * Work of our own the server need not wait for, run once while it handles the largest request,
   * the one it takes longest over (naming what the import changes replays every request on a copy
   * of the organization: ~300 ms at 100k members).
   */
  readonly meanwhile: () => void;
}

/**
 * Posts the import requests one after the other and stops at the first that fails, as the
 * official connector does. Returns how many the server took.
 */
export async function postRequests(
  api: ImportApi,
  requests: readonly ImportRequest[],
  logger: Logger,
  { signal, onProgress, meanwhile }: PostOptions,
): Promise<number> {
  const total = requests.length;
  const longest = largest(requests);
  let sent = 0;
  for (const request of requests) {
    throwIfCancelled(signal, 'The sync');
    onProgress?.({ phase: 'post', done: sent, total });
    const posted = api.importOrganization(request, signal);
    if (sent === longest) {
      // Awaited below; a failure that comes while `meanwhile` runs is not left unhandled.
      posted.catch(() => undefined);
      // One turn of the event loop puts the request on the wire before the work starts.
      await new Promise((resolve) => setImmediate(resolve));
      meanwhile();
    }
    try {
      await posted;
    } catch (error) {
      logger.error(
        `Import request ${sent + 1} of ${total} failed; nothing was saved, the next sync sends everything again.`,
      );
      throw error;
    }
    sent++;
  }
  if (total > 0) onProgress?.({ phase: 'post', done: sent, total });
  return sent;
}

/** The index of the request with the most members and memberships (the first of equals). */
function largest(requests: readonly ImportRequest[]): number {
  let at = 0;
  let most = -1;
  requests.forEach((request, i) => {
    let size = request.members.length + request.groups.length;
    for (const group of request.groups) size += group.memberExternalIds.length;
    if (size > most) {
      most = size;
      at = i;
    }
  });
  return at;
}
