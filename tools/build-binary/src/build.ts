/**
 * `npm run build:binary` (after the workspace build): bwdc as one Linux executable, dist/bwdc.
 *
 * 1. esbuild bundles the built CLI (tsc's output, which keeps the decorator metadata tsyringe
 *    needs) with every provider and dependency into one CommonJS file (see entry.ts).
 * 2. node turns it into a single-executable-application blob, with the built UI as its assets.
 * 3. postject injects the blob into a copy of this node binary.
 * The keychain's native module goes beside it as dist/keytar.node.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { build, type Plugin } from 'esbuild';
import {
  BANNER,
  KEYTAR_SHIM,
  binaryManifest,
  entrySource,
  findCommands,
  type CliPackage,
  type OclifManifest,
} from './entry';

const ROOT = join(__dirname, '..', '..', '..');
const CLI_DIR = join(ROOT, 'apps', 'cli');
const RENDERER_DIR = join(ROOT, 'packages', 'ui', 'dist', 'renderer');
const OUT_DIR = join(ROOT, 'dist');
// The marker node's own build leaves in the binary for postject; see node's SEA documentation.
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const keytarBesideBinary: Plugin = {
  name: 'keytar-beside-binary',
  setup(b) {
    b.onResolve({ filter: /^@github\/keytar$/ }, () => ({ path: 'keytar', namespace: 'bwdc' }));
    b.onLoad({ filter: /^keytar$/, namespace: 'bwdc' }, () => ({
      contents: KEYTAR_SHIM,
      loader: 'js',
    }));
  },
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** postject's ELF parser warns about node's notes on every run; shown only if injecting fails. */
async function quietly(run: () => Promise<void>): Promise<void> {
  const warn = console.warn;
  const said: unknown[][] = [];
  console.warn = (...args: unknown[]) => void said.push(args);
  try {
    await run();
  } catch (error) {
    for (const args of said) warn(...args);
    throw error;
  } finally {
    console.warn = warn;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  if (process.platform !== 'linux')
    throw new Error('build:binary builds the Linux binary on Linux.');
  const cli = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as CliPackage;
  const commands = findCommands(join(CLI_DIR, 'dist', 'commands'));
  if (!commands.sync) throw new Error('The CLI is not built: run `npm run build` first.');
  const readManifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as OclifManifest;
  const manifest = binaryManifest(
    cli,
    readManifest(join(CLI_DIR, 'oclif.manifest.json')),
    // The plugin's exports hide its manifest from require.resolve; it lies beside lib/.
    readManifest(
      join(
        dirname(require.resolve('@oclif/plugin-help', { paths: [CLI_DIR] })),
        '..',
        'oclif.manifest.json',
      ),
    ),
  );
  statSync(join(RENDERER_DIR, 'index.html'));

  const work = mkdtempSync(join(tmpdir(), 'bwdc-binary-'));
  try {
    const bundle = join(work, 'bwdc.cjs');
    const result = await build({
      stdin: {
        contents: entrySource({
          cli,
          cliDir: CLI_DIR,
          commands,
          manifest,
        }),
        resolveDir: CLI_DIR,
        sourcefile: 'bwdc-standalone.js',
        loader: 'js',
      },
      bundle: true,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      format: 'cjs',
      outfile: bundle,
      banner: { js: BANNER },
      plugins: [keytarBesideBinary],
      // oclif and tsyringe look classes up by name.
      keepNames: true,
      minifyWhitespace: true,
      legalComments: 'none',
      logLevel: 'error',
    });
    if (result.errors.length) throw new Error('esbuild failed.');

    const assets = Object.fromEntries(
      filesUnder(RENDERER_DIR).map((file) => [
        `renderer/${relative(RENDERER_DIR, file).split(sep).join('/')}`,
        file,
      ]),
    );
    const blob = join(work, 'bwdc.blob');
    writeFileSync(
      join(work, 'sea-config.json'),
      JSON.stringify({
        main: bundle,
        output: blob,
        disableExperimentalSEAWarning: true,
        useCodeCache: true,
        assets,
      }),
    );
    execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], {
      stdio: 'pipe',
    });

    mkdirSync(OUT_DIR, { recursive: true });
    const binary = join(OUT_DIR, 'bwdc');
    rmSync(binary, { force: true });
    copyFileSync(process.execPath, binary);
    chmodSync(binary, 0o755);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- postject ships no types
    const { inject } = require('postject') as {
      inject(
        file: string,
        name: string,
        data: Buffer,
        options: { sentinelFuse: string },
      ): Promise<void>;
    };
    await quietly(() =>
      inject(binary, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE }),
    );

    const keytar = join(
      dirname(
        require.resolve('@github/keytar/package.json', {
          paths: [join(ROOT, 'packages', 'secure-storage')],
        }),
      ),
      'prebuilds',
      `${process.platform}-${process.arch}`,
      'keytar.node',
    );
    copyFileSync(keytar, join(OUT_DIR, 'keytar.node'));

    process.stdout.write(
      `Wrote ${relative(process.cwd(), binary)} (${mb(statSync(binary).size)}; bundle ${mb(statSync(bundle).size)}, ` +
        `${Object.keys(commands).length} commands, ${Object.keys(assets).length} UI files) and ` +
        `${relative(process.cwd(), join(OUT_DIR, 'keytar.node'))} (the OS keychain module; keep it beside bwdc).\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`build:binary failed: ${(error as Error).message}\n`);
  process.exit(1);
});
