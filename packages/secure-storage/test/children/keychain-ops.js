// Runs secret-store operations in a fresh process, so each test picks its own D-Bus session
// (or none). Prints one JSON line: the results, or the error the store raised.
require('../../../../register-ts');
const { createSecretStore, KEYCHAIN_SERVICE, loadKeytar } = require('../../src/index.ts');

const ops = JSON.parse(process.argv[2]);
const store = createSecretStore({ env: process.env });

(async () => {
  const results = [];
  try {
    for (const { op, key, value } of ops) {
      if (op === 'get') results.push((await store.get(key)) ?? null);
      else if (op === 'set') results.push((await store.set(key, value)) ?? null);
      else if (op === 'delete') results.push((await store.delete(key)) ?? null);
      // What another program (the official connector) sees or wrote, through the module directly.
      else if (op === 'rawGet') results.push(await loadKeytar().getPassword(KEYCHAIN_SERVICE, key));
      else if (op === 'rawSet')
        results.push((await loadKeytar().setPassword(KEYCHAIN_SERVICE, key, value)) ?? null);
      else if (op === 'kind') results.push(store.kind);
    }
    process.stdout.write(`${JSON.stringify({ results })}\n`);
  } catch (error) {
    const { name, code, problem, message, actions } = error;
    process.stdout.write(
      `${JSON.stringify({ results, error: { name, code, problem, message, actions } })}\n`,
    );
  }
})();
