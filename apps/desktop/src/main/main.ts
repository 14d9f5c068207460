/** The Electron entry point (package.json "main"): everything else lives in desktop-app.ts. */
import { join } from 'node:path';
import { app } from 'electron';
import { appVersion } from './version';
import { defaultPaths, startDesktop } from './desktop-app';

startDesktop(defaultPaths(join(__dirname, '..')), appVersion()).catch((error: unknown) => {
  process.stderr.write(`bwdc desktop failed to start: ${(error as Error).message}\n`);
  app.exit(1);
});
