import { DirectoryType, type DirectoryConfig, type Logger, type SyncConfig } from '@bwdc/core';
import type { DirectoryProvider } from '@bwdc/directory-provider';
import { EntraDirectoryProvider } from '@bwdc/provider-entra';
import { FileDirectoryProvider } from '@bwdc/provider-file';
import { GoogleDirectoryProvider } from '@bwdc/provider-google';
import { LdapDirectoryProvider } from '@bwdc/provider-ldap';
import { OktaDirectoryProvider } from '@bwdc/provider-okta';
import { OneLoginDirectoryProvider } from '@bwdc/provider-onelogin';

/**
 * The one place that knows every provider: builds exactly the provider the configured directory
 * type names. Secrets are already filled into `directory.config`.
 */
export function createDirectoryProvider(directory: DirectoryConfig, sync: SyncConfig, logger: Logger): DirectoryProvider {
  switch (directory.type) {
    case DirectoryType.Ldap:
      return new LdapDirectoryProvider(directory.config, sync, logger);
    case DirectoryType.EntraId:
      return new EntraDirectoryProvider(directory.config, sync, logger);
    case DirectoryType.GSuite:
      return new GoogleDirectoryProvider(directory.config, sync, logger);
    case DirectoryType.Okta:
      return new OktaDirectoryProvider(directory.config, sync, logger);
    case DirectoryType.OneLogin:
      return new OneLoginDirectoryProvider(directory.config, sync, logger);
    case DirectoryType.File:
      return new FileDirectoryProvider(directory.config, sync, logger);
  }
}
