// Rewrites data.json as fast as it can until killed. Each document is self-consistent: its
// `payload` repeats `counter`, so a reader can tell a whole document from a torn one.
require('../../../../register-ts');
const { StateStore } = require('../../src/index.ts');

const [dataDir, staleLockMs] = process.argv.slice(2);
const store = StateStore.open(dataDir, { staleLockMs: Number(staleLockMs) });
(async () => {
  for (let i = 1; ; i++) {
    await store.update((state) => ({
      ...state,
      preserved: {
        ...state.preserved,
        counter: state.preserved.counter + 1,
        payload: Array.from({ length: 20000 }, () => state.preserved.counter + 1),
      },
    }));
    if (i === 1) process.stdout.write('started\n');
  }
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
