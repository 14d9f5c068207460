import type { ScheduleState } from '@bwdc/ui';

/** The window as the tray sees it; main.ts adapts Electron's BrowserWindow to it. */
export interface WindowPort {
  isVisible(): boolean;
  isMinimized(): boolean;
  show(): void;
  hide(): void;
  restore(): void;
  focus(): void;
  /** Electron cannot veto a minimize; the window is hidden right after it. */
  onMinimize(listener: () => void): void;
  onClose(listener: (event: { preventDefault(): void }) => void): void;
  onVisibilityChange(listener: () => void): void;
}

export interface TrayPort {
  setToolTip(text: string): void;
  setContextMenu(items: readonly TrayMenuItem[]): void;
  onClick(listener: () => void): void;
}

export interface TrayMenuItem {
  readonly id: 'toggle' | 'status' | 'separator' | 'quit';
  readonly label?: string;
  readonly type?: 'separator';
  readonly enabled?: boolean;
  readonly click?: () => void;
}

/**
 * The tray and window-hiding rules: Show/Hide and Quit in the tray menu, minimize and close hide
 * the window to the tray (the scheduled sync keeps running), and only Quit really exits.
 */
export class TrayController {
  private quitting = false;
  private schedule: ScheduleState | undefined;

  constructor(
    private readonly window: WindowPort,
    private readonly tray: TrayPort,
    private readonly quit: () => void,
  ) {
    window.onMinimize(() => this.hideWindow());
    window.onClose((event) => {
      if (this.quitting) return;
      event.preventDefault();
      this.hideWindow();
    });
    window.onVisibilityChange(() => this.refresh());
    tray.onClick(() => this.toggle());
    this.refresh();
  }

  get isQuitting(): boolean {
    return this.quitting;
  }

  menu(): TrayMenuItem[] {
    const visible = this.window.isVisible() && !this.window.isMinimized();
    return [
      { id: 'toggle', label: visible ? 'Hide bwdc' : 'Show bwdc', click: () => this.toggle() },
      { id: 'status', label: this.statusText(), enabled: false },
      { id: 'separator', type: 'separator' },
      { id: 'quit', label: 'Quit bwdc', click: () => this.requestQuit() },
    ];
  }

  toggle(): void {
    if (this.window.isVisible() && !this.window.isMinimized()) this.hideWindow();
    else this.showWindow();
  }

  showWindow(): void {
    if (this.window.isMinimized()) this.window.restore();
    this.window.show();
    this.window.focus();
    this.refresh();
  }

  hideWindow(): void {
    this.window.hide();
    this.refresh();
  }

  /** From the tray menu or the app's before-quit: lets the next close really close. */
  requestQuit(): void {
    this.quitting = true;
    this.quit();
  }

  markQuitting(): void {
    this.quitting = true;
  }

  setSchedule(state: ScheduleState): void {
    this.schedule = state;
    this.refresh();
  }

  private statusText(): string {
    const s = this.schedule;
    if (s?.syncing) return 'Syncing…';
    if (s?.running) return `Sync running every ${s.intervalMinutes} min`;
    return 'Sync stopped';
  }

  private refresh(): void {
    this.tray.setToolTip(
      `bwdc: ${this.statusText().toLowerCase()}${this.schedule?.lastError ? ' (last run failed)' : ''}`,
    );
    this.tray.setContextMenu(this.menu());
  }
}
