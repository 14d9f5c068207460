import { createConnector, type Connector } from '@bwdc/connector';
import { stderrSink } from '@bwdc/core';
import { cliVersion } from './global-flags';
import {
  describeFailure,
  renderError,
  renderSuccessPieces,
  EXIT,
  type StringResponse,
} from './output';

/** `bwdc config <setting>`: its value, or nothing when it is not set. */
export async function settingResponse(
  connector: Connector,
  setting: string,
): Promise<StringResponse> {
  const current = await connector.config.get(setting);
  return { object: 'string', data: current.value === null ? null : String(current.value) };
}

/**
 * `bwdc config <setting>` without oclif (see quick-commands.ts): the `config` command's answer,
 * rendered and failing as every command does (output.ts). Sets `process.exitCode`.
 */
export async function readSetting(setting: string): Promise<void> {
  const env = process.env;
  try {
    const connector = createConnector({
      env,
      version: cliVersion(),
      logSink: stderrSink,
      settingsOnly: true,
    });
    const { stdout } = renderSuccessPieces(
      await settingResponse(connector, setting),
      env,
      colorOn(process.stdout),
    );
    if (stdout !== undefined) process.stdout.write(`${[...stdout].join('')}\n`);
    process.exitCode = EXIT.ok;
  } catch (error) {
    const failure = describeFailure(error, env);
    const rendered = renderError(failure.message, env, colorOn(process.stderr), failure.actions);
    if (rendered.stdout !== undefined) process.stdout.write(`${rendered.stdout}\n`);
    if (rendered.stderr !== undefined) process.stderr.write(`${rendered.stderr}\n`);
    process.exitCode = failure.exitCode;
  }
}

function colorOn(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
