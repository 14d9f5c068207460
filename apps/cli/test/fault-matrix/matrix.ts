/**
 * The fault matrix's bookkeeping: each scenario is a jest test that runs beside the others
 * (`it.concurrent`: every scenario has its own data folder, emulator and directory) and returns a
 * line saying what the admin saw; the table of every scenario and its outcome is printed at the
 * end of the run.
 */
import { it } from '@jest/globals';

export interface Row {
  readonly id: string;
  readonly area: string;
  readonly title: string;
  outcome: string;
  passed: boolean | undefined;
  ms: number;
}

const rows: Row[] = [];

/** One scenario: `run` asserts, and returns what the admin saw, for the table. */
export function scenario(
  id: string,
  area: string,
  title: string,
  run: () => Promise<string>,
): void {
  const row: Row = { id, area, title, outcome: 'not run', passed: undefined, ms: 0 };
  rows.push(row);
  it.concurrent(`${id} ${area}: ${title}`, async () => {
    const started = Date.now();
    try {
      row.outcome = await run();
      row.passed = true;
    } catch (error) {
      row.passed = false;
      row.outcome = `FAILED: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
      throw error;
    } finally {
      row.ms = Date.now() - started;
    }
  });
}

/** The table, one scenario a line: id, area, outcome (pass/FAIL), seconds, what the admin saw. */
export function table(): string {
  const passed = rows.filter((r) => r.passed).length;
  const failed = rows.filter((r) => r.passed === false).length;
  const width = (pick: (r: Row) => string) => Math.max(...rows.map((r) => pick(r).length));
  const idW = width((r) => r.id);
  const areaW = width((r) => r.area);
  const titleW = Math.min(
    70,
    width((r) => r.title),
  );
  const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const lines = rows.map(
    (r) =>
      `${r.id.padEnd(idW)}  ${r.area.padEnd(areaW)}  ${cut(r.title, titleW).padEnd(titleW)}  ${r.passed === undefined ? 'skip' : r.passed ? 'pass' : 'FAIL'}  ${(r.ms / 1000).toFixed(1).padStart(5)}s  ${r.outcome}`,
  );
  return [
    '',
    `Fault matrix: ${rows.length} scenarios, ${passed} passed, ${failed} failed`,
    `${'id'.padEnd(idW)}  ${'area'.padEnd(areaW)}  ${'scenario'.padEnd(titleW)}  ${'    '}  ${'time'.padStart(6)}  what the admin saw`,
    ...lines,
    '',
  ].join('\n');
}
