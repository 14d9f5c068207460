import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { BwdcError } from '@bwdc/core';
import { BwdcCommand } from '../base-command';

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
  ].join('\n');
  static override examples = [
    '<%= config.bin %> config server https://bw.company.com',
    '<%= config.bin %> config directory ldap',
    '<%= config.bin %> config ldap.hostname dc1.company.com',
    '<%= config.bin %> config ldap.password --secretenv LDAP_PWD',
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
      description: 'Read secret from the named environment variable.',
      helpValue: '<variable-name>',
    }),
    secretfile: Flags.string({
      description: 'Read secret from first line of the named file.',
      helpValue: '<filename>',
    }),
  };

  async run() {
    const { args, flags, argv } = await this.parse(Config);
    if (args.setting.toLowerCase() === 'list' && args.value === undefined) return this.list();

    let value = args.value;
    if (value === undefined || value === '') {
      if (flags.secretfile) value = await firstLine(flags.secretfile);
      else if (flags.secretenv && process.env[flags.secretenv])
        value = process.env[flags.secretenv];
    }
    // No value at all (not even an empty one) reads the setting instead of clearing it.
    if (value === undefined && argv.length < 2 && !flags.secretfile && !flags.secretenv) {
      const current = await this.connector.config.get(args.setting);
      return this.respond({
        object: 'string',
        data: current.value === null ? null : String(current.value),
      });
    }
    await this.connector.config.set(args.setting, value);
    return this.respond({
      object: 'message',
      title: `Saved setting \`${args.setting.toLowerCase()}\`.`,
      message: null,
    });
  }

  private async list() {
    const settings = await this.connector.config.list();
    const removeMissing = settings.find((s) => s.name === 'sync.removeMissingUsers');
    if (!this.jsonEnabled() && process.env.BW_RESPONSE !== 'true') {
      if (process.env.BW_QUIET !== 'true') {
        const width = Math.max(...settings.map((s) => s.name.length));
        const lines = settings.map(
          (s) => `${s.name.padEnd(width)}  ${s.value === null ? '' : String(s.value)}`,
        );
        process.stdout.write(`${lines.join('\n')}\n`);
        if (removeMissing?.value === false) process.stderr.write(`\n${REMOVE_MISSING_OFF_NOTE}\n`);
      }
      return { object: 'list', data: settings };
    }
    return this.respond({ object: 'list', data: settings });
  }
}

async function firstLine(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new BwdcError(
      'CONFIG_INVALID',
      `Cannot read the secret file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
}
