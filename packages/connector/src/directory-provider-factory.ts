import { DirectoryType, type DirectoryConfig, type Logger, type SyncConfig } from '@bwdc/core';
import {
  OFFICIAL_FILTER_SYNTAX,
  type DirectoryProvider,
  type FilterSyntax,
} from '@bwdc/directory-provider';

/**
 * The one place that knows every provider: builds exactly the provider the configured directory
 * type names. Each provider is loaded only when chosen: the SDKs behind them take most of a
 * second each to load, which every `bwdc` command would otherwise pay.
 */
export async function createDirectoryProvider(
  directory: DirectoryConfig,
  sync: SyncConfig,
  logger: Logger,
): Promise<DirectoryProvider> {
  switch (directory.type) {
    case DirectoryType.Ldap:
      return new (await import('@bwdc/provider-ldap')).LdapDirectoryProvider(
        directory.config,
        sync,
        logger,
      );
    case DirectoryType.EntraId:
      return new (await import('@bwdc/provider-entra')).EntraDirectoryProvider(
        directory.config,
        sync,
        logger,
      );
    case DirectoryType.GSuite:
      return new (await import('@bwdc/provider-google')).GoogleDirectoryProvider(
        directory.config,
        sync,
        logger,
      );
    case DirectoryType.Okta:
      return new (await import('@bwdc/provider-okta')).OktaDirectoryProvider(
        directory.config,
        sync,
        logger,
      );
    case DirectoryType.OneLogin:
      return new (await import('@bwdc/provider-onelogin')).OneLoginDirectoryProvider(
        directory.config,
        sync,
        logger,
      );
    case DirectoryType.File:
      return new (await import('@bwdc/provider-file')).FileDirectoryProvider(
        directory.config,
        sync,
        logger,
      );
  }
}

/**
 * How the directory of this type reads `sync.userFilter` / `sync.groupFilter` (its provider's
 * declared syntax), for checking a filter when it is set. Loads only LDAP's or Entra's module.
 */
export async function directoryFilterSyntax(type: DirectoryType): Promise<FilterSyntax> {
  switch (type) {
    case DirectoryType.Ldap:
      return (await import('@bwdc/provider-ldap')).LDAP_FILTER_SYNTAX;
    case DirectoryType.EntraId:
      return (await import('@bwdc/provider-entra')).ENTRA_FILTER_SYNTAX;
    default:
      return OFFICIAL_FILTER_SYNTAX;
  }
}
