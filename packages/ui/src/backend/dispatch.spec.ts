import { createFakeConnector } from '../testing/fake-connector';
import { createBridgeBackend } from './backend';
import { dispatch } from './dispatch';

const backend = () =>
  createBridgeBackend({
    connector: createFakeConnector().connector,
    mode: 'desktop',
    version: '0.0.1',
  });

describe('dispatch', () => {
  it('runs a known method with its arguments', async () => {
    await expect(
      dispatch(backend(), 'login', ['organization.o1', 'right-secret']),
    ).resolves.toEqual({ ok: true, value: { organizationId: 'o1' } });
  });

  it('answers null for methods without a value', async () => {
    await expect(dispatch(backend(), 'clearCache', [])).resolves.toEqual({ ok: true, value: null });
  });

  it('refuses unknown methods, including inherited ones', async () => {
    for (const method of ['nope', 'constructor', 'dispose', '__proto__', 42]) {
      await expect(dispatch(backend(), method, [])).resolves.toMatchObject({
        ok: false,
        error: { code: 'BRIDGE_UNKNOWN_METHOD' },
      });
    }
  });

  it('refuses malformed arguments before anything runs', async () => {
    const b = backend();
    const spy = jest.spyOn(b, 'login');
    const cases: [string, unknown[]][] = [
      ['login', ['only-one']],
      ['login', [1, 2]],
      ['test', ['yes']],
      ['saveSettings', [[{ name: 'x', value: 3 }]]],
      ['saveSettings', ['x']],
      ['setServer', [{}]],
      ['pickFile', [{ title: 1 }]],
      ['dashboard', ['extra']],
      ['syncNow', ['force']],
      ['syncNow', [true, true]],
    ];
    for (const [method, args] of cases) {
      await expect(dispatch(b, method, args)).resolves.toMatchObject({
        ok: false,
        error: { code: 'BRIDGE_BAD_REQUEST' },
      });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('turns a connector failure into its code, message and field', async () => {
    await expect(dispatch(backend(), 'login', ['organization.o1', 'wrong'])).resolves.toEqual({
      ok: false,
      error: {
        code: 'BITWARDEN_AUTH_FAILED',
        message: 'The server refused the API key: invalid_client.',
      },
    });
  });

  it('shows control and BIDI characters of directory values as escapes, in values and errors', async () => {
    const hostile = 'eve\u001b[2J@example.com\u202e\nnext line';
    const fake = createFakeConnector({
      test: async () => ({
        object: 'test' as const,
        groups: [{ externalId: 'g1', displayName: hostile, userIds: [] }],
        enabledUsers: [{ externalId: 'u1', displayName: hostile }],
        disabledUsers: [],
        deletedUsers: [],
      }),
    });
    const b = createBridgeBackend({ connector: fake.connector, mode: 'desktop', version: '0.0.1' });
    const reply = (await dispatch(b, 'test', [false])) as {
      ok: true;
      value: { enabledUsers: { displayName: string }[] };
    };
    expect(reply.value.enabledUsers[0]!.displayName).toBe(
      'eve\\x1b[2J@example.com\\u202e\nnext line',
    );
    // eslint-disable-next-line no-control-regex -- the characters under test
    expect(JSON.stringify(reply)).not.toMatch(/[\u001b\u202e]/);
  });
});
