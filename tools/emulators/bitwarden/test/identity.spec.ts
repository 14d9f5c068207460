import { randomUUID } from 'node:crypto';
import { accessToken, call, start, stopAll, tokenRequest } from './helpers';

afterEach(stopAll);

const jwtParts = (token: string) => {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
  return { header, payload };
};

describe('§1 identity: POST {identity}/connect/token', () => {
  it('§1 success: 200 with access_token, expires_in 3600, token_type Bearer, scope api.organization and no refresh_token', async () => {
    const e = await start();
    const reply = await tokenRequest(e);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json as object).sort()).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'token_type',
    ]);
    expect(reply.json).toMatchObject({
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'api.organization',
    });
  });

  it('§1 the access token is a 3-part JWT, typ at+jwt, with exp and client_sub = organization id', async () => {
    const e = await start();
    const { header, payload } = jwtParts(await accessToken(e));
    expect(header.typ).toBe('at+jwt');
    expect(payload.client_sub).toBe(e.organizationId);
    expect(payload.client_id).toBe(e.clientId);
    expect(payload.exp - payload.nbf).toBe(3600);
  });

  it('§1 device fields are ignored for organization clients', async () => {
    const e = await start();
    const reply = await tokenRequest(e, {
      deviceType: undefined,
      deviceIdentifier: undefined,
      deviceName: undefined,
    });
    expect(reply.status).toBe(200);
  });

  it.each([
    ['a client id that is not a GUID', { client_id: 'organization.not-a-guid' }],
    ['"organization." with nothing after it', { client_id: 'organization.' }],
    ['an organization that does not exist', { client_id: `organization.${randomUUID()}` }],
    ['a wrong secret', { client_secret: 'wrong' }],
  ])('§1 errors: %s gives 400 {"error":"invalid_client"}', async (_what, fields) => {
    const e = await start();
    const reply = await tokenRequest(e, fields);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid_client' });
  });

  it('§1 errors: a client disabled by UseApi=false gives invalid_client', async () => {
    const e = await start();
    e.setOrganization({ useApi: false });
    expect((await tokenRequest(e)).json).toEqual({ error: 'invalid_client' });
  });

  it('§1 errors: invalid_scope, unsupported_grant_type and invalid_request (non-form body)', async () => {
    const e = await start();
    expect((await tokenRequest(e, { scope: 'api' })).json).toEqual({ error: 'invalid_scope' });
    expect((await tokenRequest(e, { grant_type: 'password' })).json).toEqual({
      error: 'unsupported_grant_type',
    });
    const json = await call(`${e.identityUrl}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect([json.status, json.json]).toEqual([400, { error: 'invalid_request' }]);
  });

  it('§1 an expired or revoked token is refused by the API with 401', async () => {
    const e = await start();
    const token = await accessToken(e);
    e.expireTokens();
    const reply = await call(`${e.apiUrl}/public/members`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(401);
  });

  it('§1 the token endpoint also answers without the /identity prefix (split URLs)', async () => {
    const e = await start();
    const reply = await call(`${e.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: e.clientId,
        client_secret: e.clientSecret,
      }).toString(),
    });
    expect(reply.status).toBe(200);
  });
});
