import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The app's version from its package.json (dist/<dir>/ and src/<dir>/ are both two levels down). */
export function appVersion(): string {
  return (
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}
