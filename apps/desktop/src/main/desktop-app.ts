import { BrowserWindow, Menu, Tray, app, dialog, ipcMain, nativeImage, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnector } from '@bwdc/connector';
import {
  RENDERER_DIR,
  createBridgeBackend,
  type BridgeBackend,
  type PickFileOptions,
} from '@bwdc/ui';
import { registerBridgeHandlers } from './ipc';
import { TrayController, type TrayMenuItem } from './tray';

export interface DesktopPaths {
  /** The renderer's index.html (@bwdc/ui's dist/renderer). */
  readonly indexHtml: string;
  /** dist/main/preload.js */
  readonly preload: string;
  /** The tray icon (a PNG). */
  readonly trayIcon: string;
}

export interface DesktopApp {
  readonly window: BrowserWindow;
  readonly tray: TrayController;
  readonly backend: BridgeBackend;
}

/** Locked-down web preferences: the page gets only the preload's bridge. */
export const WEB_PREFERENCES = {
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  sandbox: true,
  webSecurity: true,
  allowRunningInsecureContent: false,
  spellcheck: false,
} as const;

export function defaultPaths(distDir: string, rendererDir: string = RENDERER_DIR): DesktopPaths {
  return {
    indexHtml: join(rendererDir, 'index.html'),
    preload: join(distDir, 'main', 'preload.js'),
    trayIcon: join(distDir, '..', 'assets', 'tray.png'),
  };
}

/**
 * Starts the desktop app, or returns undefined when another instance already runs (that one
 * is brought to the front instead). Everything sync-related is the backend's; this only wires
 * Electron's window, tray and IPC to it.
 */
export async function startDesktop(
  paths: DesktopPaths,
  version: string,
): Promise<DesktopApp | undefined> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  await app.whenReady();

  const pageUrl = pathToFileURL(paths.indexHtml).toString();
  const window = new BrowserWindow({
    width: 1120,
    height: 780,
    minWidth: 860,
    minHeight: 600,
    show: false,
    title: 'bwdc',
    backgroundColor: '#f4f6fa',
    webPreferences: { ...WEB_PREFERENCES, preload: paths.preload },
  });
  // The page never navigates or opens windows; links to the web go to the system browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== pageUrl) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const trayIcon = new Tray(nativeImage.createFromPath(paths.trayIcon));
  // The schedule reports to the tray, which is built after the backend it also needs.
  const trayRef: { current?: TrayController } = {};
  const connector = createConnector({ version });
  const backend = createBridgeBackend({
    connector,
    mode: 'desktop',
    version,
    pickFile: (options) => pickFile(window, options),
    onScheduleChange: (state) => trayRef.current?.setSchedule(state),
  });
  registerBridgeHandlers(
    ipcMain,
    backend,
    (url) => url === pageUrl || url.startsWith(`${pageUrl}#`),
  );

  const tray = new TrayController(
    {
      isVisible: () => window.isVisible(),
      isMinimized: () => window.isMinimized(),
      show: () => window.show(),
      hide: () => window.hide(),
      restore: () => window.restore(),
      focus: () => window.focus(),
      onMinimize: (listener) => window.on('minimize', listener),
      onClose: (listener) => window.on('close', listener),
      onVisibilityChange: (listener) => {
        window.on('show', listener);
        window.on('hide', listener);
      },
    },
    {
      setToolTip: (text) => trayIcon.setToolTip(text),
      setContextMenu: (items) =>
        trayIcon.setContextMenu(Menu.buildFromTemplate(items.map(toMenuItem))),
      onClick: (listener) => trayIcon.on('click', listener),
    },
    () => app.quit(),
  );
  trayRef.current = tray;

  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu(tray, window)));

  app.on('second-instance', () => tray.showWindow());
  app.on('before-quit', () => tray.markQuitting());
  app.on('will-quit', (event) => {
    // Stop the schedule (cancelling a run in flight, which commits nothing) before exiting.
    if (backend.scheduler.state().running) {
      event.preventDefault();
      void backend.dispose().finally(() => app.quit());
    }
  });
  // With the window hidden to the tray the app keeps running; only Quit ends it.
  app.on('window-all-closed', () => undefined);

  window.once('ready-to-show', () => window.show());
  await window.loadFile(paths.indexHtml);
  return { window, tray, backend };
}

/**
 * The window's menu: Hide to Tray and Always on Top as in the official app, and the Edit roles
 * without which copy and paste do not work in text fields on macOS.
 */
export function applicationMenu(
  tray: TrayController,
  window: Pick<BrowserWindow, 'isAlwaysOnTop' | 'setAlwaysOnTop'>,
): Electron.MenuItemConstructorOptions[] {
  return [
    {
      label: 'bwdc',
      submenu: [
        { label: 'Hide to Tray', accelerator: 'CmdOrCtrl+Shift+M', click: () => tray.hideWindow() },
        {
          label: 'Always on Top',
          type: 'checkbox',
          accelerator: 'CmdOrCtrl+Shift+T',
          checked: window.isAlwaysOnTop(),
          click: (item) => window.setAlwaysOnTop(item.checked),
        },
        { type: 'separator' },
        { label: 'Quit bwdc', accelerator: 'CmdOrCtrl+Q', click: () => tray.requestQuit() },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
  ];
}

function toMenuItem(item: TrayMenuItem): Electron.MenuItemConstructorOptions {
  if (item.type === 'separator') return { type: 'separator' };
  return {
    label: item.label,
    enabled: item.enabled ?? true,
    ...(item.click ? { click: item.click } : {}),
  };
}

async function pickFile(window: BrowserWindow, options: PickFileOptions): Promise<string | null> {
  const result = await dialog.showOpenDialog(window, {
    title: options.title,
    properties: ['openFile'],
    filters: options.extensions?.length
      ? [
          { name: options.title, extensions: [...options.extensions] },
          { name: 'All files', extensions: ['*'] },
        ]
      : [],
  });
  return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
}
