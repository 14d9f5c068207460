import { describe, expect, it } from '@jest/globals';
import { settingToRead } from './quick-commands';

const argv = (...args: string[]) => ['node', 'bwdc', ...args];

describe('settingToRead', () => {
  it('takes the plain read of one setting', () => {
    expect(settingToRead(argv('config', 'ldap.hostname'))).toBe('ldap.hostname');
    expect(settingToRead(argv('config', 'SERVER'))).toBe('SERVER');
  });

  it('leaves to oclif a change, a flag, the list and every other command', () => {
    expect(settingToRead(argv('config', 'ldap.hostname', 'dc1'))).toBeUndefined();
    expect(settingToRead(argv('config', 'ldap.hostname', ''))).toBeUndefined();
    expect(settingToRead(argv('config', 'ldap.password', '--secretenv', 'X'))).toBeUndefined();
    expect(settingToRead(argv('config', 'ldap.hostname', '--json'))).toBeUndefined();
    expect(settingToRead(argv('config', '--help'))).toBeUndefined();
    expect(settingToRead(argv('config', '-h'))).toBeUndefined();
    expect(settingToRead(argv('config', 'list'))).toBeUndefined();
    expect(settingToRead(argv('config', 'LIST'))).toBeUndefined();
    expect(settingToRead(argv('config'))).toBeUndefined();
    expect(settingToRead(argv('test', 'ldap.hostname'))).toBeUndefined();
    expect(settingToRead(argv())).toBeUndefined();
  });
});
