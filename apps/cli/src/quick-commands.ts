/**
 * Commands answered without oclif, whose start-up (its command lookup, parsing and help
 * machinery) would be most of their time. Only the plain form is taken: with any flag (`--json`,
 * `--help`, `--secretenv`) or a value, the command goes to oclif as usual. This module is loaded
 * on every start, so it loads nothing itself.
 */

/**
 * The setting of `bwdc config <setting>` (a read, which scripts run once per setting), to be
 * answered by `read-setting`; undefined for anything else. Global flags are already taken out.
 */
export function settingToRead(argv: readonly string[]): string | undefined {
  const [command, setting, ...rest] = argv.slice(2);
  if (command !== 'config' || setting === undefined || rest.length > 0) return undefined;
  if (setting.startsWith('-') || setting.toLowerCase() === 'list') return undefined;
  return setting;
}
