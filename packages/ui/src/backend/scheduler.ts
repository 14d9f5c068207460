import type { ScheduleOptions } from '@bwdc/connector';
import type { BridgeErrorInfo, ScheduleState, SyncSummary } from '../shared/bridge';

export type RunOnSchedule = (options: ScheduleOptions<SyncSummary>) => Promise<void>;

export interface SyncSchedulerOptions {
  /** `runOnSchedule` from @bwdc/connector: the same loop `bwdc sync --interval` uses. */
  readonly runOnSchedule: RunOnSchedule;
  /** One sync; receives the signal that fires when the schedule stops (or Sync Now is cancelled). */
  readonly sync: (signal: AbortSignal) => Promise<SyncSummary>;
  readonly describeError: (error: unknown) => BridgeErrorInfo;
  /** Told after every change (start, stop, a run starting or ending), e.g. to update the tray. */
  readonly onChange?: (state: ScheduleState) => void;
  readonly now?: () => Date;
}

/**
 * The dashboard's Start/Stop Sync: keeps one schedule loop at a time and remembers what its
 * last run did. Sync Now goes through `runOnce`, so both share the "syncing" flag and errors.
 */
export class SyncScheduler {
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private interval: number | null = null;
  private inFlight = 0;
  private lastRunAt: string | null = null;
  private lastResult: SyncSummary | null = null;
  private lastError: BridgeErrorInfo | null = null;

  constructor(private readonly options: SyncSchedulerOptions) {}

  state(): ScheduleState {
    return {
      running: this.controller !== undefined,
      intervalMinutes: this.interval,
      syncing: this.inFlight > 0,
      lastRunAt: this.lastRunAt,
      lastResult: this.lastResult,
      lastError: this.lastError,
    };
  }

  /** Syncs now and then every `intervalMinutes`; a second start while running changes nothing. */
  start(intervalMinutes: number): ScheduleState {
    if (this.controller) return this.state();
    const controller = new AbortController();
    this.controller = controller;
    this.interval = intervalMinutes;
    this.loop = this.options
      .runOnSchedule({
        intervalMinutes,
        signal: controller.signal,
        run: (signal) => this.tracked(() => this.options.sync(signal)),
        onResult: (result) => this.recordResult(result),
        onError: (error) => this.recordError(error),
      })
      .catch((error: unknown) => this.recordError(error))
      .finally(() => {
        if (this.controller === controller) {
          this.controller = undefined;
          this.changed();
        }
      });
    this.changed();
    return this.state();
  }

  /** Stops the loop, cancelling a run in flight (which then commits nothing), and waits for it. */
  async stop(): Promise<ScheduleState> {
    const controller = this.controller;
    const loop = this.loop;
    if (controller) {
      controller.abort();
      this.controller = undefined;
      this.changed();
      await loop;
    }
    return this.state();
  }

  /**
   * Sync Now: one run outside the loop (`run` replaces the configured sync, e.g. to watch its
   * progress); its result and error are remembered like a scheduled one's.
   */
  async runOnce(
    signal?: AbortSignal,
    run: (signal: AbortSignal) => Promise<SyncSummary> = this.options.sync,
  ): Promise<SyncSummary> {
    try {
      const result = await this.tracked(() => run(signal ?? new AbortController().signal));
      this.recordResult(result);
      return result;
    } catch (error) {
      this.recordError(error);
      throw error;
    }
  }

  private async tracked<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.changed();
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.lastRunAt = (this.options.now?.() ?? new Date()).toISOString();
      this.changed();
    }
  }

  private recordResult(result: SyncSummary): void {
    this.lastResult = result;
    this.lastError = null;
    this.changed();
  }

  private recordError(error: unknown): void {
    this.lastError = this.options.describeError(error);
    this.changed();
  }

  private changed(): void {
    this.options.onChange?.(this.state());
  }
}
