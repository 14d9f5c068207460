import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import {
  BwdcError,
  fileProblem,
  filterCorrection,
  type DirectoryType,
  type SettingInfo,
} from '@bwdc/core';
import { filterProblem } from '@bwdc/directory-provider';
import { directoryFilterSyntax } from './directory-provider-factory';

/** Upstream's shortest schedule; a smaller value would be raised to it without a word. */
const MIN_INTERVAL_MINUTES = 5;

/**
 * What `config` checks in a value beyond the schema, before saving it, with the words a run
 * would fail with: a file that must exist, a filter as the configured directory reads it, and a
 * schedule interval that would not be used as typed. Throws a BwdcError naming the setting.
 */
export async function checkSettingValue(
  setting: SettingInfo,
  value: unknown,
  directoryType: DirectoryType | undefined,
): Promise<void> {
  if (value === null || value === undefined || value === '') return;
  if (setting.file && typeof value === 'string') {
    try {
      if (!(await stat(value)).isFile()) throw Object.assign(new Error(value), { code: 'EISDIR' });
      await access(value, constants.R_OK);
    } catch (error) {
      throw new BwdcError('CONFIG_INVALID', fileProblem(setting.name, value, error));
    }
  }
  const kind =
    setting.name === 'sync.userFilter'
      ? 'user'
      : setting.name === 'sync.groupFilter'
        ? 'group'
        : undefined;
  // Before a directory is chosen there is no syntax to read the filter by: the run checks it.
  if (kind && typeof value === 'string' && directoryType !== undefined) {
    const problem = filterProblem(value, await directoryFilterSyntax(directoryType), kind);
    if (problem) {
      throw new BwdcError('FILTER_INVALID', problem, { actions: [filterCorrection(setting.name)] });
    }
  }
  if (
    setting.name === 'sync.interval' &&
    typeof value === 'number' &&
    value > 0 &&
    value < MIN_INTERVAL_MINUTES
  ) {
    throw new BwdcError(
      'CONFIG_INVALID',
      `sync.interval: must be at least ${MIN_INTERVAL_MINUTES} (minutes), or 0 to turn the schedule off.`,
    );
  }
}
