import { readFile } from 'node:fs/promises';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type * as Interfaces from '@oclif/core/interfaces';
import { BwdcError, findSetting } from '@bwdc/core';
import type { SettingChangeResult } from '@bwdc/connector';
import { BwdcCommand, EXIT } from '../base-command';
import { errorExitCode, safeText } from '../output';
import { settingResponse } from '../read-setting';
import { settingsHelp } from '../settings-help';

const REMOVE_MISSING_OFF_NOTE =
  'Note: sync.removeMissingUsers is off, so people who leave the directory keep their Bitwarden membership. ' +
  'Turn it on with: bwdc config sync.removeMissingUsers true';

export default class Config extends BwdcCommand {
  static override summary = 'Configure settings.';
  static override description = [
    'Sets any setting: server (and server.api, server.identity, server.webVault for split self-hosted URLs),',
    'directory (0-4 or ldap, entra/azure, gsuite, okta, onelogin, file), and every',
    'ldap.*, entra.* (azure.*), gsuite.*, okta.*, onelogin.*, file.* and sync.* field, case-insensitively.',
    'Without a value it prints the current one; `config list` prints them all, secrets masked.',
    'Secrets (ldap.password, entra.key, gsuite.key, okta.token, onelogin.secret) go to the secret store.',
    'Give a secret with --secretenv or --secretfile: typed as a value it shows in `ps` and your shell history (bwdc warns).',
    'An unset or empty --secretenv variable, or an empty --secretfile, is an error and keeps the stored secret; clear one on purpose with: bwdc config ldap.password ""',
    'A secret that belongs to a server or account (ldap.hostname, ldap.username, ldap.domain, entra.tenant, ...)',
    'is cleared when that setting changes, and the command says so.',
    'A value that starts with "-" (a PEM key) goes after --: bwdc config gsuite.key -- "-----BEGIN ...".',
    'Values are checked when they are set: files must exist, filters must read as the directory reads them.',
    '',
    'Settings:',
    settingsHelp(),
  ].join('\n');
  static override examples = [
    '<%= config.bin %> config server https://bw.company.com',
    '<%= config.bin %> config directory ldap',
    '<%= config.bin %> config ldap.hostname dc1.company.com',
    '<%= config.bin %> config ldap.password --secretenv LDAP_PWD',
    '<%= config.bin %> config gsuite.key --secretfile service-account.json',
    '<%= config.bin %> config sync.users true',
    '<%= config.bin %> config list',
  ];
  static override args = {
    setting: Args.string({
      required: true,
      description: 'The setting, e.g. ldap.hostname, or "list".',
    }),
    value: Args.string({ description: 'The new value; "null" or "" clears it.' }),
  };
  static override flags = {
    secretenv: Flags.string({
      description:
        'Read secret from the named environment variable (an unset or empty variable is an error; the stored secret stays).',
      helpValue: '<variable-name>',
    }),
    secretfile: Flags.string({
      description:
        'Read secret from the named file: its first line, or the whole file when it has several ' +
        "(a PEM key); a Google service account's JSON key file also sets gsuite.clientEmail. An empty file is an error.",
      helpValue: '<filename>',
    }),
  };

  async run() {
    const { args, flags, argv } = await this.parse(Config);
    if (args.setting.toLowerCase() === 'list' && args.value === undefined) return this.list();

    let value = args.value;
    if (value === undefined || value === '') {
      if (flags.secretfile) {
        const file = await secretFile(flags.secretfile, args.setting);
        if (file.googleKey && isGoogleKeySetting(args.setting))
          return this.saved(
            args.setting,
            await this.connector.config.importGoogleKey(file.text, flags.secretfile),
          );
        value = file.value;
      } else if (flags.secretenv !== undefined) {
        value = secretFromEnvironment(flags.secretenv, args.setting);
      }
    } else if (findSetting(args.setting)?.secret) {
      this.note(
        `Warning: a secret typed on the command line is visible to other users of this machine (in \`ps\`) and stays in your shell history. ` +
          `Next time use: bwdc config ${args.setting} --secretenv <VARIABLE> (or --secretfile <file>).`,
      );
    }
    // No value at all (not even an empty one) reads the setting instead of clearing it.
    if (value === undefined && argv.length < 2 && !flags.secretfile && !flags.secretenv) {
      return this.respond(await settingResponse(this.connector, args.setting));
    }
    return this.saved(args.setting, await this.connector.config.set(args.setting, value));
  }

