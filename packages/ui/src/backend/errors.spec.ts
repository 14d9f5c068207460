import { BwdcError, ConfigValidationError, DirectoryError } from '@bwdc/core';
import { toBridgeError } from './errors';

describe('toBridgeError', () => {
  it('puts a rejected LDAP bind under the password, keeping the message', () => {
    const error = new DirectoryError(
      'DIRECTORY_AUTH_FAILED',
      'ldap://127.0.0.1:3389',
      'the server rejected the bind as "cn=reader": wrong ldap.username or ldap.password.',
    );
    expect(toBridgeError(error, 'ldap')).toEqual({
      code: 'DIRECTORY_AUTH_FAILED',
      message:
        'ldap://127.0.0.1:3389: the server rejected the bind as "cn=reader": wrong ldap.username or ldap.password.',
      setting: 'ldap.password',
    });
  });

  it('uses the setting a message names, canonically spelled', () => {
    const error = new BwdcError(
      'DIRECTORY_READ_FAILED',
      'the search base does not exist. Check ldap.rootpath and sync.userPath.',
    );
    expect(toBridgeError(error, 'ldap').setting).toBe('ldap.rootPath');
  });

  it('puts an encryption demand under ldap.ssl, not the password', () => {
    const error = new DirectoryError(
      'DIRECTORY_AUTH_FAILED',
      'ldap://h',
      'the server requires an encrypted connection for this bind: turn on ldap.ssl.',
    );
    expect(toBridgeError(error, 'ldap').setting).toBe('ldap.ssl');
  });

  it('puts an unreachable directory under its address field', () => {
    expect(
      toBridgeError(
        new DirectoryError('DIRECTORY_UNREACHABLE', 'ldap://h:1', 'connection refused'),
        'ldap',
      ).setting,
    ).toBe('ldap.hostname');
    expect(
      toBridgeError(new DirectoryError('DIRECTORY_UNREACHABLE', 'https://x', 'timed out'), 'okta')
        .setting,
    ).toBe('okta.orgUrl');
  });

  it('takes the field of a validation issue', () => {
    const error = new ConfigValidationError([
      { setting: 'ldap.port', message: 'must be at most 65535' },
    ]);
    expect(toBridgeError(error)).toMatchObject({
      code: 'CONFIG_INVALID',
      setting: 'ldap.port',
      message: 'ldap.port: must be at most 65535',
    });
  });

  it('passes actions on and describes foreign errors without a stack', () => {
    expect(
      toBridgeError(
        new BwdcError('NOT_LOGGED_IN', 'You are not logged in.', { actions: ['bwdc login'] }),
      ),
    ).toEqual({
      code: 'NOT_LOGGED_IN',
      message: 'You are not logged in.',
      actions: ['bwdc login'],
    });
    expect(toBridgeError(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toBridgeError('text')).toEqual({ code: 'INTERNAL', message: 'text' });
  });
});
