import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { getAsset, isSea } from 'node:sea';

/** The built renderer's files, by their path in the site ("index.html", "assets/index-1a2b.js"). */
export interface StaticFiles {
  /** The file's bytes, or undefined when there is no such file. */
  read(path: string): Promise<Uint8Array | undefined>;
}

/** The folder vite builds the renderer into (`dist/renderer` of this package). */
export const RENDERER_DIR = join(__dirname, '..', 'renderer');

/** The prefix of the renderer's files among the standalone binary's assets. */
export const RENDERER_ASSET_PREFIX = 'renderer/';

/** Files under a folder; a path that leads outside it (`..`, encoded or not) reads nothing. */
export function filesInFolder(dir: string): StaticFiles {
  const root = resolve(dir);
  return {
    async read(path) {
      const file = resolve(root, path);
      if (!file.startsWith(root + sep)) return undefined;
      return readFile(file).catch(() => undefined);
    },
  };
}

/**
 * The renderer this bwdc runs with: inside the standalone binary (a Node single-executable
 * application) the files are its assets, since nothing lies beside it; otherwise `RENDERER_DIR`.
 */
export function builtRenderer(): StaticFiles {
  if (!isSea()) return filesInFolder(RENDERER_DIR);
  return {
    async read(path) {
      try {
        return new Uint8Array(getAsset(`${RENDERER_ASSET_PREFIX}${path}`));
      } catch {
        return undefined;
      }
    },
  };
}
