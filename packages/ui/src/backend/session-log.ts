import type { LogLine } from '../shared/bridge';

/**
 * The app's log of this session, shown on the dashboard: each run, its result, its warnings and
 * its failure, every line with the time it was written. Only the last lines are kept.
 */
export class SessionLog {
  private readonly lines: LogLine[] = [];

  constructor(
    private readonly limit = 200,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(level: LogLine['level'], text: string): void {
    this.lines.push({ at: this.now().toISOString(), level, text });
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }

  /** A run's warnings: the first few, then how many more there were. */
  warnings(warnings: readonly string[], total: number, shown = 5): void {
    for (const warning of warnings.slice(0, shown)) this.add('warning', warning);
    if (total > shown)
      this.add('warning', `${total - shown} more warning(s): see Test Now's result.`);
  }

  list(): readonly LogLine[] {
    return [...this.lines];
  }
}
