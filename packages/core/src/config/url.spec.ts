import { describe, expect, it } from '@jest/globals';
import { checkServerUrl, plainHttpWarning } from './url';

describe('checkServerUrl', () => {
  it('accepts https://, and adds it when the scheme is missing', () => {
    expect(checkServerUrl('https://example.okta.com')).toMatchObject({ ok: true });
    const bare = checkServerUrl(' example.okta.com ');
    expect(bare.ok && bare.url.href).toBe('https://example.okta.com/');
  });

  it('accepts http:// on loopback only, unless the policy allows it anywhere', () => {
    expect(checkServerUrl('http://127.0.0.1:8080').ok).toBe(true);
    expect(checkServerUrl('http://[::1]:81').ok).toBe(true);
    expect(checkServerUrl('http://example.okta.com')).toEqual({
      ok: false,
      problem:
        '"http://example.okta.com" uses http://, which is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); use https://',
    });
    expect(checkServerUrl('http://127.0.0.1.nip.io').ok).toBe(false);
    expect(checkServerUrl('http://localhost.example.com').ok).toBe(false);
    expect(checkServerUrl('http://bw.example.com', 'anywhere').ok).toBe(true);
  });

  it('warns about plain http:// beyond this machine only', () => {
    expect(plainHttpWarning('The Bitwarden server', 'http://bw.example.com')).toContain(
      'uses plain http://',
    );
    expect(plainHttpWarning('The Bitwarden server', 'http://127.0.0.1:8080')).toBeUndefined();
    expect(plainHttpWarning('The Bitwarden server', 'http://vault.localhost')).toBeUndefined();
    expect(plainHttpWarning('The Bitwarden server', 'https://bw.example.com')).toBeUndefined();
  });

  it('refuses other schemes and text that is no URL', () => {
    expect(checkServerUrl('ftp://graph.example')).toEqual({
      ok: false,
      problem: '"ftp://graph.example" must be an https:// URL, not ftp:',
    });
    expect(checkServerUrl('https://exa mple.com')).toEqual({
      ok: false,
      problem: '"https://exa mple.com" is not a URL',
    });
  });
});
