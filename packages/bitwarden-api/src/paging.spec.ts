import { CancelledError } from '@bwdc/core';
import { BitwardenApiError } from './errors';
import { readAllPages, type ListPage } from './paging';

describe('readAllPages', () => {
  it('follows continuationToken, passing it back as a query parameter, until it is null', async () => {
    const pages: Record<string, ListPage<number>> = {
      '/public/members': { data: [1, 2], continuationToken: 'a b' },
      '/public/members?continuationToken=a%20b': { data: [3], continuationToken: 'c' },
      '/public/members?continuationToken=c': { data: [4], continuationToken: null },
    };
    const asked: string[] = [];
    const all = await readAllPages('/public/members', async (path) => {
      asked.push(path);
      return pages[path]!;
    });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual(Object.keys(pages));
  });

  it('takes a page without a token as the last', async () => {
    expect(await readAllPages('/x', async () => ({ data: ['only'] }))).toEqual(['only']);
  });

  it('refuses a server that repeats a token instead of looping forever', async () => {
    const read = readAllPages('/public/groups', async () => ({
      data: [1],
      continuationToken: 't',
    }));
    await expect(read).rejects.toBeInstanceOf(BitwardenApiError);
    await expect(read).rejects.toThrow(/repeated the continuation token after 2 page/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      readAllPages('/x', async () => ({ data: [] }), controller.signal),
    ).rejects.toBeInstanceOf(CancelledError);
  });
});
