#!/usr/bin/env node
/**
 * `npm run ui -w apps/desktop` (after a build): the desktop app's UI for servers without a
 * desktop. Serves on 127.0.0.1; reach it through an SSH tunnel (`ssh -L 8087:127.0.0.1:8087 host`).
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { createConnector } from '@bwdc/connector';
import { createBridgeBackend } from '../backend/backend';
import { dispatch } from '../backend/dispatch';
import { appVersion } from '../backend/version';
import { startUiServer } from './ui-server';

const HELP = `Usage: npm run ui -w apps/desktop -- [options]

  --host <address>     address to listen on (default 127.0.0.1)
  --port <number>      port (default 8087; 0 picks a free one)
  --allow-remote       allow a non-loopback --host (anyone reaching it can change the connector)
  --data-dir <folder>  the connector's data folder (default: as the bwdc CLI finds it)
  --help               this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8087' },
      'allow-remote': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  const version = appVersion();
  const connector = createConnector({
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    version,
  });
  const backend = createBridgeBackend({ connector, mode: 'browser', version });
  const server = await startUiServer({
    handle: (method, args) => dispatch(backend, method, args),
    staticDir: join(__dirname, '..', 'renderer'),
    host: values.host,
    port,
    allowRemote: values['allow-remote'],
  });
  // The address carries the per-run token: it goes to the admin's terminal, never to a log.
  process.stdout.write(
    `bwdc UI is ready. Open this address in a browser:\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`,
  );
  const shutdown = (): void => {
    void backend
      .dispose()
      .then(() => server.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
