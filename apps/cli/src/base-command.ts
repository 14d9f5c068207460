import { once } from 'node:events';
// oclif's subpath modules, not its index: the index also loads and runs a check of oclif's own
// Node engine range (semver, ~50 modules) on every start.
import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import * as ux from '@oclif/core/ux';
import {
  NotLoggedInError,
  createConnector,
  type Connector,
  type SafetyLimitError,
  type SyncProgress,
} from '@bwdc/connector';
import { escapeJsonText, isBwdcError, stderrSink } from '@bwdc/core';
import { cliVersion } from './global-flags';
import {
  EXIT,
  describeFailure,
  renderError,
  renderSuccessPieces,
  safeText,
  type CliResponse,
} from './output';

export { EXIT } from './output';

/**
 * Every bwdc command: parses, makes one connector call, and returns a response that is rendered
 * here only, the official CLI's way, or as JSON with `--json`. Errors are mapped to messages and
 * exit codes in `catch`, nowhere else.
 */
export abstract class BwdcCommand extends Command {
  static override enableJsonFlag = true;

  // Declared for --help only: bin/run.js takes these out of argv and sets their BW_* variables.
  static override baseFlags = {
    pretty: Flags.boolean({
      description: 'Format output. JSON is tabbed with two spaces.',
      helpGroup: 'GLOBAL',
    }),
    raw: Flags.boolean({
      description: 'Return raw output instead of a descriptive message.',
      helpGroup: 'GLOBAL',
    }),
    response: Flags.boolean({
      description: 'Return a JSON formatted version of response output.',
      helpGroup: 'GLOBAL',
    }),
    cleanexit: Flags.boolean({
      description: 'Exit with a success exit code (0) unless an error is thrown.',
      helpGroup: 'GLOBAL',
    }),
    quiet: Flags.boolean({ description: "Don't return anything to stdout.", helpGroup: 'GLOBAL' }),
    nointeraction: Flags.boolean({
      description: 'Do not prompt for interactive user input.',
      helpGroup: 'GLOBAL',
    }),
  };

  private connectorInstance: Connector | undefined;
  private progressShown = false;
  /**
   * Each line for people starts with the time it was written (`sync --interval`, whose output
   * is read later, run after run). Output that scripts parse is left as it is.
   */
  protected timestamped = false;

  private stamp(text: string): string {
    const env = process.env;
    if (!this.timestamped || env.BW_RESPONSE === 'true' || env.BW_RAW === 'true') return text;
    const now = new Date().toISOString();
    return text
      .split('\n')
      .map((line) => `${now} ${line}`)
      .join('\n');
  }

  protected get connector(): Connector {
    this.connectorInstance ??= createConnector({
      env: process.env,
      version: cliVersion(),
      // A log line must not land in the middle of the progress line.
      logSink: (record) => {
        this.clearProgress();
        stderrSink(record);
      },
    });
    return this.connectorInstance;
  }

  /** Prints a response unless --json is on, in which case oclif prints the returned value. */
  protected respond<T extends CliResponse>(response: T): T {
    this.clearProgress();
    if (!this.jsonEnabled()) {
      const rendered = renderSuccessPieces(
        response,
        process.env,
        Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      );
      if (rendered.stdout !== undefined)
        writeOut(this.timestamped ? [this.stamp([...rendered.stdout].join(''))] : rendered.stdout);
    }
    process.exitCode = EXIT.ok;
    return response;
  }

  /**
   * Prints text for a person after the response: not with --json, --response, --raw or --quiet,
   * whose output scripts parse.
   */
  protected tell(text: string | undefined): void {
    const env = process.env;
    if (text === undefined || this.jsonEnabled()) return;
    if (env.BW_RESPONSE === 'true' || env.BW_RAW === 'true' || env.BW_QUIET === 'true') return;
    // Through the same queue as the response, so it comes after it.
    writeOut([safeText(this.stamp(text))]);
  }

  /** A note for a person on stderr (not with --quiet), control characters escaped. */
  protected note(text: string): void {
    if (process.env.BW_QUIET === 'true') return;
    this.clearProgress();
    process.stderr.write(`${safeText(text)}\n`);
  }

