// Adds 1 to a counter in data.json `times` times, each as its own locked read-modify-write.
// Starts when a line arrives on standard input, so two of them really run at the same time.
require('../../../../register-ts');
const { StateStore } = require('../../src/index.ts');

const [dataDir, name, times] = process.argv.slice(2);
const store = StateStore.open(dataDir);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run() {
  for (let i = 0; i < Number(times); i++) {
    await store.update(async (state) => {
      const count = typeof state.preserved.count === 'number' ? state.preserved.count : 0;
      // Yield between read and write, so an unlocked store would interleave and lose updates.
      await pause(1);
      const log = Array.isArray(state.preserved.log) ? state.preserved.log : [];
      return {
        ...state,
        preserved: { ...state.preserved, count: count + 1, log: [...log, `${name}-${i}`] },
      };
    });
    // Work between commits, as a real program has, gives the other process its turn.
    await pause(10);
  }
}

process.stdout.write('ready\n');
process.stdin.once('data', () => {
  run().then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
});
