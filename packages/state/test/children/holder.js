// Holds the run lock (as a sync does) until its standard input closes.
require('../../../../register-ts');
const { StateStore } = require('../../src/index.ts');

const [dataDir] = process.argv.slice(2);
StateStore.open(dataDir)
  .withLock(async () => {
    process.stdout.write('locked\n');
    await new Promise((resolve) => process.stdin.on('end', resolve).resume());
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