  /** `--json` output, with the characters JSON.stringify leaves raw (BIDI, C1) escaped. */
  override logJson(json: unknown): void {
    ux.stdout(
      escapeJsonText(ux.colorizeJson(json, { pretty: true, theme: this.config.theme?.json })),
    );
  }

  /** Reports read progress on stderr when a person is watching. */
  protected progressReporter(): ((progress: SyncProgress) => void) | undefined {
    if (!process.stderr.isTTY || process.env.BW_QUIET === 'true' || this.jsonEnabled())
      return undefined;
    return (progress) => {
      const step = progress.read ?? progress;
      const count =
        step.done === undefined
          ? ''
          : `: ${step.done}${step.total === undefined ? '' : `/${step.total}`}`;
      const what = progress.read
        ? `reading ${progress.read.phase}`
        : progress.phase === 'organization'
          ? 'reading the organization'
          : progress.phase;
      process.stderr.write(`\r\u001b[2K${what}${count}`);
      this.progressShown = true;
    };
  }

  private clearProgress(): void {
    if (this.progressShown) process.stderr.write('\r\u001b[2K');
    this.progressShown = false;
  }

  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    // oclif's own exits (--help, parse errors) keep their behaviour.
    if (!isBwdcError(error) && (error as { oclif?: { exit?: number } }).oclif?.exit !== undefined)
      throw error;
    this.clearProgress();
    const failure = describeFailure(error, process.env);
    if (this.jsonEnabled()) {
      this.logJson({
        error: {
          code: failure.code,
          message: failure.message,
          actions: failure.actions,
          ...refusalDetails(error),
        },
      });
    } else {
      const rendered = renderError(
        failure.message,
        process.env,
        Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
        failure.actions,
      );
      if (rendered.stdout !== undefined) writeOut([rendered.stdout]);
      if (rendered.stderr !== undefined) process.stderr.write(`${this.stamp(rendered.stderr)}\n`);
    }
    process.exitCode = failure.exitCode;
    return undefined;
  }

  /** Commands that need a logged-in organization stop here with the official message. */
  protected async requireLogin(): Promise<void> {
    const status = await this.connector.status();
    if (!status.loggedIn) throw new NotLoggedInError();
  }
}

/** Output still being written; each response waits for the one before it. */
let writing: Promise<void> = Promise.resolve();

/**
 * Writes pieces of output and a line break, in writes of about 64 KB, waiting whenever stdout
 * is full: a large response (the `test` plan of a big directory) is never held as one string,
 * nor queued whole behind a slow pipe. The command returns at once; the process ends when the
 * output is written.
 */
function writeOut(pieces: Iterable<string>): void {
  writing = writing
    .then(async () => {
      const out = process.stdout;
      let batch: string[] = [];
      let size = 0;
      for (const piece of pieces) {
        batch.push(piece);
        size += piece.length;
        if (size >= 1 << 16) {
          if (!out.write(batch.join(''))) await once(out, 'drain');
          batch = [];
          size = 0;
        }
      }
      batch.push('\n');
      out.write(batch.join(''));
    })
    // A reader that went away (EPIPE) ends the output, as it would end a single write.
    .catch(() => undefined);
}

/** A guard refusal's lists for `--json`: every member and group it would take away, and whether --force goes past it. */
function refusalDetails(error: unknown): Record<string, unknown> {
  if (!isBwdcError(error) || error.code !== 'SAFETY_LIMIT') return {};
  const e = error as Partial<SafetyLimitError>;
  return {
    forceable: e.forceable ?? false,
    removals: (e.wouldRemove ?? []).map((r) => ({
      email: r.email ?? null,
      externalId: r.externalId,
      reason: r.reasonText,
      code: r.reason,
    })),
    groups: (e.groupLosses ?? []).map((g) => ({
      name: g.name,
      externalId: g.externalId,
      membersBefore: g.before,
      membersAfter: g.after,
      lost: g.lost,
    })),
  };
}
