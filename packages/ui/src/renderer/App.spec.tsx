/**
 * @jest-environment @happy-dom/jest-environment
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { BwdcError, CancelledError } from '@bwdc/core';
import { createBridgeBackend } from '../backend/backend';
import { dispatch } from '../backend/dispatch';
import { bridgeFromCall, type Bridge } from '../shared/bridge';
import { createFakeConnector, sampleChanges } from '../testing/fake-connector';
import { App } from './App';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** The real backend over a fake connector, through the same dispatch the transports use. */
function setup(fake = createFakeConnector()): {
  bridge: Bridge;
  fake: ReturnType<typeof createFakeConnector>;
} {
  const backend = createBridgeBackend({
    connector: fake.connector,
    mode: 'browser',
    version: '3.1.4',
  });
  return { bridge: bridgeFromCall((m, a) => dispatch(backend, m, a)), fake };
}

afterEach(cleanup);

describe('the app', () => {
  it('shows a refused API key under the client secret, then logs in', async () => {
    const { bridge } = setup();
    render(<App bridge={bridge} />);
    fireEvent.change(await screen.findByLabelText('Client ID'), {
      target: { value: 'organization.org-7' },
    });
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'wrong' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Log in' })));
    const field = screen.getByLabelText('Client secret').closest('.field')!;
    expect(await within(field as HTMLElement).findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('invalid_client'),
    );
    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 'right-secret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Log in' })));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(screen.getAllByText('org-7').length).toBeGreaterThan(0);
  });

  it('runs a test and lists users, disabled users and groups with members', async () => {
    const { bridge } = setup();
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const testNow = await screen.findByRole('button', { name: 'Test Now' });
    await act(async () => fireEvent.click(testNow));
    const results = await screen.findByTestId('test-results');
    expect(within(results).getByTestId('count-users').textContent).toBe('2');
    fireEvent.click(within(results).getByRole('tab', { name: /^Users/ }));
    expect(within(results).getByText('alice@example.com')).toBeTruthy();
    fireEvent.click(within(results).getByRole('tab', { name: /Disabled users/ }));
    expect(within(results).getByText('carol@example.com')).toBeTruthy();
    fireEvent.click(within(results).getByRole('tab', { name: /Groups/ }));
    const row = within(results).getByText('Engineering').closest('tr')!;
    expect(within(row).getByText('bob@example.com')).toBeTruthy();
  });

  it('shows what the sync would change first: invites, removals with reasons, group changes', async () => {
    const { bridge } = setup();
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const button = await screen.findByRole('button', { name: 'Test Now' });
    await act(async () => fireEvent.click(button));
    const results = await screen.findByTestId('test-results');
    const first = within(results).getAllByRole('tab')[0]!;
    expect(first.textContent).toBe('What will change3');
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(within(results).getByTestId('changes-headline').textContent).toBe(
      '1 member to invite, 1 member to remove, 1 group to change.',
    );
    expect(within(results).getByTestId('changes-invite').textContent).toContain('bob@example.com');
    expect(within(results).getByTestId('changes-remove').textContent).toContain(
      'dave@example.com — deleted in the directory',
    );
    expect(within(results).getByTestId('changes-groups').textContent).toContain(
      'Engineering — adds bob@example.com; takes out helper@example.com',
    );
    expect(within(results).getByTestId('changes-unmanaged').textContent).toContain(
      'owner@example.com (Owner, confirmed)',
    );
  });

  it('says why the organization could not be read, and still shows what would be sent', async () => {
    const fake = createFakeConnector();
    fake.connector.changes = async (options = {}) => ({
      test: await fake.connector.test(options),
      changes: undefined,
      unavailable: 'This Bitwarden server does not offer GET /public/members.',
      guard: {
        refused: false,
        forceable: true,
        reason: undefined,
        check: undefined,
        groupLosses: [],
      },
      warnings: [],
    });
    const { bridge } = setup(fake);
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const button = await screen.findByRole('button', { name: 'Test Now' });
    await act(async () => fireEvent.click(button));
    expect((await screen.findByTestId('changes-unavailable')).textContent).toContain(
      'does not offer GET /public/members',
    );
    expect(screen.getByTestId('count-users').textContent).toBe('2');
  });

  it('shows a running test with its progress, and cancels it', async () => {
    const fake = createFakeConnector();
    fake.connector.test = (options = {}) =>
      new Promise((_resolve, reject) => {
        options.onProgress?.({ phase: 'read', read: { phase: 'users', done: 250 } });
        options.signal?.addEventListener('abort', () => reject(new CancelledError('The test')));
      });
    const { bridge } = setup(fake);
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const testNow = await screen.findByRole('button', { name: 'Test Now' });
    await act(async () => fireEvent.click(testNow));
    const activity = await screen.findByTestId('activity-test');
    expect(activity.textContent).toContain('Reading users from the directory (250 so far)');
    await act(async () =>
      fireEvent.click(within(activity).getByRole('button', { name: 'Cancel' })),
    );
    expect((await screen.findByTestId('test-error')).textContent).toContain(
      'The test was cancelled. Nothing was changed.',
    );
  });

  it('syncs now and says what was sent', async () => {
    const { bridge, fake } = setup();
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const syncNow = await screen.findByRole('button', { name: 'Sync Now' });
    await act(async () => fireEvent.click(syncNow));
    expect((await screen.findByTestId('sync-result')).textContent).toContain(
      'Synced 1 group and 2 users.',
    );
    expect(fake.state.calls).toContain('sync');
  });

  it('names who a sync removed, and why', async () => {
    const fake = createFakeConnector({
      sync: async () =>
        ({
          usersSynced: 2,
          groupsSynced: 1,
          requestsSent: 1,
          skippedUnchanged: false,
          warnings: [],
          finishedAt: new Date().toISOString(),
          removed: [],
          guard: { removals: [] },
          changes: sampleChanges(),
        }) as never,
    });
    const { bridge } = setup(fake);
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const button = await screen.findByRole('button', { name: 'Sync Now' });
    await act(async () => fireEvent.click(button));
    const result = await screen.findByTestId('sync-result');
    expect(within(result).getByTestId('sync-removed').textContent).toContain(
      'dave@example.com — deleted in the directory',
    );
    expect(within(result).getByTestId('sync-invited').textContent).toBe(
      'Invited 1: bob@example.com',
    );
    expect(within(result).getByTestId('sync-groups').textContent).toContain('Engineering');
  });

  it('lists who a refused sync would remove, and forces it only after confirmation', async () => {
    const forced: (boolean | undefined)[] = [];
    const removals = Array.from({ length: 12 }, (_, i) => ({
      externalId: `u${i}`,
      email: `user${i}@example.com`,
      reason: 'missing' as const,
      reasonText: 'gone from the directory',
      wasManaged: true,
    }));
    const fake = createFakeConnector({
      sync: async (options = {}) => {
        forced.push(options.force);
        if (!options.force)
          throw Object.assign(
            new BwdcError(
              'SAFETY_LIMIT',
              'Refusing to sync: it would remove 12 of the 14 members.\nIt would remove:\n  ...',
            ),
            { wouldRemove: removals, forceable: true },
          );
        return {
          usersSynced: 2,
          groupsSynced: 0,
          requestsSent: 1,
          skippedUnchanged: false,
          warnings: [],
          finishedAt: new Date().toISOString(),
          removed: [],
          guard: { removals: [] },
        } as never;
      },
    });
    const { bridge } = setup(fake);
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const button = await screen.findByRole('button', { name: 'Sync Now' });
    await act(async () => fireEvent.click(button));
    const refusal = await screen.findByTestId('sync-error');
    expect(refusal.textContent).toContain('Sync refused by the safety guard');
    expect(refusal.textContent).toContain(
      'Refusing to sync: it would remove 12 of the 14 members.',
    );
    const list = within(refusal).getByTestId('guard-removals');
    expect(within(list).getAllByRole('listitem')).toHaveLength(10);
    expect(list.textContent).toContain('user0@example.com — gone from the directory');
    fireEvent.click(within(refusal).getByRole('button', { name: 'Show all 12' }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(12);

    // Cancel first: nothing happens.
    fireEvent.click(within(refusal).getByRole('button', { name: 'Sync Anyway…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(forced).toEqual([false]);

    fireEvent.click(within(refusal).getByRole('button', { name: 'Sync Anyway…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Remove 12 members?');
    await act(async () =>
      fireEvent.click(within(dialog).getByRole('button', { name: 'Remove and Sync' })),
    );
    expect(await screen.findByTestId('sync-result')).toBeTruthy();
    expect(forced).toEqual([false, true]);
  });

  it('lists the groups a refused sync would empty, and asks before going ahead', async () => {
    const forced: (boolean | undefined)[] = [];
    const fake = createFakeConnector({
      sync: async (options = {}) => {
        forced.push(options.force);
        if (!options.force)
          throw Object.assign(
            new BwdcError(
              'SAFETY_LIMIT',
              'Refusing to sync: the directory read returned groups but no users, so 2 group(s) that had members would be sent empty.',
            ),
            {
              wouldRemove: [],
              forceable: true,
              groupLosses: [
                { externalId: 'g1', name: 'Engineering', before: 12, after: 0, lost: 12 },
                { externalId: 'g2', name: 'Sales', before: 1, after: 0, lost: 1 },
              ],
            },
          );
        return {
          usersSynced: 0,
          groupsSynced: 2,
          requestsSent: 1,
          skippedUnchanged: false,
          finishedAt: new Date().toISOString(),
          removed: [],
          warnings: [],
          guard: { removals: [] },
        } as never;
      },
    });
    const { bridge } = setup(fake);
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    const button = await screen.findByRole('button', { name: 'Sync Now' });
    await act(async () => fireEvent.click(button));
    const refusal = await screen.findByTestId('sync-error');
    expect(refusal.textContent).toContain('returned groups but no users');
    expect(within(refusal).queryByTestId('guard-removals')).toBeNull();
    const groups = within(refusal).getByTestId('guard-groups');
    expect(
      within(groups)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Engineering — 12 of 12 members (left empty)',
      'Sales — 1 of 1 member (left empty)',
    ]);
    fireEvent.click(within(refusal).getByRole('button', { name: 'Sync Anyway…' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Take members out of 2 groups?');
    expect(dialog.textContent).toContain('the others lose the collections');
    await act(async () =>
      fireEvent.click(within(dialog).getByRole('button', { name: 'Sync Anyway' })),
    );
    expect(await screen.findByTestId('sync-result')).toBeTruthy();
    expect(forced).toEqual([false, true]);
  });

  it('puts a rejected bind under the password field in Settings', async () => {
    const { bridge } = setup();
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    fireEvent.change(await screen.findByLabelText('Directory type'), { target: { value: 'ldap' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'not-it' } });
    // Testing uses saved settings: with unsaved changes the button says it saves them first.
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Save and test connection' })),
    );
    const field = (await screen.findByLabelText('Password')).closest('.field') as HTMLElement;
    await waitFor(() =>
      expect(within(field).getByRole('alert').textContent).toContain(
        'wrong ldap.username or ldap.password',
      ),
    );
    expect(screen.getByTestId('verify-notice').textContent).toBe(
      'Saved 2 changes, then tested. The directory refused the connection. See the highlighted field.',
    );
    expect(screen.getByRole('button', { name: 'Test connection' })).toBeTruthy();
  });

  it('shows a validation message next to the field that was refused', async () => {
    const { bridge } = setup();
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    fireEvent.change(await screen.findByLabelText('Directory type'), { target: { value: 'ldap' } });
    fireEvent.change(screen.getByLabelText('Port'), { target: { value: '1e999' } });
    fireEvent.change(screen.getByLabelText('Server hostname'), {
      target: { value: 'dc1.example.com' },
    });
    expect(screen.getByTestId('unsaved').textContent).toBe('3 unsaved changes');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    const port = screen.getByLabelText('Port').closest('.field') as HTMLElement;
    await waitFor(() =>
      expect(within(port).getByRole('alert').textContent).toContain('ldap.port: expected a number'),
    );
    expect((screen.getByLabelText('Server hostname') as HTMLInputElement).value).toBe(
      'dc1.example.com',
    );
    expect(screen.getByTestId('unsaved').textContent).toBe('1 unsaved change');
  });

  it('logs out after confirmation', async () => {
    const { bridge, fake } = setup();
    await bridge.login('organization.o', 'right-secret');
    render(<App bridge={bridge} />);
    fireEvent.click(await screen.findByRole('button', { name: 'More' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Log Out' }));
    const dialog = screen.getByRole('dialog');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Log Out' })));
    expect(
      await screen.findByRole('heading', { name: 'Log in to your organization' }),
    ).toBeTruthy();
    expect(fake.state.loggedIn).toBe(false);
  });

  it('says so when the backend refuses it', async () => {
    const bridge = bridgeFromCall(async () => ({
      ok: false,
      error: { code: 'BRIDGE_UNAUTHORIZED', message: 'This page has no valid access token.' },
    }));
    render(<App bridge={bridge} />);
    expect((await screen.findByTestId('fatal')).textContent).toContain('no valid access token');
  });
});
