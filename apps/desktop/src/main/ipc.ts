import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  BRIDGE_METHODS,
  channelOf,
  dispatch,
  type BridgeBackend,
  type BridgeReply,
} from '@bwdc/ui';

/**
 * One `ipcMain.handle` per bridge method. Calls from any frame but the app's own page (a
 * navigated-away or injected frame) are refused before they reach the connector.
 */
export function registerBridgeHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: BridgeBackend,
  isTrustedSender: (url: string) => boolean,
): () => void {
  for (const method of BRIDGE_METHODS) {
    ipcMain.handle(
      channelOf(method),
      async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<BridgeReply> => {
        const url = event.senderFrame?.url ?? '';
        if (!isTrustedSender(url)) {
          return {
            ok: false,
            error: {
              code: 'BRIDGE_FORBIDDEN',
              message: 'Bridge calls are accepted only from the bwdc window.',
            },
          };
        }
        return dispatch(backend, method, args);
      },
    );
  }
  return () => {
    for (const method of BRIDGE_METHODS) ipcMain.removeHandler(channelOf(method));
  };
}
