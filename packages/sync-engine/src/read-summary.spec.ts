import { DirectoryType } from '@bwdc/core';
import { config, group, snapshot, user } from './__fixtures__/helpers';
import { readSummary } from './read-summary';

describe('readSummary', () => {
  const alice = user('alice');
  const bob = user('bob');

  it('says nothing about a read that found users and groups with their members', () => {
    const snap = snapshot([alice, bob], [group('staff', ['alice']), group('empty')]);
    expect(readSummary(snap, config(), DirectoryType.Ldap)).toEqual([]);
  });

  it('names the LDAP class, path, filter and email attribute when no users were read', () => {
    const snap = snapshot([], [], { warnings: ['User uid=a has no email and was skipped.'] });
    const cfg = config({
      userObjectClass: 'person',
      userPath: 'ou=staff',
      groupObjectClass: 'group',
    });
    expect(readSummary(snap, cfg, DirectoryType.Ldap)).toEqual([
      'No users were read, though sync.users is on. Check sync.userPath ("ou=staff"; relative to ldap.rootPath), ' +
        'sync.userObjectClass ("person"), sync.userFilter (not set: the default) and sync.userEmailAttribute ' +
        "(not set: the default; entries without it are skipped). The read's 1 warning(s) say why for each entry it skipped.",
      'No groups were read, though sync.groups is on. Check sync.groupPath (not set: the default; relative to ldap.rootPath), ' +
        'sync.groupObjectClass ("group") and sync.groupFilter (not set: the default).' +
        " The read's 1 warning(s) say why for each entry it skipped.",
    ]);
  });

  it('names the filter off LDAP, and says nothing of a kind that is off', () => {
    const snap = snapshot([], undefined);
    expect(
      readSummary(
        snap,
        config({ groups: false, userFilter: 'include:x@example.com' }),
        DirectoryType.Okta,
      ),
    ).toEqual([
      'No users were read, though sync.users is on. Check sync.userFilter ("include:x@example.com"), and that the account bwdc reads with may list users.',
    ]);
  });

  it('warns when no group has a member among the users read (a wrong memberAttribute)', () => {
    const snap = snapshot([alice], [group('staff'), group('sales', ['someone-else'])]);
    expect(
      readSummary(snap, config({ memberAttribute: 'uniqueMember' }), DirectoryType.Ldap),
    ).toEqual([
      'None of the 2 group(s) read has a member among the 1 user(s) read, so every group would be sent empty. ' +
        'Check sync.memberAttribute ("uniqueMember"; the attribute listing a group\'s members), and that the members are under ' +
        'sync.userPath (not set: the default) and of sync.userObjectClass (not set: the default).',
    ]);
    // A nested group is a member too.
    expect(
      readSummary(
        snapshot([alice], [group('all', [], ['staff']), group('staff')]),
        config(),
        DirectoryType.Ldap,
      ),
    ).toEqual([]);
  });

  it('judges only complete reads: an incremental read with no changes is not empty', () => {
    expect(
      readSummary(snapshot([], [], { complete: false }), config(), DirectoryType.Ldap),
    ).toEqual([]);
  });
});
