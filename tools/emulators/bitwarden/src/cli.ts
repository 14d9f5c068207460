#!/usr/bin/env node
/**
 * Runs the Bitwarden emulator by hand or for the demo: prints one JSON line with its URLs and
 * organization API key, then serves until SIGINT/SIGTERM.
 *
 *   node tools/emulators/bitwarden/dist/cli.js --port 8087 [--mode cloud|selfhosted|vaultwarden]
 *     [--seats N] [--state-file org.json] [--organization-id GUID] [--client-secret KEY]
 *     [--staged-status] [--vaultwarden-groups] [--page-size N]
 */
import { runCli } from './run-cli';

runCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
  (emulator) => {
    const stop = (): void => {
      void emulator.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (e: unknown) => {
    process.stderr.write(`bitwarden emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
