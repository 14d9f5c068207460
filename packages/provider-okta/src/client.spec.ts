import { describe, expect, it } from '@jest/globals';
import { bucketOf } from './client';

describe('bucketOf', () => {
  it('groups calls by endpoint', () => {
    expect(bucketOf('/api/v1/groups/00g1/users')).toBe('/api/v1/groups/{id}/users');
    expect(bucketOf('/api/v1/users')).toBe('/api/v1/users');
    expect(bucketOf('/api/v1/users/me')).toBe('/api/v1/users/me');
    expect(bucketOf('/api/v1/users/00u1')).toBe('/api/v1/users/{id}');
  });
});
