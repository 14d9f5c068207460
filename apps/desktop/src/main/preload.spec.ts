const exposeInMainWorld = jest.fn();
const invoke = jest.fn(async (..._args: unknown[]) => ({ ok: true, value: 1 }));

jest.mock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke } }));

type Api = { invoke(method: string, args: unknown[]): Promise<unknown> };

/** Loads the preload afresh and returns what it exposed (the preset clears mocks between tests). */
function loadPreload(): { name: string; api: Api; calls: number } {
  exposeInMainWorld.mockClear();
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load per test
    require('./preload');
  });
  const [name, api] = exposeInMainWorld.mock.calls[0] as [string, Api];
  return { name, api, calls: exposeInMainWorld.mock.calls.length };
}

describe('the preload', () => {
  it('exposes only bwdcIpc.invoke to the page', () => {
    const { name, api, calls } = loadPreload();
    expect(calls).toBe(1);
    expect(name).toBe('bwdcIpc');
    expect(Object.keys(api)).toEqual(['invoke']);
  });

  it('forwards a call to its channel with the arguments spread', async () => {
    const { api } = loadPreload();
    await expect(api.invoke('login', ['organization.x', 's'])).resolves.toEqual({
      ok: true,
      value: 1,
    });
    expect(invoke).toHaveBeenCalledWith('bwdc:login', 'organization.x', 's');
  });

  it('refuses channel names that are not plain method names', async () => {
    const { api } = loadPreload();
    await expect(api.invoke('../other:channel', [])).rejects.toThrow('Invalid bridge method.');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('requires nothing but electron at run time (a sandboxed preload cannot)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:fs inside a mocked-module spec
    const fs = require('node:fs') as typeof import('node:fs');
    const source = fs.readFileSync(`${__dirname}/preload.ts`, 'utf8');
    const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)].map(
      (m) => m[1],
    );
    expect(runtimeImports).toEqual(['electron']);
  });
});
