/**
 * The preload runs sandboxed with context isolation: it may only require `electron`, so it
 * carries no code of ours beyond forwarding a named call. The page gets `window.bwdcIpc.invoke`,
 * never ipcRenderer itself; the main process checks the method and its arguments.
 */
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('bwdcIpc', {
  invoke: (method: string, args: unknown[]): Promise<unknown> => {
    if (!/^[a-zA-Z]+$/.test(method)) return Promise.reject(new Error('Invalid bridge method.'));
    return ipcRenderer.invoke(`bwdc:${method}`, ...(Array.isArray(args) ? args : []));
  },
});
