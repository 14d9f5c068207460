import { createBridgeBackend, type BackendOptions } from '../backend/backend';
import { dispatch } from '../backend/dispatch';
import { builtRenderer, type StaticFiles } from './renderer-files';
import { startUiServer, type UiServer } from './ui-server';

export interface BrowserUiOptions {
  readonly connector: BackendOptions['connector'];
  /** Shown under More and compared by Check for Updates. */
  readonly version: string;
  /** Default 127.0.0.1; anything else needs `allowRemote`. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  readonly allowRemote?: boolean;
  /** Default `builtRenderer()`. */
  readonly files?: StaticFiles;
}

/**
 * Browser mode in one call, as `bwdc ui` runs it: the bridge over the connector, served with the
 * built renderer. `close()` stops a running schedule (cancelling a run in flight), then the server.
 */
export async function serveBrowserUi(options: BrowserUiOptions): Promise<UiServer> {
  const backend = createBridgeBackend({
    connector: options.connector,
    mode: 'browser',
    version: options.version,
  });
  const server = await startUiServer({
    handle: (method, args) => dispatch(backend, method, args),
    files: options.files ?? builtRenderer(),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.allowRemote === undefined ? {} : { allowRemote: options.allowRemote }),
  });
  return {
    ...server,
    close: async () => {
      await backend.dispose();
      await server.close();
    },
  };
}
