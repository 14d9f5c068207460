import { bridgeFromCall, type Bridge, type BridgeReply } from '../shared/bridge';

const TOKEN_KEY = 'bwdc.token';

/**
 * The renderer's one way to the backend: Electron's preload when present, else the browser-mode
 * server. The server's address arrives as `/#token=...`; the token moves to sessionStorage and
 * out of the address bar, so it is not left in history or shown on screen.
 */
export function connectBridge(win: Window = window): Bridge {
  const ipc = win.bwdcIpc;
  if (ipc)
    return bridgeFromCall((method, args) => ipc.invoke(method, args) as Promise<BridgeReply>);

  const match = /(?:^#|&)token=([^&]+)/.exec(win.location.hash);
  if (match?.[1]) {
    win.sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const token = win.sessionStorage.getItem(TOKEN_KEY) ?? '';
  return bridgeFromCall(async (method, args) => {
    let response: Response;
    try {
      response = await win.fetch(`/bridge/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ args }),
      });
    } catch {
      return {
        ok: false,
        error: {
          code: 'BRIDGE_OFFLINE',
          message: 'The bwdc UI server cannot be reached. Is it still running?',
        },
      };
    }
    try {
      return (await response.json()) as BridgeReply;
    } catch {
      return {
        ok: false,
        error: {
          code: 'BRIDGE_OFFLINE',
          message: `The bwdc UI server answered ${response.status}.`,
        },
      };
    }
  });
}
