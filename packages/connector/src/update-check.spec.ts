import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkForUpdate, compareVersions, UpdateFeedNotConfiguredError } from './update-check';

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
      { name: 'bwdc-linux-arm64-2.1.0.tar.gz', browser_download_url: 'https://example.com/arm' },
      { name: 'bwdc-linux-x64-2.1.0.tar.gz', browser_download_url: 'https://example.com/x64' },
    ],
  };
  const url = 'http://127.0.0.1/x';

  it('finds a newer GitHub release and the asset for the platform and architecture', async () => {
    const info = await checkForUpdate({
      currentVersion: '2.0.9',
      platform: 'linux',
      arch: 'x64',
      fetch: feed(release),
      feedUrl: url,
    });
    expect(info).toEqual({
      currentVersion: '2.0.9',
      latestVersion: '2.1.0',
      updateAvailable: true,
      downloadUrl: 'https://example.com/x64',
    });
  });

  it('falls back to the release page when no asset fits', async () => {
    const info = await checkForUpdate({
      currentVersion: '1.0.0',
      platform: 'darwin',
      fetch: feed(release),
      feedUrl: url,
    });
    expect(info.downloadUrl).toBe('https://example.com/r/v2.1.0');
  });

  it('takes the newest published release from a GitHub releases list', async () => {
    const info = await checkForUpdate({
      currentVersion: '2.0.0',
      platform: 'darwin',
      fetch: feed([
        { tag_name: 'v3.0.0-rc.1', prerelease: true, html_url: 'https://example.com/rc' },
        { tag_name: 'v2.9.0', draft: true, html_url: 'https://example.com/draft' },
        { tag_name: 'v2.5.0', html_url: 'https://example.com/r/v2.5.0' },
      ]),
      feedUrl: url,
    });
    expect(info).toMatchObject({
      latestVersion: '2.5.0',
      downloadUrl: 'https://example.com/r/v2.5.0',
    });
  });

  it('reads a plain {"version", "url"} feed', async () => {
    const info = await checkForUpdate({
      currentVersion: '1.0.0',
      fetch: feed({ version: '1.2.0', url: 'https://intranet.example.com/bwdc/' }),
      feedUrl: url,
    });
    expect(info).toMatchObject({
      latestVersion: '1.2.0',
      updateAvailable: true,
      downloadUrl: 'https://intranet.example.com/bwdc/',
    });
  });

  it('says nothing is newer for the same or an older release', async () => {
    for (const currentVersion of ['2.1.0', '10.0.0']) {
      expect(
        (await checkForUpdate({ currentVersion, fetch: feed(release), feedUrl: url }))
          .updateAvailable,
      ).toBe(false);
    }
  });

  it('reads the feed from BWDC_UPDATE_FEED and says plainly when none is configured', async () => {
    const fetchSpy = jest.fn(feed(release));
    await checkForUpdate({
      currentVersion: '1.0.0',
      env: { BWDC_UPDATE_FEED: 'https://feed.example.com/latest' },
      fetch: fetchSpy,
    });
    expect(fetchSpy).toHaveBeenCalledWith('https://feed.example.com/latest', expect.anything());

    const none = checkForUpdate({ currentVersion: '1.0.0', env: {}, fetch: fetchSpy });
    await expect(none).rejects.toBeInstanceOf(UpdateFeedNotConfiguredError);
    await expect(none).rejects.toThrow('No release feed is configured');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('refuses a feed that is not an http(s) address', async () => {
    await expect(
      checkForUpdate({ currentVersion: '1.0.0', feedUrl: 'file:///etc/passwd', fetch: feed({}) }),
    ).rejects.toThrow('The release feed "file:///etc/passwd" is not an http(s) address.');
  });

  it('names the feed when it fails or is malformed', async () => {
    await expect(
      checkForUpdate({ currentVersion: '1.0.0', fetch: feed({}, 503), feedUrl: url }),
    ).rejects.toMatchObject({
      code: 'UPDATE_CHECK_FAILED',
      message: 'Could not check for updates at http://127.0.0.1/x: HTTP 503',
    });
    await expect(
      checkForUpdate({ currentVersion: '1.0.0', fetch: feed({ name: 'x' }), feedUrl: url }),
    ).rejects.toThrow(`The release feed ${url} is neither a GitHub release`);
  });
});

describe('checkForUpdate against a feed on loopback', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/latest') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ tag_name: 'v7.0.0', html_url: 'https://example.com/v7' }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads it over HTTP with the global fetch', async () => {
    await expect(
      checkForUpdate({ currentVersion: '6.9.9', feedUrl: `${base}/latest` }),
    ).resolves.toMatchObject({ latestVersion: '7.0.0', updateAvailable: true });
    await expect(
      checkForUpdate({ currentVersion: '6.9.9', feedUrl: `${base}/missing` }),
    ).rejects.toThrow(`Could not check for updates at ${base}/missing: HTTP 404`);
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
