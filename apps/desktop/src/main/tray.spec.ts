import type { ScheduleState } from '@bwdc/ui';
import { TrayController, type TrayMenuItem, type WindowPort } from './tray';

function fakeWindow() {
  const listeners: Record<string, ((e: { preventDefault(): void }) => void)[]> = {
    minimize: [],
    close: [],
    visibility: [],
  };
  let visible = true;
  let minimized = false;
  const window: WindowPort = {
    isVisible: () => visible,
    isMinimized: () => minimized,
    show: jest.fn(() => {
      visible = true;
      listeners.visibility!.forEach((l) => l({ preventDefault() {} }));
    }),
    hide: jest.fn(() => {
      visible = false;
      listeners.visibility!.forEach((l) => l({ preventDefault() {} }));
    }),
    restore: jest.fn(() => {
      minimized = false;
    }),
    focus: jest.fn(),
    onMinimize: (l) => listeners.minimize!.push(l),
    onClose: (l) => listeners.close!.push(l),
    onVisibilityChange: (l) => listeners.visibility!.push(l),
  };
  const emit = (event: 'minimize' | 'close') => {
    const e = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    listeners[event]!.forEach((l) => l(e));
    return e.prevented;
  };
  return { window, emit, setMinimized: (m: boolean) => (minimized = m) };
}

function fakeTray() {
  let menu: readonly TrayMenuItem[] = [];
  let tooltip = '';
  let click: () => void = () => undefined;
  return {
    tray: {
      setToolTip: (t: string) => (tooltip = t),
      setContextMenu: (m: readonly TrayMenuItem[]) => (menu = m),
      onClick: (l: () => void) => (click = l),
    },
    menu: () => menu,
    label: (id: string) => menu.find((i) => i.id === id)?.label,
    item: (id: string) => menu.find((i) => i.id === id)!,
    tooltip: () => tooltip,
    click: () => click(),
  };
}

const schedule = (over: Partial<ScheduleState>): ScheduleState => ({
  running: false,
  intervalMinutes: null,
  syncing: false,
  lastRunAt: null,
  lastResult: null,
  lastError: null,
  ...over,
});

describe('TrayController', () => {
  it('offers Show/Hide, the sync status and Quit', () => {
    const w = fakeWindow();
    const t = fakeTray();
    new TrayController(w.window, t.tray, jest.fn());
    expect(t.menu().map((i) => i.label ?? i.type)).toEqual([
      'Hide bwdc',
      'Sync stopped',
      'separator',
      'Quit bwdc',
    ]);
    expect(t.item('status').enabled).toBe(false);
    t.item('toggle').click!();
    expect(w.window.hide).toHaveBeenCalled();
    expect(t.label('toggle')).toBe('Show bwdc');
    t.item('toggle').click!();
    expect(w.window.show).toHaveBeenCalled();
    expect(w.window.focus).toHaveBeenCalled();
    expect(t.label('toggle')).toBe('Hide bwdc');
  });

  it('hides to the tray on minimize and on close, until Quit', () => {
    const w = fakeWindow();
    const t = fakeTray();
    const quit = jest.fn();
    const tray = new TrayController(w.window, t.tray, quit);
    w.emit('minimize');
    expect(w.window.isVisible()).toBe(false);
    tray.showWindow();
    expect(w.emit('close')).toBe(true);
    expect(w.window.isVisible()).toBe(false);
    t.item('quit').click!();
    expect(quit).toHaveBeenCalledTimes(1);
    expect(tray.isQuitting).toBe(true);
    expect(w.emit('close')).toBe(false);
  });

  it('lets the window close once the app is quitting by other means', () => {
    const w = fakeWindow();
    const tray = new TrayController(w.window, fakeTray().tray, jest.fn());
    tray.markQuitting();
    expect(w.emit('close')).toBe(false);
  });

  it('restores a minimized window from the tray icon', () => {
    const w = fakeWindow();
    const t = fakeTray();
    new TrayController(w.window, t.tray, jest.fn());
    w.setMinimized(true);
    t.click();
    expect(w.window.restore).toHaveBeenCalled();
    expect(w.window.show).toHaveBeenCalled();
  });

  it('shows the schedule in the menu and the tooltip', () => {
    const t = fakeTray();
    const tray = new TrayController(fakeWindow().window, t.tray, jest.fn());
    expect(t.tooltip()).toBe('bwdc: sync stopped');
    tray.setSchedule(schedule({ running: true, intervalMinutes: 15 }));
    expect(t.label('status')).toBe('Sync running every 15 min');
    tray.setSchedule(schedule({ running: true, intervalMinutes: 15, syncing: true }));
    expect(t.label('status')).toBe('Syncing…');
    tray.setSchedule(
      schedule({ running: true, intervalMinutes: 15, lastError: { code: 'X', message: 'm' } }),
    );
    expect(t.tooltip()).toBe('bwdc: sync running every 15 min (last run failed)');
  });
});
