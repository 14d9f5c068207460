import { DirectoryType, directoryTypeName, parseDirectoryType } from './model';

describe('DirectoryType', () => {
  it('keeps the official connector’s numeric codes', () => {
    expect([
      DirectoryType.Ldap,
      DirectoryType.EntraId,
      DirectoryType.GSuite,
      DirectoryType.Okta,
      DirectoryType.OneLogin,
    ]).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    ['0', DirectoryType.Ldap],
    [1, DirectoryType.EntraId],
    ['azure', DirectoryType.EntraId],
    ['Google', DirectoryType.GSuite],
    [' okta ', DirectoryType.Okta],
    ['4', DirectoryType.OneLogin],
    ['file', DirectoryType.File],
    ['100', DirectoryType.File],
  ])('parses %p', (input, expected) => {
    expect(parseDirectoryType(input)).toBe(expected);
  });

  it.each(['5', '-1', 'ldapx', ''])('rejects %p', (input) => {
    expect(parseDirectoryType(input)).toBeUndefined();
  });

  it('names each type', () => {
    expect(directoryTypeName(DirectoryType.GSuite)).toBe('gsuite');
    expect(directoryTypeName(DirectoryType.File)).toBe('file');
  });
});
