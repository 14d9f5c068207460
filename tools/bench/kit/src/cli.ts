import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { timed, type Sample } from './measure';

/** The CLI this checkout builds (`apps/cli/bin/run.js`). */
export const BUILT_CLI = resolve(__dirname, '..', '..', '..', '..', 'apps', 'cli', 'bin', 'run.js');

/** A built `bwdc` with a data folder of its own, run as an admin runs it. */
export class BwdcCli {
  readonly dataDir: string;

  /** `label` names the variant in tables (`bwdc`, or `before` for another checkout's build). */
  constructor(
    readonly label: string,
    readonly bin: string,
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), 'bwdc-bench-data-'));
  }

  get env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    // The caller's own BW_* settings must not change what is measured.
    for (const [key, value] of Object.entries(process.env))
      if (!key.startsWith('BW_') && !key.startsWith('BITWARDENCLI_')) env[key] = value;
    return {
      ...env,
      BITWARDENCLI_CONNECTOR_APPDATA_DIR: this.dataDir,
      BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
      OCLIF_SKIP_NEW_VERSION_CHECK: 'true',
      NO_COLOR: '1',
    };
  }

  /**
   * Runs a command untimed (setup); throws with its stderr when it fails. Asynchronous, so
   * servers in the benchmark's own process (the Bitwarden emulator) can answer it.
   */
  async run(...args: string[]): Promise<string> {
    const child = spawn(process.execPath, [this.bin, ...args], { env: this.env });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`${this.label}: bwdc ${args[0]} exited ${code}: ${stderr}`);
    return Buffer.concat(out).toString('utf8');
  }

  /** Runs a command under the timer. */
  timed(args: readonly string[], nodeOptions: readonly string[] = []): Promise<Sample> {
    return timed({
      command: process.execPath,
      args: [...nodeOptions, this.bin, ...args],
      env: this.env,
    });
  }

  /** `bwdc config server`, `config directory`, every setting given, then `login`. */
  async setUp(
    server: string,
    directory: string,
    settings: readonly (readonly [string, string])[],
    login: { readonly clientId: string; readonly clientSecret: string },
  ): Promise<void> {
    await this.run('config', 'server', server);
    await this.run('config', 'directory', directory);
    for (const [name, value] of settings) await this.run('config', name, value);
    await this.run('login', login.clientId, login.clientSecret);
  }

  dispose(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * The CLIs a benchmark compares: this checkout's build (`--cli` overrides it) and, with
 * `--before <bin/run.js>`, another checkout's build measured in the same interleaved rounds.
 */
export function cliVariants(argv: readonly string[]): BwdcCli[] {
  const get = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const before = get('before');
  return [
    ...(before ? [new BwdcCli('before', resolve(before))] : []),
    new BwdcCli(before ? 'after' : 'bwdc', resolve(get('cli') ?? BUILT_CLI)),
  ];
}

/** A numeric `--name value` option. */
export function numberOption(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a non-negative number, not "${argv[at + 1]}"`);
  return value;
}
