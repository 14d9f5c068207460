import { BwdcError } from '@bwdc/core';

/** Where `bwdc update` looks: a GitHub-style "latest release" document. */
export const DEFAULT_RELEASE_FEED = 'https://api.github.com/repos/bwdc/bwdc/releases/latest';

export interface UpdateInfo {
  readonly currentVersion: string;
  readonly latestVersion: string;
  readonly updateAvailable: boolean;
  /** The asset for this platform, else the release page. */
  readonly downloadUrl: string | undefined;
}

const PLATFORM_ASSET: Partial<Record<NodeJS.Platform, string>> = {
  win32: 'windows',
  darwin: 'macos',
  linux: 'linux',
};

/** Reads the release feed and compares its `tag_name` (`v1.2.3`) with the running version. */
export async function checkForUpdate(options: {
  currentVersion: string;
  feedUrl?: string;
  platform?: NodeJS.Platform;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}): Promise<UpdateInfo> {
  const feedUrl = options.feedUrl ?? DEFAULT_RELEASE_FEED;
  const doFetch = options.fetch ?? fetch;
  let release: {
    tag_name?: unknown;
    html_url?: unknown;
    assets?: { name?: unknown; browser_download_url?: unknown }[];
  };
  try {
    const response = await doFetch(feedUrl, {
      headers: { accept: 'application/json' },
      signal: options.signal ?? AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    release = (await response.json()) as typeof release;
  } catch (error) {
    throw new BwdcError(
      'BITWARDEN_REQUEST_FAILED',
      `Could not check for updates at ${feedUrl}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (typeof release.tag_name !== 'string') {
    throw new BwdcError('BITWARDEN_REQUEST_FAILED', `The release feed ${feedUrl} has no tag_name.`);
  }
  const latestVersion = release.tag_name.replace(/^v/, '');
  const platformName = PLATFORM_ASSET[options.platform ?? process.platform];
  const asset = (release.assets ?? []).find(
    (a) =>
      typeof a.name === 'string' &&
      a.name.endsWith('.zip') &&
      platformName !== undefined &&
      a.name.includes(`bwdc-${platformName}`),
  );
  const downloadUrl =
    typeof asset?.browser_download_url === 'string'
      ? asset.browser_download_url
      : typeof release.html_url === 'string'
        ? release.html_url
        : undefined;
  return {
    currentVersion: options.currentVersion,
    latestVersion,
    updateAvailable: compareVersions(latestVersion, options.currentVersion) > 0,
    downloadUrl,
  };
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
