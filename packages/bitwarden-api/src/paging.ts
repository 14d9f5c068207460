/**
 * Reads every page of a Public API list. The official server answers its member and group lists
 * in one page (`continuationToken: null`), but the list model carries a token and other lists
 * (events) do page, so the client follows it rather than trusting a single page.
 */
import { throwIfCancelled } from '@bwdc/core';
import { BitwardenApiError } from './errors';

export interface ListPage<T> {
  readonly data: readonly T[];
  readonly continuationToken?: string | null;
}

/** Stops a server that keeps answering with a token: no organization has this many pages. */
const MAX_PAGES = 100_000;

export async function readAllPages<T>(
  /** `GET <path>`, with `?continuationToken=` after the first page. */
  path: string,
  fetchPage: (pathWithToken: string) => Promise<ListPage<T>>,
  signal?: AbortSignal,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | null | undefined;
  for (let pages = 0; ; pages++) {
    throwIfCancelled(signal, `Reading ${path}`);
    const page = await fetchPage(
      token ? `${path}?continuationToken=${encodeURIComponent(token)}` : path,
    );
    for (const item of page.data) all.push(item);
    token = page.continuationToken;
    if (!token) return all;
    if (seen.has(token) || pages >= MAX_PAGES) {
      throw new BitwardenApiError(`GET ${path}`, {
        status: 200,
        serverMessage: `the server repeated the continuation token after ${pages + 1} page(s); the list cannot be read to its end`,
      });
    }
    seen.add(token);
  }
}
