import {
  BwdcError,
  CancelledError,
  ConfigValidationError,
  DirectoryError,
  isBwdcError,
  throwIfCancelled,
} from './errors';

describe('errors', () => {
  it('carry a stable code, the class name and the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new DirectoryError('DIRECTORY_UNREACHABLE', 'ldaps://dc1:636', 'cannot connect', {
      cause,
    });
    expect(error).toBeInstanceOf(BwdcError);
    expect(error.code).toBe('DIRECTORY_UNREACHABLE');
    expect(error.name).toBe('DirectoryError');
    expect(error.message).toBe('ldaps://dc1:636: cannot connect');
    expect(error.source).toBe('ldaps://dc1:636');
    expect(error.cause).toBe(cause);
    expect(isBwdcError(error)).toBe(true);
    expect(isBwdcError(cause)).toBe(false);
  });

  it('list every config issue in the message', () => {
    const error = new ConfigValidationError([
      { setting: 'ldap.port', message: 'must be at most 65535' },
      { setting: 'sync.users', message: 'must be a boolean' },
    ]);
    expect(error.message).toBe('ldap.port: must be at most 65535\nsync.users: must be a boolean');
  });

  it('throwIfCancelled throws only once the signal fired', () => {
    const controller = new AbortController();
    expect(() => throwIfCancelled(controller.signal, 'The sync')).not.toThrow();
    controller.abort();
    expect(() => throwIfCancelled(controller.signal, 'The sync')).toThrow(
      new CancelledError('The sync'),
    );
    expect(() => throwIfCancelled(undefined)).not.toThrow();
  });
});
