/**
 * The Electron main process with Electron mocked (its binary cannot run here): window
 * hardening, single instance, IPC wiring, tray behaviour and the scheduled sync.
 */
import type { BridgeReply } from '@bwdc/ui';

type Listener = (...args: unknown[]) => unknown;

class MockEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

const mockElectron = {
  windows: [] as MockWindow[],
  trays: [] as MockTray[],
  handlers: new Map<string, Listener>(),
  lock: true,
  appMenu: undefined as unknown,
};

class MockWindow extends MockEmitter {
  visible = false;
  minimized = false;
  readonly webContents = Object.assign(new MockEmitter(), { setWindowOpenHandler: jest.fn() });
  readonly loadFile = jest.fn(async () => undefined);
  constructor(readonly options: Record<string, unknown>) {
    super();
    mockElectron.windows.push(this);
  }
  isVisible = () => this.visible;
  isMinimized = () => this.minimized;
  show = jest.fn(() => {
    this.visible = true;
    this.emit('show');
  });
  hide = jest.fn(() => {
    this.visible = false;
    this.emit('hide');
  });
  restore = jest.fn();
  focus = jest.fn();
  onTop = false;
  isAlwaysOnTop = () => this.onTop;
  setAlwaysOnTop = jest.fn((on: boolean) => void (this.onTop = on));
}

class MockTray extends MockEmitter {
  tooltip = '';
  menu: { label?: string; type?: string; click?: () => void }[] = [];
  constructor(readonly image: unknown) {
    super();
    mockElectron.trays.push(this);
  }
  setToolTip = (t: string) => (this.tooltip = t);
  setContextMenu = (m: { template: MockTray['menu'] }) => (this.menu = m.template);
}

const mockApp = Object.assign(new MockEmitter(), {
  requestSingleInstanceLock: jest.fn(() => mockElectron.lock),
  whenReady: jest.fn(async () => undefined),
  quit: jest.fn(),
  exit: jest.fn(),
});

jest.mock('electron', () => ({
  app: mockApp,
  BrowserWindow: MockWindow,
  Tray: MockTray,
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu: (menu: unknown) => void (mockElectron.appMenu = menu),
  },
  ipcMain: {
    handle: (channel: string, fn: Listener) => void mockElectron.handlers.set(channel, fn),
    removeHandler: (channel: string) => void mockElectron.handlers.delete(channel),
  },
  dialog: {
    showOpenDialog: jest.fn(async () => ({ canceled: false, filePaths: ['/etc/ssl/ca.pem'] })),
  },
  nativeImage: { createFromPath: (p: string) => ({ path: p }) },
  shell: { openExternal: jest.fn(async () => undefined) },
}));

const mockFake: {
  current?: ReturnType<typeof import('@bwdc/ui/testing').createFakeConnector>;
} = {};
jest.mock('@bwdc/connector', () => ({
  ...jest.requireActual('@bwdc/connector'),
  createConnector: () => mockFake.current!.connector,
}));

// Required, not imported: imports are hoisted above the mock classes the factories use.
/* eslint-disable @typescript-eslint/no-require-imports */
const { dialog, shell } = require('electron') as typeof import('electron');
const { createFakeConnector } = require('@bwdc/ui/testing') as typeof import('@bwdc/ui/testing');
const { BRIDGE_METHODS, channelOf } = require('@bwdc/ui') as typeof import('@bwdc/ui');
const { defaultPaths, startDesktop } = require('./desktop-app') as typeof import('./desktop-app');
/* eslint-enable @typescript-eslint/no-require-imports */

const paths = defaultPaths('/opt/bwdc/dist', '/opt/bwdc/dist/renderer');
const PAGE = 'file:///opt/bwdc/dist/renderer/index.html';
const flush = () => new Promise((r) => setImmediate(r));

async function start() {
  mockElectron.windows.length = 0;
  mockElectron.trays.length = 0;
  mockElectron.handlers.clear();
  mockApp.listeners.clear();
  mockFake.current = createFakeConnector();
  const app = await startDesktop(paths, '2.0.0');
  const invoke = (method: string, ...args: unknown[]) =>
    mockElectron.handlers.get(channelOf(method as never))!(
      { senderFrame: { url: PAGE } },
      ...args,
    ) as Promise<BridgeReply>;
  return {
    app,
    window: mockElectron.windows[0]!,
    tray: mockElectron.trays[0]!,
    invoke,
    fake: mockFake.current,
  };
}

afterEach(async () => {
  // Stop any schedule a test left running, as quitting would.
  for (const l of mockApp.listeners.get('will-quit') ?? []) l({ preventDefault: () => undefined });
  await flush();
});

