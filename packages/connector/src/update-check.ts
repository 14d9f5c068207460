import { BwdcError } from '@bwdc/core';

/** The variable naming the release feed that `bwdc update` and the app's Check for Updates read. */
export const UPDATE_FEED_VARIABLE = 'BWDC_UPDATE_FEED';

/**
 * bwdc has no release feed of its own to point at, so none is built in: whoever ships bwdc to a
 * company names the feed its builds are published to, and until then the check says so plainly.
 */
export class UpdateFeedNotConfiguredError extends BwdcError {
  constructor() {
    super('CONFIG_INVALID', 'No release feed is configured, so bwdc cannot check for updates.', {
      actions: [
        `set ${UPDATE_FEED_VARIABLE} (or pass --feed) to the address of your releases: a GitHub ` +
          'releases API (https://api.github.com/repos/<owner>/<repo>/releases/latest) or a JSON ' +
          'document {"version": "1.2.3", "url": "<download page>"}',
      ],
    });
  }
}

export interface UpdateInfo {
  readonly currentVersion: string;
  readonly latestVersion: string;
  readonly updateAvailable: boolean;
  /** The asset for this platform, else the release page. */
  readonly downloadUrl: string | undefined;
}

/** The part of a release that matters here, whichever feed shape it came from. */
interface Release {
  readonly version: string;
  readonly pageUrl: string | undefined;
  readonly assets: readonly { name: string; url: string }[];
}

const PLATFORM_ASSET: Partial<Record<NodeJS.Platform, string>> = {
  win32: 'windows',
  darwin: 'macos',
  linux: 'linux',
};

/**
 * Reads the release feed and compares its newest version with the running one. The feed is
 * `options.feedUrl`, else `BWDC_UPDATE_FEED`; without either, UpdateFeedNotConfiguredError. It may
 * be a GitHub release (`releases/latest`), a GitHub releases list (the newest that is neither a
 * draft nor a prerelease counts), or `{"version", "url", "assets"?}`.
 */
export async function checkForUpdate(options: {
  currentVersion: string;
  feedUrl?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}): Promise<UpdateInfo> {
  const feedUrl = options.feedUrl || (options.env ?? process.env)[UPDATE_FEED_VARIABLE];
  if (!feedUrl) throw new UpdateFeedNotConfiguredError();
  if (!/^https?:\/\/[^/]/i.test(feedUrl)) {
    throw new BwdcError(
      'CONFIG_INVALID',
      `The release feed "${feedUrl}" is not an http(s) address.`,
      { actions: [`set ${UPDATE_FEED_VARIABLE} to the feed's https:// address`] },
    );
  }
  const doFetch = options.fetch ?? fetch;
  let body: unknown;
  try {
    const response = await doFetch(feedUrl, {
      headers: { accept: 'application/json' },
      signal: options.signal ?? AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new BwdcError(
      'UPDATE_CHECK_FAILED',
      `Could not check for updates at ${feedUrl}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const release = readRelease(body);
  if (!release) {
    throw new BwdcError(
      'UPDATE_CHECK_FAILED',
      `The release feed ${feedUrl} is neither a GitHub release (tag_name) nor {"version", "url"}.`,
    );
  }
  return {
    currentVersion: options.currentVersion,
    latestVersion: release.version,
    updateAvailable: compareVersions(release.version, options.currentVersion) > 0,
    downloadUrl:
      pickAsset(
        release.assets,
        options.platform ?? process.platform,
        options.arch ?? process.arch,
      ) ?? release.pageUrl,
  };
}

function readRelease(body: unknown): Release | undefined {
  if (Array.isArray(body)) {
    const published = body.find(
      (r: unknown) => isObject(r) && r.draft !== true && r.prerelease !== true,
    );
    return published === undefined ? undefined : readRelease(published);
  }
  if (!isObject(body)) return undefined;
  const version =
    typeof body.tag_name === 'string'
      ? body.tag_name
      : typeof body.version === 'string'
        ? body.version
        : undefined;
  if (!version) return undefined;
  const pageUrl =
    typeof body.html_url === 'string'
      ? body.html_url
      : typeof body.url === 'string' && body.tag_name === undefined
        ? body.url
        : undefined;
  const assets = (Array.isArray(body.assets) ? body.assets : []).flatMap((a: unknown) =>
    isObject(a) && typeof a.name === 'string' && typeof a.browser_download_url === 'string'
      ? [{ name: a.name, url: a.browser_download_url }]
      : [],
  );
  return { version: version.replace(/^v/, ''), pageUrl, assets };
}

/** `bwdc-linux-x64…` before `bwdc-linux…`; the release page when no asset is for this platform. */
function pickAsset(
  assets: Release['assets'],
  platform: NodeJS.Platform,
  arch: string,
): string | undefined {
  const name = PLATFORM_ASSET[platform];
  if (!name) return undefined;
  const forPlatform = assets.filter((a) => a.name.startsWith(`bwdc-${name}`));
  return (forPlatform.find((a) => a.name.startsWith(`bwdc-${name}-${arch}`)) ?? forPlatform[0])
    ?.url;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Compares dotted numeric versions; a non-numeric part compares as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const diff = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
