/**
 * @bwdc/provider-file: users and groups from a CSV or JSON file. See README.md for the formats.
 */
export { FileDirectoryProvider, type FileProviderIo } from './file-provider';
export { FileDirectoryError } from './errors';
