import { useState } from 'react';
import type { LogLine } from '../../shared/bridge';
import { Alert, Card } from '../components/ui';
import { formatLogTime, plural } from '../format';

/** Warnings shown before "Show all". */
const WARNINGS_SHOWN = 5;

/**
 * A run's warnings: the read summary first (it says which setting to check), then the entries
 * it is about; the result lists the first ones and says how many there were.
 */
export function RunWarnings({
  warnings,
  count,
  testId,
}: {
  warnings: readonly string[];
  count: number;
  testId: string;
}) {
  const [all, setAll] = useState(false);
  if (count === 0) return null;
  const shown = all ? warnings : warnings.slice(0, WARNINGS_SHOWN);
  return (
    <Alert kind="warning" title={plural(count, 'warning')} testId={testId}>
      <ul className="change-list warning-list">
        {shown.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
      {shown.length < warnings.length && (
        <button type="button" className="link" onClick={() => setAll(true)}>
          Show {warnings.length - shown.length} more
        </button>
      )}
      {count > warnings.length && (
        <span className="muted"> and {count - warnings.length} more in the run report.</span>
      )}
    </Alert>
  );
}

/** This session's log: each run, what it did and what went wrong, every line with its time. */
export function RunLog({ lines }: { lines: readonly LogLine[] }) {
  return (
    <Card title="Log" subtitle="What ran in this session, oldest first." testId="log-card">
      {lines.length === 0 ? (
        <p className="muted">Nothing has run yet.</p>
      ) : (
        <ol className="log" data-testid="log">
          {lines.map((line, i) => (
            <li key={i} className={`log-line log-${line.level}`}>
              <time dateTime={line.at}>{formatLogTime(line.at)}</time>
              <span>{line.text}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
