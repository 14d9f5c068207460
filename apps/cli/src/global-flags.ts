import type * as Output from './output';

/** The official CLI's global flags and the variables they set. */
export const GLOBAL_FLAGS: Readonly<Record<string, string>> = {
  '--pretty': 'BW_PRETTY',
  '--raw': 'BW_RAW',
  '--response': 'BW_RESPONSE',
  '--cleanexit': 'BW_CLEANEXIT',
  '--quiet': 'BW_QUIET',
  '--nointeraction': 'BW_NOINTERACTION',
};

export function cliVersion(): string {
  // A literal require, so the standalone binary's bundle carries the version with it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../package.json') as { version: string }).version;
}

/**
 * Takes the global flags out of argv wherever they stand and sets their variables, so every
 * command accepts them in any position, as the official CLI does. `-v`/`--version` alone print
 * the bare version number, which scripts compare.
 */
export function applyGlobalFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  for (let i = argv.length - 1; i >= 2; i--) {
    const variable = GLOBAL_FLAGS[argv[i]!];
    if (variable) {
      env[variable] = 'true';
      argv.splice(i, 1);
    }
  }
  const rest = argv.slice(2);
  if (rest.length === 1 && (rest[0] === '-v' || rest[0] === '--version')) {
    process.stdout.write(`${cliVersion()}\n`);
    process.exit(0);
  }
}

/** Last resort for errors oclif itself throws (bad flags, missing arguments). */
export function handleFatal(error: unknown): void {
  const err = error as { message?: string; oclif?: { exit?: number } };
  if (err?.oclif?.exit === 0) return;
  // Loaded here, not at the top: `--version` must not pay for the rendering (and @bwdc/core).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { errorExitCode, renderError } = require('./output') as typeof Output;
  const rendered = renderError(
    err?.message ?? String(error),
    process.env,
    Boolean(process.stderr.isTTY),
  );
  if (rendered.stdout) process.stdout.write(`${rendered.stdout}\n`);
  if (rendered.stderr) process.stderr.write(`${rendered.stderr}\n`);
  process.exitCode = errorExitCode(process.env, err?.oclif?.exit ?? 1);
}
