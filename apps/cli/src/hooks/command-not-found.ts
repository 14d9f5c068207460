import type { Hook } from '@oclif/core/hooks';
import { closestWord } from '@bwdc/core';
import { errorExitCode } from '../output';

/**
 * The official CLI's answer to an unknown command and its exit code 1, then the command that was
 * probably meant (`snyc` → `sync`).
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const typed = options.id.split(':').join(' ');
  const args = [typed, ...(options.argv ?? [])].join(' ');
  if (process.env.BW_QUIET !== 'true') {
    const commands = options.config.commands
      .filter((c) => !c.hidden)
      .map((c) => c.id.split(':').join(' '));
    const meant = closestWord(typed, commands);
    process.stderr.write(
      `Invalid command: ${args}\nSee --help for a list of available commands.\n` +
        (meant ? `Did you mean ${meant}? ${options.config.bin} ${meant} --help\n` : ''),
    );
  }
  process.exit(errorExitCode(process.env));
};

export default hook;
