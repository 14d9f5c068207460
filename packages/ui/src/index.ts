/**
 * @bwdc/ui: the bwdc user interface, shared by the desktop app and `bwdc ui`. One typed `Bridge`
 * (src/shared/bridge.ts) between the React renderer and the connector; the desktop app carries it
 * over Electron IPC, browser mode over HTTP on loopback with a per-run token.
 *
 * ```ts
 * const ui = await serveBrowserUi({ connector: createConnector(), version: '1.0.0', port: 8087 });
 * console.log(ui.url); // http://127.0.0.1:8087/#token=…
 * ```
 */
export { serveBrowserUi, type BrowserUiOptions } from './server/serve';
export { startUiServer, type UiServer, type UiServerOptions } from './server/ui-server';
export {
  RENDERER_ASSET_PREFIX,
  RENDERER_DIR,
  builtRenderer,
  filesInFolder,
  type StaticFiles,
} from './server/renderer-files';
export {
  createBridgeBackend,
  type BackendOptions,
  type BridgeBackend,
  type ConnectorPort,
} from './backend/backend';
export { dispatch } from './backend/dispatch';
export {
  BRIDGE_METHODS,
  channelOf,
  type Bridge,
  type BridgeMethod,
  type BridgeReply,
  type PickFileOptions,
  type ScheduleState,
} from './shared/bridge';
