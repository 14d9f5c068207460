import { checkForUpdate, compareVersions } from './update-check';

const feed = (body: unknown, status = 200): typeof fetch =>
  (async () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    })) as typeof fetch;

describe('checkForUpdate', () => {
  const release = {
    tag_name: 'v2.1.0',
    html_url: 'https://example.com/r/v2.1.0',
    assets: [
      { name: 'bwdc-windows-2.1.0.zip', browser_download_url: 'https://example.com/win.zip' },
      { name: 'bwdc-linux-2.1.0.zip', browser_download_url: 'https://example.com/linux.zip' },
    ],
  };

  it('finds a newer release and the asset for the platform', async () => {
    const info = await checkForUpdate({
      currentVersion: '2.0.9',
      platform: 'linux',
      fetch: feed(release),
      feedUrl: 'http://127.0.0.1/x',
    });
    expect(info).toEqual({
      currentVersion: '2.0.9',
      latestVersion: '2.1.0',
      updateAvailable: true,
      downloadUrl: 'https://example.com/linux.zip',
    });
  });

  it('falls back to the release page when no asset fits', async () => {
    const info = await checkForUpdate({
      currentVersion: '1.0.0',
      platform: 'darwin',
      fetch: feed(release),
      feedUrl: 'http://127.0.0.1/x',
    });
    expect(info.downloadUrl).toBe('https://example.com/r/v2.1.0');
  });

  it('says nothing is newer for the same or an older release', async () => {
    expect(
      (
        await checkForUpdate({
          currentVersion: '2.1.0',
          fetch: feed(release),
          feedUrl: 'http://127.0.0.1/x',
        })
      ).updateAvailable,
    ).toBe(false);
    expect(
      (
        await checkForUpdate({
          currentVersion: '10.0.0',
          fetch: feed(release),
          feedUrl: 'http://127.0.0.1/x',
        })
      ).updateAvailable,
    ).toBe(false);
  });

  it('names the feed when it fails or is malformed', async () => {
    await expect(
      checkForUpdate({
        currentVersion: '1.0.0',
        fetch: feed({}, 503),
        feedUrl: 'http://127.0.0.1/x',
      }),
    ).rejects.toThrow('Could not check for updates at http://127.0.0.1/x: HTTP 503');
    await expect(
      checkForUpdate({
        currentVersion: '1.0.0',
        fetch: feed({ name: 'x' }),
        feedUrl: 'http://127.0.0.1/x',
      }),
    ).rejects.toThrow('The release feed http://127.0.0.1/x has no tag_name.');
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.10.0', '1.9.0', 1],
    ['2026.6.1', '2026.6.1', 0],
    ['1.2', '1.2.1', -1],
    ['2.0.0', '10.0.0', -1],
  ])('%s vs %s is %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
