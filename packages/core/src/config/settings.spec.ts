import { coerceSettingValue, findSetting, listSettings } from './settings';

describe('settings catalogue', () => {
  it('lists every field of every section with its kind', () => {
    const byName = Object.fromEntries(listSettings().map((s) => [s.name, s]));
    expect(byName['ldap.port']).toMatchObject({ kind: 'number', secret: false });
    expect(byName['ldap.ssl']).toMatchObject({ kind: 'boolean' });
    expect(byName['ldap.hostname']).toMatchObject({ kind: 'text' });
    expect(byName['onelogin.region']).toMatchObject({ kind: 'choice', choices: ['us', 'eu'] });
    expect(byName['sync.interval']).toMatchObject({ kind: 'number' });
    expect(byName['okta.orgUrl']).toMatchObject({ kind: 'text' });
    expect(byName['ldap.id']).toBeUndefined();
  });

  it('marks exactly the directory secrets', () => {
    expect(
      listSettings()
        .filter((s) => s.secret)
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      'entra.key',
      'gsuite.privateKey',
      'ldap.password',
      'okta.token',
      'onelogin.clientSecret',
    ]);
  });

  it.each([
    ['LDAP.HostName', 'ldap.hostname'],
    ['ldap.sslcapath', 'ldap.sslCaPath'],
    ['azure.key', 'entra.key'],
    ['azure.applicationId', 'entra.applicationId'],
    ['gsuite.key', 'gsuite.privateKey'],
    ['onelogin.secret', 'onelogin.clientSecret'],
    ['sync.removeMissingUsers', 'sync.removeMissingUsers'],
  ])('finds %p as %p', (typed, canonical) => {
    expect(findSetting(typed)?.name).toBe(canonical);
  });

  it.each(['no.such', 'ldap.nosuch', 'server', 'ldap.id'])('finds nothing for %p', (typed) => {
    expect(findSetting(typed)).toBeUndefined();
  });

  it('coerces typed text to the setting’s kind, leaving bad text for validation to reject', () => {
    expect(coerceSettingValue(findSetting('ldap.ssl')!, 'TRUE')).toBe(true);
    expect(coerceSettingValue(findSetting('ldap.ssl')!, 'sure')).toBe('sure');
    expect(coerceSettingValue(findSetting('ldap.port')!, '636')).toBe(636);
    expect(coerceSettingValue(findSetting('ldap.port')!, 'x')).toBe('x');
    expect(coerceSettingValue(findSetting('ldap.hostname')!, '')).toBeNull();
    expect(coerceSettingValue(findSetting('ldap.hostname')!, 'null')).toBeNull();
    expect(coerceSettingValue(findSetting('onelogin.region')!, 'EU')).toBe('eu');
  });
});