describe('the desktop main process', () => {
  it('quits when another instance already runs', async () => {
    mockElectron.lock = false;
    try {
      mockElectron.windows.length = 0;
      await expect(startDesktop(paths, '2.0.0')).resolves.toBeUndefined();
      expect(mockApp.quit).toHaveBeenCalled();
      expect(mockElectron.windows).toHaveLength(0);
    } finally {
      mockElectron.lock = true;
    }
  });

  it('opens a locked-down window on the built renderer', async () => {
    const { window } = await start();
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      preload: '/opt/bwdc/dist/main/preload.js',
    });
    expect(window.loadFile).toHaveBeenCalledWith('/opt/bwdc/dist/renderer/index.html');
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('keeps the page from navigating away or opening windows', async () => {
    const { window } = await start();
    const navigate = { preventDefault: jest.fn() };
    window.webContents.emit('will-navigate', navigate, 'https://evil.example/');
    expect(navigate.preventDefault).toHaveBeenCalled();
    const openHandler = window.webContents.setWindowOpenHandler.mock.calls[0]![0] as (d: {
      url: string;
    }) => { action: string };
    expect(openHandler({ url: 'https://github.com/bwdc/bwdc/releases' })).toEqual({
      action: 'deny',
    });
    expect(shell.openExternal).toHaveBeenCalledWith('https://github.com/bwdc/bwdc/releases');
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('serves every bridge method over IPC, to the app page only', async () => {
    const { invoke } = await start();
    expect([...mockElectron.handlers.keys()].sort()).toEqual(BRIDGE_METHODS.map(channelOf).sort());
    await expect(invoke('appInfo')).resolves.toEqual({
      ok: true,
      value: {
        version: '2.0.0',
        mode: 'desktop',
        dataFile: '/tmp/bwdc-fake/data.json',
        canPickFiles: true,
      },
    });
    const foreign = await mockElectron.handlers.get('bwdc:appInfo')!({
      senderFrame: { url: 'https://evil.example/' },
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'BRIDGE_FORBIDDEN' } });
  });

  it('picks files with the native dialog', async () => {
    const { invoke } = await start();
    await expect(
      invoke('pickFile', { title: 'CA certificate', extensions: ['pem'] }),
    ).resolves.toEqual({ ok: true, value: '/etc/ssl/ca.pem' });
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(
      expect.any(MockWindow),
      expect.objectContaining({ title: 'CA certificate', properties: ['openFile'] }),
    );
  });

  it('hides to the tray on close and shows again from the tray or a second launch', async () => {
    const { window, tray } = await start();
    window.emit('ready-to-show');
    expect(tray.menu.map((i) => i.label ?? i.type)).toEqual([
      'Hide bwdc',
      'Sync stopped',
      'separator',
      'Quit bwdc',
    ]);
    const close = { preventDefault: jest.fn() };
    window.emit('close', close);
    expect(close.preventDefault).toHaveBeenCalled();
    expect(window.visible).toBe(false);
    expect(tray.menu[0]!.label).toBe('Show bwdc');
    mockApp.emit('second-instance');
    expect(window.visible).toBe(true);
    window.emit('minimize');
    expect(window.visible).toBe(false);
    tray.emit('click');
    expect(window.visible).toBe(true);
  });

  it('quits from the tray menu, letting the window close', async () => {
    const { window, tray } = await start();
    tray.menu.find((i) => i.label === 'Quit bwdc')!.click!();
    expect(mockApp.quit).toHaveBeenCalled();
    const close = { preventDefault: jest.fn() };
    window.emit('close', close);
    expect(close.preventDefault).not.toHaveBeenCalled();
  });

  it('runs the scheduled sync in the main process and shows it in the tray', async () => {
    const { invoke, tray, fake } = await start();
    await invoke('login', 'organization.o1', 'right-secret');
    await invoke('saveSettings', [{ name: 'sync.interval', value: '10' }]);
    await expect(invoke('startSchedule')).resolves.toMatchObject({
      ok: true,
      value: { running: true, intervalMinutes: 10 },
    });
    await flush();
    expect(fake.state.calls.filter((c) => c === 'sync')).toHaveLength(1);
    expect(tray.menu[1]!.label).toBe('Sync running every 10 min');
    expect(tray.tooltip).toBe('bwdc: sync running every 10 min');
    await expect(invoke('dashboard')).resolves.toMatchObject({
      ok: true,
      value: { schedule: { running: true, lastResult: { usersSynced: 2 } } },
    });
    await expect(invoke('stopSchedule')).resolves.toMatchObject({
      ok: true,
      value: { running: false },
    });
    expect(tray.menu[1]!.label).toBe('Sync stopped');
  });

  it('stops a running schedule before quitting', async () => {
    const { invoke, app } = await start();
    await invoke('login', 'organization.o1', 'right-secret');
    await invoke('startSchedule');
    const quit = { preventDefault: jest.fn() };
    mockApp.quit.mockClear();
    mockApp.emit('will-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    await flush();
    await flush();
    expect(app!.backend.scheduler.state().running).toBe(false);
    expect(mockApp.quit).toHaveBeenCalled();
  });

  it('has a menu with Hide to Tray, Always on Top, Quit and the Edit roles', async () => {
    const { window } = await start();
    window.emit('ready-to-show');
    type Item = {
      label?: string;
      role?: string;
      accelerator?: string;
      click?: (item: { checked: boolean }) => void;
      submenu?: Item[];
    };
    const menu = (mockElectron.appMenu as { template: Item[] }).template;
    const [appItems, edit] = [menu[0]!.submenu!, menu[1]!.submenu!];
    expect(appItems.filter((i) => i.label).map((i) => `${i.label} ${i.accelerator}`)).toEqual([
      'Hide to Tray CmdOrCtrl+Shift+M',
      'Always on Top CmdOrCtrl+Shift+T',
      'Quit bwdc CmdOrCtrl+Q',
    ]);
    expect(edit.map((i) => i.role).filter(Boolean)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
    ]);
    appItems[0]!.click!({ checked: false });
    expect(window.visible).toBe(false);
    appItems[1]!.click!({ checked: true });
    expect(window.setAlwaysOnTop).toHaveBeenCalledWith(true);
  });
});
