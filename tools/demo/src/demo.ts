/**
 * The README's demo: starts the Bitwarden emulator on loopback, points a throwaway data folder at
 * a sample directory file, and drives the real `bwdc` binary through test, sync, a directory
 * change (a leaver, a new hire, a group change) and a second sync, printing the organization
 * after each step. Nothing leaves the machine.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  MemberStatus,
  startBitwardenEmulator,
  type BitwardenEmulator,
} from '@bwdc/emulator-bitwarden';

const ROOT = resolve(__dirname, '..', '..', '..');
const BWDC = join(ROOT, 'apps', 'cli', 'bin', 'run.js');
/** Another bwdc to drive instead of the built CLI, e.g. the standalone binary (`dist/bwdc`). */
const BWDC_EXECUTABLE = process.env.BWDC_EXECUTABLE;
const SAMPLE = join(ROOT, 'tools', 'demo', 'sample');

function heading(text: string): void {
  process.stdout.write(`\n\u001b[1m== ${text}\u001b[0m\n`);
}

/** Runs the real binary. Asynchronously: the emulator answers from this same process. */
async function bwdc(
  dataDir: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<string> {
  process.stdout.write(
    `$ bwdc ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`,
  );
  const [command, commandArgs] = BWDC_EXECUTABLE
    ? [resolve(BWDC_EXECUTABLE), args]
    : [process.execPath, [BWDC, ...args]];
  const child = spawn(command, commandArgs, {
    env: {
      ...process.env,
      BITWARDENCLI_CONNECTOR_APPDATA_DIR: dataDir,
      // A throwaway folder with no keychain session: keep its secrets in its own data.json.
      BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: 'true',
      ...extraEnv,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const out = `${stdout}${stderr}`.trimEnd();
  if (out) process.stdout.write(`${out.replace(/^/gm, '  ')}\n`);
  if (status !== 0) throw new Error(`bwdc ${args[0]} exited with ${status}`);
  return stdout;
}

function showOrganization(emulator: BitwardenEmulator): void {
  const groups = emulator.org.groups();
  const members = emulator.org.members();
  process.stdout.write(`  Organization: ${members.length} member(s), ${groups.length} group(s)\n`);
  const statusName = new Map<number, string>(
    Object.entries(MemberStatus).map(([name, code]) => [code, name.toLowerCase()]),
  );
  for (const member of [...members].sort((a, b) => a.email.localeCompare(b.email))) {
    const status = statusName.get(member.status) ?? String(member.status);
    process.stdout.write(
      `    ${member.email.padEnd(34)} ${status.padEnd(10)} ${[...member.groups].sort().join(', ')}\n`,
    );
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bwdc-demo-'));
  const directoryFile = join(dataDir, 'directory.csv');
  copyFileSync(join(SAMPLE, 'directory.csv'), directoryFile);
  const emulator = await startBitwardenEmulator({ seats: 50 });
  try {
    heading(`Bitwarden emulator on ${emulator.url}; data folder ${dataDir}`);
    await bwdc(dataDir, ['config', 'server', emulator.url]);
    await bwdc(dataDir, ['config', 'directory', 'file']);
    await bwdc(dataDir, ['config', 'file.path', directoryFile]);
    await bwdc(dataDir, ['config', 'sync.users', 'true']);
    await bwdc(dataDir, ['config', 'sync.groups', 'true']);
    // The API key through the environment, so it is never echoed.
    await bwdc(dataDir, ['login'], {
      BW_CLIENTID: emulator.clientId,
      BW_CLIENTSECRET: emulator.clientSecret,
    });

    heading('What a sync would send (bwdc test)');
    await bwdc(dataDir, ['test', '--pretty']);

    heading('First sync');
    await bwdc(dataDir, ['sync']);
    showOrganization(emulator);

    heading(
      'The directory changes: alan.turing leaves, margaret.hamilton joins, ada.lovelace joins Leads',
    );
    copyFileSync(join(SAMPLE, 'directory-after.csv'), directoryFile);
    await bwdc(dataDir, ['sync']);
    showOrganization(emulator);

    heading('Nothing changed since: the next sync sends nothing');
    await bwdc(dataDir, ['sync']);
    await bwdc(dataDir, ['last-sync', 'users']);
    heading('Done');
  } finally {
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
