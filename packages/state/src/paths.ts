import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { isSea } from 'node:sea';

export const APPLICATION_NAME = 'Bitwarden Directory Connector';
export const PORTABLE_DATA_DIR = 'bitwarden-connector-appdata';
export const DATA_FILE_NAME = 'data.json';

/**
 * The bwdc program that is running, for the portable data folder beside it. The standalone binary
 * and the desktop app are the executable itself (its real location); the npm-installed CLI is the
 * script node runs, as it was started (`bin/run.js`, or the `bwdc` link to it on PATH), not node.
 */
export function bwdcExecutable(
  proc: Pick<NodeJS.Process, 'argv' | 'execPath' | 'versions'> = process,
  standalone: boolean = isSea(),
): string {
  if (standalone || proc.versions.electron !== undefined || !proc.argv[1]) return proc.execPath;
  return proc.argv[1];
}

/**
 * The data folder, found as the official CLI finds it, so both read the same data.json. The first
 * match wins: `BITWARDENCLI_CONNECTOR_APPDATA_DIR`, `BITWARDEN_CONNECTOR_APPDATA_DIR`, a
 * `bitwarden-connector-appdata` folder beside the bwdc executable (portable installs), then the
 * platform's configuration folder.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  execPath: string = bwdcExecutable(),
  platform: NodeJS.Platform = process.platform,
  home: string = env.HOME ?? homedir(),
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (env.BITWARDENCLI_CONNECTOR_APPDATA_DIR)
    return p.resolve(env.BITWARDENCLI_CONNECTOR_APPDATA_DIR);
  if (env.BITWARDEN_CONNECTOR_APPDATA_DIR) return p.resolve(env.BITWARDEN_CONNECTOR_APPDATA_DIR);
  const portable = p.join(p.dirname(execPath), PORTABLE_DATA_DIR);
  if (existsSync(portable)) return portable;
  if (platform === 'darwin')
    return p.join(home, 'Library', 'Application Support', APPLICATION_NAME);
  if (platform === 'win32')
    return p.join(env.APPDATA ?? p.join(home, 'AppData', 'Roaming'), APPLICATION_NAME);
  if (env.XDG_CONFIG_HOME) return p.join(env.XDG_CONFIG_HOME, APPLICATION_NAME);
  return p.join(home, '.config', APPLICATION_NAME);
}
