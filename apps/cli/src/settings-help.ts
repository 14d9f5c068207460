import { GENERAL_SETTINGS, listSettings } from '@bwdc/core';

/** Column of the descriptions: with descriptions of at most 50 characters, a line fits 80 columns. */
const NAME_WIDTH = 26;

/**
 * Every setting with its one-line description, for `bwdc config --help`, from the settings
 * catalogue: a new setting appears here without this file changing. One line each, because
 * help's wrapping drops the indent of continued lines.
 */
export function settingsHelp(): string {
  return [...GENERAL_SETTINGS, ...listSettings()]
    .map(({ name, description }) => `${name.padEnd(NAME_WIDTH)}  ${description}`)
    .join('\n');
}
