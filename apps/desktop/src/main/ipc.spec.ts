import type { IpcMainInvokeEvent } from 'electron';
import { BRIDGE_METHODS, channelOf, createBridgeBackend } from '@bwdc/ui';
import { createFakeConnector } from '@bwdc/ui/testing';
import { registerBridgeHandlers } from './ipc';

const PAGE = 'file:///opt/bwdc/resources/app/dist/renderer/index.html';

function setup() {
  const handlers = new Map<
    string,
    (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>
  >();
  const ipcMain = {
    handle: jest.fn(
      (channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>) =>
        void handlers.set(channel, fn),
    ),
    removeHandler: jest.fn((channel: string) => void handlers.delete(channel)),
  };
  const fake = createFakeConnector();
  const backend = createBridgeBackend({
    connector: fake.connector,
    mode: 'desktop',
    version: '1.0.0',
  });
  const unregister = registerBridgeHandlers(ipcMain, backend, (url) => url === PAGE);
  const invoke = (method: string, url: string, ...args: unknown[]) =>
    handlers.get(`bwdc:${method}`)!(
      { senderFrame: { url } } as unknown as IpcMainInvokeEvent,
      ...args,
    );
  return { handlers, ipcMain, invoke, unregister, fake };
}

describe('the IPC bridge handlers', () => {
  it('registers one channel per bridge method and removes them again', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(BRIDGE_METHODS.map(channelOf).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('forwards calls from the app page to the backend', async () => {
    const { invoke, fake } = setup();
    await expect(invoke('login', PAGE, 'organization.o9', 'right-secret')).resolves.toEqual({
      ok: true,
      value: { organizationId: 'o9' },
    });
    expect(fake.state.loggedIn).toBe(true);
    await expect(invoke('test', PAGE, 'not-a-boolean')).resolves.toMatchObject({
      ok: false,
      error: { code: 'BRIDGE_BAD_REQUEST' },
    });
  });

  it('refuses calls from any other frame', async () => {
    const { invoke, fake } = setup();
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', '']) {
      await expect(invoke('logout', url)).resolves.toMatchObject({
        ok: false,
        error: { code: 'BRIDGE_FORBIDDEN' },
      });
    }
    expect(fake.state.calls).not.toContain('logout');
  });
});
