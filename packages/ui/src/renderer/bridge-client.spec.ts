/**
 * @jest-environment @happy-dom/jest-environment
 */
import { connectBridge } from './bridge-client';

afterEach(() => {
  window.sessionStorage.clear();
  delete window.bwdcIpc;
});

describe('connectBridge', () => {
  it('uses the preload in Electron', async () => {
    const invoke = jest.fn(async () => ({ ok: true, value: { version: '1' } }));
    window.bwdcIpc = { invoke };
    await expect(connectBridge(window).appInfo()).resolves.toEqual({ version: '1' });
    expect(invoke).toHaveBeenCalledWith('appInfo', []);
  });

  it('moves the token from the address into sessionStorage and sends it with each call', async () => {
    window.history.replaceState(null, '', '/#token=abc_DEF-123');
    const fetch = jest.fn(async (_url: string, _init: RequestInit) => ({
      json: async () => ({ ok: true, value: null }),
      status: 200,
    }));
    const win = Object.assign(Object.create(window) as Window, {
      fetch,
      location: window.location,
      history: window.history,
      sessionStorage: window.sessionStorage,
    });
    const bridge = connectBridge(win);
    expect(window.location.hash).toBe('');
    expect(window.sessionStorage.getItem('bwdc.token')).toBe('abc_DEF-123');
    await bridge.test(true);
    expect(fetch).toHaveBeenCalledWith(
      '/bridge/test',
      expect.objectContaining({ method: 'POST', body: '{"args":[true]}' }),
    );
    expect((fetch.mock.calls[0]![1].headers as Record<string, string>).authorization).toBe(
      'Bearer abc_DEF-123',
    );
  });

  it('rethrows a bridge failure with its code and field', async () => {
    window.bwdcIpc = {
      invoke: async () => ({
        ok: false,
        error: { code: 'DIRECTORY_AUTH_FAILED', message: 'bad', setting: 'ldap.password' },
      }),
    };
    await expect(connectBridge(window).verifyDirectory()).rejects.toMatchObject({
      name: 'BridgeError',
      code: 'DIRECTORY_AUTH_FAILED',
      setting: 'ldap.password',
      message: 'bad',
    });
  });

  it('reports an unreachable server plainly', async () => {
    const win = Object.assign(Object.create(window) as Window, {
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
      location: window.location,
      history: window.history,
      sessionStorage: window.sessionStorage,
    });
    await expect(connectBridge(win).dashboard()).rejects.toMatchObject({ code: 'BRIDGE_OFFLINE' });
  });
});
