import { describe, expect, it } from '@jest/globals';
import { RESET_PAD_MS, retryAfterMs } from './retry-after';

const h = (values: Record<string, string>): Headers => new Headers(values);

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads Retry-After as delta-seconds or an HTTP date, and ignores junk', () => {
    expect(retryAfterMs(h({ 'Retry-After': '7' }))).toBe(7000);
    expect(retryAfterMs(h({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(h({ 'Retry-After': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now)).toBe(0);
    expect(
      retryAfterMs(h({ 'Retry-After': new Date(Date.now() + 60_000).toUTCString() })),
    ).toBeGreaterThan(50_000);
    expect(retryAfterMs(h({ 'Retry-After': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({}))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it("reads Okta's X-Rate-Limit-Reset (epoch seconds) on the server's clock", () => {
    // Our clock is a minute behind the server's; the reset is 10 s after the server's Date.
    const headers = h({
      Date: 'Thu, 01 Jan 2026 00:01:00 GMT',
      'X-Rate-Limit-Reset': String(Date.parse('2026-01-01T00:01:10Z') / 1000),
    });
    expect(retryAfterMs(headers, now)).toBe(10_000 + RESET_PAD_MS);
  });

  it("reads OneLogin's X-RateLimit-Reset (seconds from now)", () => {
    expect(retryAfterMs(h({ 'X-RateLimit-Reset': '7' }), now)).toBe(7000 + RESET_PAD_MS);
  });

  it('prefers Retry-After, and distrusts a comma-joined reset', () => {
    expect(retryAfterMs(h({ 'Retry-After': '2', 'X-RateLimit-Reset': '30' }))).toBe(2000);
    expect(retryAfterMs(h({ 'X-Rate-Limit-Reset': '1767225610, 1767225620' }))).toBeUndefined();
  });

  it('reads plain header objects, whatever their case', () => {
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
    expect(retryAfterMs({ 'X-RateLimit-Reset': '1' })).toBe(1000 + RESET_PAD_MS);
  });
});
