import { MemberStatus } from '../src/index';
import { accessToken, body, call, group, importBody, member, start, stopAll } from './helpers';

afterEach(stopAll);

const modelState = (errors: Record<string, string[]>) => ({
  object: 'error',
  message: "The request's model state is invalid.",
  errors,
});

describe('§2 import endpoint: POST {api}/public/organization/import', () => {
  it('§2 without a token: 401 with an empty body', async () => {
    const e = await start();
    const reply = await call(`${e.apiUrl}/public/organization/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body()),
    });
    expect([reply.status, reply.text]).toEqual([401, '']);
  });

  it('§2 success: 200 with an empty body', async () => {
    const e = await start();
    const reply = await importBody(e, body({ members: [member('u1')] }));
    expect([reply.status, reply.text]).toEqual([200, '']);
  });

  it('§2 property names are case-insensitive (System.Text.Json web defaults)', async () => {
    const e = await start();
    const reply = await importBody(e, {
      Groups: [],
      MEMBERS: [{ Email: 'A@example.com', EXTERNALID: 'u1', Deleted: false }],
      overwriteexisting: false,
    });
    expect(reply.status).toBe(200);
    expect(e.org.member('a@example.com')?.externalId).toBe('u1');
  });

  it('§2 externalId accepts a number or a bool and reads it as a string (PermissiveStringConverter)', async () => {
    const e = await start();
    const reply = await importBody(e, {
      ...body(),
      members: [{ email: 'n@example.com', externalId: 42, deleted: false }],
      groups: [{ name: 'G', externalId: true, memberExternalIds: [42] }],
    });
    expect(reply.status).toBe(200);
    expect(e.org.member('n@example.com')).toMatchObject({ externalId: '42', groups: ['G'] });
    expect(e.org.groups()[0]!.externalId).toBe('True');
  });

  it('§2 email is required only for members with deleted=false: "Email is required for enabled members."', async () => {
    const e = await start();
    const enabled = await importBody(e, body({ members: [{ externalId: 'u1', email: null }] }));
    expect(enabled.status).toBe(400);
    expect(enabled.json).toEqual(
      modelState({ 'Members[0].Email': ['Email is required for enabled members.'] }),
    );
    const deleted = await importBody(
      e,
      body({ members: [{ externalId: 'u1', email: null, deleted: true }] }),
    );
    expect(deleted.status).toBe(200);
  });

  it("§2 [EmailAddress] is .NET's lax check: one '@', neither first nor last", async () => {
    const e = await start();
    expect((await importBody(e, body({ members: [member('u1', 'a@b')] }))).status).toBe(200);
    for (const bad of ['a@@b', '@b', 'a@', 'ab', 'a@b\nc']) {
      const reply = await importBody(e, body({ members: [member('u2', bad)] }));
      expect(reply.json).toEqual(
        modelState({ 'Members[0].Email': ['The Email field is not a valid e-mail address.'] }),
      );
    }
  });

  it('§2 required fields and maximum lengths give model-state errors keyed by C# paths', async () => {
    const e = await start();
    const reply = await importBody(e, {
      groups: [
        { name: 'x'.repeat(101), externalId: 'g1', memberExternalIds: [] },
        { name: '', externalId: 'y'.repeat(301), memberExternalIds: [] },
      ],
      members: [{ email: `${'e'.repeat(250)}@example.com`, externalId: '', deleted: false }],
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(
      modelState({
        OverwriteExisting: ['The OverwriteExisting field is required.'],
        'Groups[0].Name': ['The field Name must be a string with a maximum length of 100.'],
        'Groups[1].Name': ['The Name field is required.'],
        'Groups[1].ExternalId': [
          'The field ExternalId must be a string with a maximum length of 300.',
        ],
        'Members[0].Email': ['The field Email must be a string with a maximum length of 256.'],
        'Members[0].ExternalId': ['The ExternalId field is required.'],
      }),
    );
  });

  it('§2 an empty body gives "Body is empty."', async () => {
    const e = await start();
    const reply = await importBody(e, '');
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(modelState({ '': ['Body is empty.'] }));
  });

  it('§2 inviteUsersAfterProvisioning defaults to true on the server', async () => {
    const e = await start({ stagedStatus: true });
    const { inviteUsersAfterProvisioning: _omit, ...rest } = body({ members: [member('u1')] });
    await importBody(e, rest);
    expect(e.org.member('u1@example.com')?.status).toBe(MemberStatus.Invited);
  });

  it('§2 null groups, members or memberExternalIds give a 500', async () => {
    const e = await start();
    const unhandled = {
      object: 'error',
      message: 'An unhandled server error has occurred.',
      errors: null,
    };
    for (const b of [
      { members: [], overwriteExisting: false },
      { groups: [], overwriteExisting: false },
      body({ groups: [{ name: 'G', externalId: 'g', memberExternalIds: null }] as never }),
    ]) {
      const reply = await importBody(e, b);
      expect([reply.status, reply.json]).toEqual([500, unhandled]);
    }
  });

  it('§2 duplicate group externalIds give a 500', async () => {
    const e = await start();
    const reply = await importBody(e, body({ groups: [group('g', 'A', []), group('g', 'B', [])] }));
    expect(reply.status).toBe(500);
  });

  it('§2 duplicate non-deleted member emails give a 500', async () => {
    const e = await start();
    const reply = await importBody(
      e,
      body({ members: [member('u1', 'same@example.com'), member('u2', 'SAME@example.com')] }),
    );
    expect(reply.status).toBe(500);
    const ok = await importBody(
      e,
      body({ members: [member('u1', 'same@example.com'), member('u2', 'same@example.com', true)] }),
    );
    expect(ok.status).toBe(200);
  });

  it('§2 size rule (cloud): over 2000 non-deleted members or groups without largeImport is refused', async () => {
    const e = await start();
    const many = Array.from({ length: 2001 }, (_, i) => member(`u${i}`));
    const refused = await importBody(e, body({ members: many }));
    expect([refused.status, refused.json]).toEqual([
      400,
      { object: 'error', message: 'You cannot import this much data at once.', errors: null },
    ]);
    const groups = Array.from({ length: 2001 }, (_, i) => group(`g${i}`, `G${i}`, []));
    expect((await importBody(e, body({ groups }))).status).toBe(400);
    expect(e.org.members()).toHaveLength(1);
    expect((await importBody(e, body({ members: many, largeImport: true }))).status).toBe(200);
  });

  it('§2 size rule: deleted members do not count', async () => {
    const e = await start();
    const deleted = Array.from({ length: 2001 }, (_, i) => member(`u${i}`, undefined, true));
    expect((await importBody(e, body({ members: deleted }))).status).toBe(200);
  });

  it('§2 size rule: self-hosted has no limit', async () => {
    const e = await start({ mode: 'selfhosted' });
    const many = Array.from({ length: 2001 }, (_, i) => member(`u${i}`));
    expect((await importBody(e, body({ members: many }))).status).toBe(200);
    expect(e.org.members()).toHaveLength(2002);
  });

  it('§2 the route also answers without the /api prefix (split URLs)', async () => {
    const e = await start();
    const reply = await call(`${e.url}/public/organization/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await accessToken(e)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body()),
    });
    expect(reply.status).toBe(200);
  });
});
