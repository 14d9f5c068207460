import { z } from 'zod';
import { ConfigValidationError, type ConfigIssue } from '../errors';
import { DirectoryType } from '../model';
import {
  entraConfigSchema,
  fileConfigSchema,
  gsuiteConfigSchema,
  ldapConfigSchema,
  oktaConfigSchema,
  oneLoginConfigSchema,
  type EntraConfig,
  type FileConfig,
  type GSuiteConfig,
  type LdapConfig,
  type OktaConfig,
  type OneLoginConfig,
} from './directories';
import { syncConfigSchema, type SyncConfig } from './sync';

/** The settings prefix of each part of the configuration, as admins type it (`ldap.port`). */
export type ConfigSection = 'ldap' | 'entra' | 'gsuite' | 'okta' | 'onelogin' | 'file' | 'sync';

export const SCHEMAS = {
  ldap: ldapConfigSchema,
  entra: entraConfigSchema,
  gsuite: gsuiteConfigSchema,
  okta: oktaConfigSchema,
  onelogin: oneLoginConfigSchema,
  file: fileConfigSchema,
  sync: syncConfigSchema,
} as const;

export interface ConfigBySection {
  ldap: LdapConfig;
  entra: EntraConfig;
  gsuite: GSuiteConfig;
  okta: OktaConfig;
  onelogin: OneLoginConfig;
  file: FileConfig;
  sync: SyncConfig;
}

/** The configuration of one directory, tagged with its type. */
export type DirectoryConfig =
  | { readonly type: DirectoryType.Ldap; readonly config: LdapConfig }
  | { readonly type: DirectoryType.EntraId; readonly config: EntraConfig }
  | { readonly type: DirectoryType.GSuite; readonly config: GSuiteConfig }
  | { readonly type: DirectoryType.Okta; readonly config: OktaConfig }
  | { readonly type: DirectoryType.OneLogin; readonly config: OneLoginConfig }
  | { readonly type: DirectoryType.File; readonly config: FileConfig };

export const SECTION_OF_TYPE: Readonly<Record<DirectoryType, Exclude<ConfigSection, 'sync'>>> = {
  [DirectoryType.Ldap]: 'ldap',
  [DirectoryType.EntraId]: 'entra',
  [DirectoryType.GSuite]: 'gsuite',
  [DirectoryType.Okta]: 'okta',
  [DirectoryType.OneLogin]: 'onelogin',
  [DirectoryType.File]: 'file',
};

/**
 * Validates one section and fills in defaults. Every problem is reported at once, each naming
 * the setting (`ldap.port: must be a whole number from 1 to 65535`).
 */
export function parseConfig<S extends ConfigSection>(section: S, raw: unknown): ConfigBySection[S] {
  const result = (SCHEMAS[section] as z.ZodType).safeParse(raw ?? {});
  if (result.success) return result.data as ConfigBySection[S];
  throw new ConfigValidationError(
    result.error.issues.map((issue) => toConfigIssue(section, issue)),
  );
}

/** Validates the configuration of the given directory type. */
export function parseDirectoryConfig(type: DirectoryType, raw: unknown): DirectoryConfig {
  return { type, config: parseConfig(SECTION_OF_TYPE[type], raw) } as DirectoryConfig;
}

function toConfigIssue(section: ConfigSection, issue: z.core.$ZodIssue): ConfigIssue {
  const setting = [section, ...issue.path.map(String)].join('.');
  return { setting, message: describeIssue(issue) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'number' ? `must be at least ${issue.minimum}` : issue.message;
    case 'too_big':
      return issue.origin === 'number' ? `must be at most ${issue.maximum}` : issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown setting(s) ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'boolean') return 'true or false';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
