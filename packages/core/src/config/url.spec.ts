import { describe, expect, it } from '@jest/globals';
import { checkServerUrl } from './url';

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
      problem: 'must use https:// (http:// is allowed only for loopback hosts)',
    });
    expect(checkServerUrl('http://127.0.0.1.nip.io').ok).toBe(false);
    expect(checkServerUrl('http://localhost.example.com').ok).toBe(false);
    expect(checkServerUrl('http://bw.example.com', 'anywhere').ok).toBe(true);
  });

  it('refuses other schemes and text that is no URL', () => {
    expect(checkServerUrl('ftp://graph.example')).toEqual({
      ok: false,
      problem: 'must be an https:// URL, not ftp:',
    });
    expect(checkServerUrl('https://exa mple.com')).toEqual({
      ok: false,
      problem: '"https://exa mple.com" is not a URL',
    });
  });
});
