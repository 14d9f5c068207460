import {
  BwdcError,
  CancelledError,
  ConfigValidationError,
  DirectoryError,
  FilterSyntaxError,
  fileProblem,
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

describe('fileProblem', () => {
  it.each([
    ['ENOENT', 'there is no such file'],
    ['EACCES', 'permission denied (the user running bwdc must be able to read it)'],
    ['EISDIR', 'it is a folder, not a file'],
  ])('says what %s means and how to set the path', (code, why) => {
    const error = Object.assign(new Error(`${code}: open`), { code });
    expect(fileProblem('ldap.sslCaPath', '/etc/ca.pem', error)).toBe(
      `ldap.sslCaPath: cannot read /etc/ca.pem: ${why}. Give the full path of the file: bwdc config ldap.sslCaPath <path>`,
    );
  });
});

describe('FilterSyntaxError', () => {
  it('names the setting and says how to correct it', () => {
    const error = new FilterSyntaxError('includ:a', 'unknown keyword "includ"', 'sync.userFilter');
    expect(error.message).toBe(
      'Invalid filter "includ:a" in sync.userFilter: unknown keyword "includ"',
    );
    expect(error.actions).toEqual([
      'Correct it: bwdc config sync.userFilter "<filter>" (an empty value removes it).',
    ]);
  });
});
