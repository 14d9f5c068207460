import type { Hook } from '@oclif/core';
import { errorExitCode } from '../output';

/** The official CLI's answer to an unknown command, and its exit code 1. */
const hook: Hook<'command_not_found'> = async function (options) {
  const args = [options.id.split(':').join(' '), ...(options.argv ?? [])].join(' ');
  if (process.env.BW_QUIET !== 'true') {
    process.stderr.write(
      `Invalid command: ${args}\nSee --help for a list of available commands.\n`,
    );
  }
  process.exit(errorExitCode(process.env));
};

export default hook;
