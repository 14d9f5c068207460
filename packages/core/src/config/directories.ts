import { z } from 'zod';
import { flag, httpsUrl, optionalText } from './fields';

/**
 * One schema per directory, with the official connector's field names and defaults
 * (`directoryLdap`, `directoryEntra`, ... in data.json). Fields marked secret live in the
 * secret store; data.json keeps a placeholder.
 */
export const ldapConfigSchema = z.object({
  id: optionalText,
  ssl: flag(false),
  startTls: flag(false),
  tlsCaPath: optionalText,
  sslAllowUnauthorized: flag(false),
  sslCertPath: optionalText,
  sslKeyPath: optionalText,
  sslCaPath: optionalText,
  hostname: optionalText,
  port: z.coerce.number().int().min(1).max(65535).default(389),
  domain: optionalText,
  rootPath: optionalText,
  currentUser: flag(false),
  username: optionalText,
  /** secret */
  password: optionalText,
  ad: flag(true),
  pagedSearch: flag(true),
  /** Ours: entries per page of a paged search. */
  pageSize: z.coerce.number().int().min(1).max(100000).default(1000),
  /** Ours: seconds the server may spend on one search request (upstream's fixed 300). */
  timeLimit: z.coerce.number().int().min(0).max(86400).default(300),
  /** Ours: an immutable attribute (entryUUID, ipaUniqueID) used as externalId off AD. */
  userIdAttribute: optionalText,
});
export type LdapConfig = z.infer<typeof ldapConfigSchema>;

export const entraConfigSchema = z.object({
  id: optionalText,
  identityAuthority: optionalText,
  tenant: optionalText,
  applicationId: optionalText,
  /** secret */
  key: optionalText,
  /** Ours: the Graph endpoint, e.g. https://graph.microsoft.us for US Government. */
  graphUrl: httpsUrl.optional(),
});
export type EntraConfig = z.infer<typeof entraConfigSchema>;

export const gsuiteConfigSchema = z.object({
  id: optionalText,
  clientEmail: optionalText,
  /** secret */
  privateKey: optionalText,
  domain: optionalText,
  adminUser: optionalText,
  customer: optionalText,
  /** Ours: the OAuth token endpoint. */
  tokenUri: httpsUrl.optional(),
  /** Ours: the Admin SDK root URL. */
  rootUrl: httpsUrl.optional(),
});
export type GSuiteConfig = z.infer<typeof gsuiteConfigSchema>;

export const oktaConfigSchema = z.object({
  id: optionalText,
  orgUrl: httpsUrl.optional(),
  /** secret */
  token: optionalText,
});
export type OktaConfig = z.infer<typeof oktaConfigSchema>;

export const oneLoginConfigSchema = z.object({
  id: optionalText,
  clientId: optionalText,
  /** secret */
  clientSecret: optionalText,
  region: z.enum(['us', 'eu']).default('us'),
  /** Ours: overrides `https://api.{region}.onelogin.com`. */
  apiUrl: httpsUrl.optional(),
});
export type OneLoginConfig = z.infer<typeof oneLoginConfigSchema>;

/** Ours: users and groups from a CSV or JSON file (the embedded default for demos). */
export const fileConfigSchema = z.object({
  id: optionalText,
  path: optionalText,
  format: z.enum(['auto', 'csv', 'json']).default('auto'),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;