  /** The official message on stdout; what the change also did (a cleared secret...) on stderr. */
  private saved(setting: string, change: SettingChangeResult) {
    const response = this.respond({
      object: 'message',
      title: `Saved setting \`${setting.toLowerCase()}\`.`,
      message: null,
      notices: change.notices,
    });
    if (!this.jsonEnabled() && process.env.BW_QUIET !== 'true')
      for (const notice of change.notices) process.stderr.write(`${safeText(notice)}\n`);
    return response;
  }

  private async list() {
    const settings = await this.connector.config.list();
    const removeMissing = settings.find((s) => s.name === 'sync.removeMissingUsers');
    if (!this.jsonEnabled() && process.env.BW_RESPONSE !== 'true') {
      if (process.env.BW_QUIET !== 'true') {
        const width = Math.max(...settings.map((s) => s.name.length));
        const lines = settings.map(
          (s) =>
            `${s.name.padEnd(width)}  ${s.value === null ? '' : String(s.value)}${s.note ? `(${s.note})` : ''}`,
        );
        process.stdout.write(`${safeText(lines.join('\n'))}\n`);
        if (removeMissing?.value === false) process.stderr.write(`\n${REMOVE_MISSING_OFF_NOTE}\n`);
      }
      return { object: 'list', data: settings };
    }
    return this.respond({ object: 'list', data: settings });
  }

  /**
   * A value that starts with "-" (a PEM key) reaches oclif as an unknown option, whose error
   * would print it: say how to pass it instead, without showing it.
   */
  protected override async catch(error: Interfaces.CommandError): Promise<unknown> {
    const flags = (error as { flags?: unknown }).flags;
    if (Array.isArray(flags) && flags.some((f) => typeof f === 'string' && looksLikeValue(f))) {
      const setting = this.argv.find((a) => !a.startsWith('-')) ?? '<setting>';
      const fromFile = findSetting(setting)?.secret
        ? `, or read it from a file: bwdc config ${setting} --secretfile <file>`
        : '';
      await super.catch(
        new BwdcError(
          'CONFIG_INVALID',
          `The value of ${setting} starts with "-", so it was read as an option (it is not shown, in case it is a secret). ` +
            `Put -- before it: bwdc config ${setting} -- "<value>"${fromFile}.`,
        ),
      );
      process.exitCode = errorExitCode(process.env, EXIT.usage);
      return undefined;
    }
    return super.catch(error);
  }
}

/** `-----BEGIN…`, `-secret`, or anything with spaces: not one of this command's `--flag`s. */
function looksLikeValue(token: string): boolean {
  return !/^--[a-z][a-z-]*(=.*)?$/i.test(token) || /\s/.test(token);
}

function isGoogleKeySetting(setting: string): boolean {
  return findSetting(setting)?.name === 'gsuite.privateKey';
}

/**
 * A secret file as the official connector reads it (its first line), except that a file of
 * several lines (a PEM key) is taken whole, and a Google service account's JSON key is recognised.
 * An empty file is an error: it would clear the stored secret (clearing one is `config <setting> ""`).
 */
async function secretFile(
  path: string,
  setting: string,
): Promise<{ value: string; text: string; googleKey: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BwdcError(
      'CONFIG_INVALID',
      `Cannot read the secret file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. ${setting} was not changed.`,
    );
  }
  const content = text.replace(/(\r?\n)+$/, '');
  const lines = content.split(/\r?\n/);
  const value = lines.length > 1 ? content : (lines[0] ?? '');
  if (value.trim() === '') {
    throw new BwdcError(
      'CONFIG_INVALID',
      `The secret file ${path} is empty, so ${setting} was not changed. ` +
        `Write the secret into it, or clear the setting on purpose with: bwdc config ${setting} ""`,
    );
  }
  return { value, text, googleKey: isServiceAccountJson(content) };
}

/** `--secretenv NAME`: an unset or empty variable (a typo) is an error, never a cleared secret. */
function secretFromEnvironment(name: string, setting: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new BwdcError(
      'CONFIG_INVALID',
      `The environment variable ${name} ${value === undefined ? 'is not set' : 'is empty'}, so ${setting} was not changed. ` +
        `Check its name (--secretenv ${name}) and export it first, or clear the setting on purpose with: bwdc config ${setting} ""`,
    );
  }
  return value;
}

function isServiceAccountJson(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    return typeof json === 'object' && json !== null && 'private_key' in json;
  } catch {
    return false;
  }
}
