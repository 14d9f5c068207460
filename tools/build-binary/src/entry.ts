import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Where oclif is told its command index and hooks are, relative to the binary's folder. */
export const COMMANDS_TARGET = './bwdc-bundled/commands.cjs';
export const hookTarget = (event: string): string => `./bwdc-bundled/hook-${event}.cjs`;

/** The CLI's package.json, as far as the binary needs it. */
export interface CliPackage {
  readonly name: string;
  readonly version: string;
  readonly oclif: {
    readonly hooks?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
}

/**
 * oclif's `pattern` discovery as it applies to the built CLI: every .js file under
 * dist/commands, its path (without .js) the command id, `:` between folders.
 */
export function findCommands(commandsDir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) {
        const id = relative(commandsDir, path).slice(0, -'.js'.length).split(sep).join(':');
        found[id === 'index' ? '' : id.replace(/:index$/, '')] = path;
      }
    }
  };
  walk(commandsDir);
  return found;
}

/** An oclif manifest, as far as the binary changes it. */
export interface OclifManifest {
  readonly version: string;
  readonly commands: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * The binary's manifest: the CLI's own (which its build writes) and the help command, which the
 * binary carries as one of its own commands rather than as a plugin.
 */
export function binaryManifest(
  cli: CliPackage,
  own: OclifManifest,
  help: OclifManifest,
): OclifManifest {
  const rooted = (command: Readonly<Record<string, unknown>>) => ({
    ...command,
    pluginAlias: cli.name,
    pluginName: cli.name,
    pluginType: 'core',
  });
  const helpCommand = help.commands.help;
  if (!helpCommand) throw new Error("@oclif/plugin-help's manifest has no help command.");
  return {
    version: cli.version,
    commands: { ...own.commands, help: rooted(helpCommand) },
  };
}

/**
 * The standalone bwdc's entry point: bin/run.js, with oclif told what to load (no package.json,
 * commands or hooks lie beside the binary) and those modules registered for the bundle's require
 * shim (see BANNER) under the paths oclif will ask for. The manifest goes in the bundle, and each
 * command is required when oclif asks for it, so a command starts without loading the others.
 */
export function entrySource(options: {
  cli: CliPackage;
  cliDir: string;
  commands: Readonly<Record<string, string>>;
  manifest: OclifManifest;
}): string {
  const { cli, cliDir, commands, manifest } = options;
  const hooks = cli.oclif.hooks ?? {};
  const pjson = {
    name: cli.name,
    version: cli.version,
    oclif: {
      ...cli.oclif,
      commands: { strategy: 'explicit', target: COMMANDS_TARGET, identifier: 'COMMANDS' },
      hooks: Object.fromEntries(Object.keys(hooks).map((event) => [event, hookTarget(event)])),
      // The help command is one of the bundled commands; nothing is loaded as a plugin.
      plugins: [],
    },
  };
  const commandLines = [
    ...Object.entries(commands).map(
      ([id, file]) =>
        `    get ${JSON.stringify(id)}() { return require(${JSON.stringify(file)}).default; },`,
    ),
    // @oclif/plugin-help's own command index (the plugin is an ES module).
    `    get help() { return require('@oclif/plugin-help').commands.help; },`,
  ].join('\n');
  const hookLines = Object.entries(hooks)
    .map(
      ([event, target]) =>
        `bundled.set(join(root, ${JSON.stringify(hookTarget(event))}), () => require(${JSON.stringify(join(cliDir, `${target}.js`))}));`,
    )
    .join('\n');
  return `'use strict';
const { dirname, join } = require('node:path');
const globalFlags = require(${JSON.stringify(join(cliDir, 'dist', 'global-flags.js'))});

globalFlags.applyGlobalFlags(process.argv);
const setting = require(${JSON.stringify(join(cliDir, 'dist', 'quick-commands.js'))}).settingToRead(process.argv);
if (setting !== undefined) {
  void require(${JSON.stringify(join(cliDir, 'dist', 'read-setting.js'))}).readSetting(setting);
} else {
  runOclif();
}

function runOclif() {
const root = dirname(process.execPath);
const bundled = globalThis[Symbol.for('bwdc.bundled')];
const COMMANDS = {
${commandLines}
};
bundled.set(join(root, ${JSON.stringify(COMMANDS_TARGET)}), () => ({ COMMANDS }));
${hookLines}
const { Plugin } = require('@oclif/core/config');
// No oclif.manifest.json lies beside the binary: the plugin answers with the bundled one.
class BundledPlugin extends Plugin {
  async _manifest() {
    const manifest = ${JSON.stringify(manifest)};
    this.commandIDs = Object.keys(manifest.commands);
    this.hasManifest = true;
    return manifest;
  }
}
const pjson = ${JSON.stringify(pjson)};
const plugin = new BundledPlugin({ isRoot: true, pjson, root });
plugin
  .load()
  .then(() =>
    require('@oclif/core/execute').execute({
      loadOptions: { root, pjson, plugins: new Map([[pjson.name, plugin]]) },
    }),
  )
  .catch(globalFlags.handleFatal);
}
`;
}

/**
 * Runs first in the bundle and replaces the `require` every bundled module sees. In a Node
 * single-executable application the main script's own require loads built-in modules only, so:
 * paths registered by the entry answer with the bundled module (oclif loads commands and hooks
 * by path), built-ins come from node, and anything else (the keychain's native module) from disk,
 * relative to the executable.
 */
export const BANNER = `require = ((embedded) => {
  const { createRequire, isBuiltin } = embedded('node:module');
  const fromDisk = createRequire(process.execPath);
  const bundled = (globalThis[Symbol.for('bwdc.bundled')] = new Map());
  const shim = (id) =>
    bundled.has(id) ? bundled.get(id)() : isBuiltin(id) ? embedded(id) : fromDisk(id);
  shim.resolve = (id, options) => (bundled.has(id) ? id : fromDisk.resolve(id, options));
  shim.main = embedded.main;
  shim.cache = fromDisk.cache;
  return shim;
})(require);`;

/**
 * @github/keytar inside the binary: its native module cannot be bundled, so it ships beside the
 * executable as keytar.node and loads from there. Without it (or without libsecret) the keychain
 * reports itself unavailable and bwdc names the other secret stores.
 */
export const KEYTAR_SHIM = `const { dirname, join } = require('node:path');
module.exports = require(join(dirname(process.execPath), 'keytar.node'));
`;
