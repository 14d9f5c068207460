import { closestWord } from './suggest';

describe('closestWord', () => {
  const commands = ['sync', 'test', 'login', 'logout', 'config', 'last-sync', 'data-file'];

  it.each([
    ['snyc', 'sync'],
    ['tset', 'test'],
    ['lgoin', 'login'],
    ['CONFIG', 'config'],
    ['lastsync', 'last-sync'],
  ])('finds %s -> %s', (typed, meant) => {
    expect(closestWord(typed, commands)).toBe(meant);
  });

  it('prefers the nearest of several candidates', () => {
    expect(closestWord('logot', commands)).toBe('logout');
  });

  it('finds nothing when no candidate is a slip away', () => {
    expect(closestWord('deploy', commands)).toBeUndefined();
    expect(closestWord('', commands)).toBeUndefined();
    expect(closestWord('x', [])).toBeUndefined();
  });
});
