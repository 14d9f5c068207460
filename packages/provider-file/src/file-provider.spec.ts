import { DirectoryError, parseConfig, silentLogger, type DirectorySnapshot } from '@bwdc/core';
import { viewOfSnapshot } from '@bwdc/directory-provider';
import { FileDirectoryProvider } from './file-provider';

function providerFor(
  path: string,
  text: string,
  sync: Record<string, unknown> = {},
  format?: string,
) {
  return new FileDirectoryProvider(
    parseConfig('file', { path, format }),
    parseConfig('sync', sync),
    silentLogger,
    { readFile: async () => text },
  );
}

async function read(path: string, text: string): Promise<DirectorySnapshot> {
  return providerFor(path, text).fetch({ users: true, groups: true, mode: 'full' });
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('CSV', () => {
  it('reads users, flags, and groups named in the groups column', async () => {
    const csv = [
      'email,disabled,deleted,groups',
      ' Alice@Example.com ,no,,Engineering;Everyone',
      'bob@example.com,yes,false,Everyone',
      'carol@example.com,,true,',
    ].join('\n');
    const view = viewOfSnapshot(await read('people.csv', csv));
    expect(view.users).toEqual({
      'alice@example.com': { disabled: false, deleted: false },
      'bob@example.com': { disabled: true, deleted: false },
      'carol@example.com': { disabled: false, deleted: true },
    });
    expect(view.groups).toEqual({
      Engineering: { memberEmails: ['alice@example.com'], childGroups: [] },
      Everyone: { memberEmails: ['alice@example.com', 'bob@example.com'], childGroups: [] },
    });
  });

  it('uses the id column as externalId and the email otherwise', async () => {
    const snapshot = await read('p.csv', 'id,email\nE-1,a@x.io\n,b@x.io');
    expect(snapshot.users!.map((u) => u.externalId)).toEqual(['E-1', 'b@x.io']);
  });

  it('nests group rows into the groups they list, and keeps declared group ids', async () => {
    const csv = [
      'type,id,email,name,groups',
      'group,G-OPS,,Ops,Engineering',
      'user,,dan@x.io,,Ops',
    ].join('\n');
    const snapshot = await read('p.csv', csv);
    const view = viewOfSnapshot(snapshot);
    expect(view.groups.Engineering).toEqual({ memberEmails: [], childGroups: ['Ops'] });
    expect(snapshot.groups!.find((g) => g.name === 'Ops')!.externalId).toBe('G-OPS');
  });

  it('names the file and line of a bad flag', async () => {
    const error = await errorOf(read('hr.csv', 'email,disabled\na@x.io,no\nb@x.io,maybe'));
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error.message).toBe('hr.csv: line 3: "disabled" must be true or false, not "maybe"');
  });

  it('names unknown columns and lists the known ones', async () => {
    const error = await errorOf(read('hr.csv', 'email,mobile\na@x.io,1'));
    expect(error.message).toContain('unknown column(s) mobile');
  });

  it('rejects a row that is neither a user nor a group', async () => {
    const error = await errorOf(read('hr.csv', 'type,email\nrobot,a@x.io'));
    expect(error.message).toBe('hr.csv: line 2: "type" must be user or group, not "robot"');
  });

  it('reports malformed CSV', async () => {
    const error = await errorOf(read('hr.csv', 'email,groups\n"a@x.io,Eng'));
    expect(error.message).toMatch(/^hr\.csv: not valid CSV/);
  });

  it('orders groups as declared, then as users name them, then as parents; a declaration wins wherever it is', async () => {
    const csv = [
      'type,id,email,name,groups',
      'user,,a@x.io,,Zeta;Ops',
      'group,G-OPS,,Ops,Parent',
      'user,,b@x.io,,ops',
    ].join('\n');
    const snapshot = await read('p.csv', csv);
    expect(snapshot.groups!.map((g) => [g.name, g.externalId, g.userMemberExternalIds])).toEqual([
      ['Ops', 'G-OPS', ['a@x.io', 'b@x.io']],
      ['Zeta', 'Zeta', ['a@x.io']],
      ['Parent', 'Parent', []],
    ]);
    expect(snapshot.groups!.find((g) => g.name === 'Parent')!.groupMemberReferenceIds).toEqual([
      'group:ops',
    ]);
  });

  it('reports the problem a whole read finds first, wherever it is in the file', async () => {
    // Malformed CSV before a bad row; a bad row before a bad group; a bad group before a bad user.
    const malformed = await errorOf(read('hr.csv', 'email,disabled\na@x.io,maybe\n"b@x.io,no'));
    expect(malformed.message).toMatch(/^hr\.csv: not valid CSV/);
    const row = await errorOf(read('hr.csv', 'type,email,name\ngroup,,\nrobot,b@x.io,'));
    expect(row.message).toBe('hr.csv: line 3: "type" must be user or group, not "robot"');
    const group = await errorOf(read('hr.csv', 'type,email,name\nuser,,\ngroup,,Ops\ngroup,,ops'));
    expect(group.message).toBe('hr.csv: line 4: group "ops" is declared twice');
  });

  it('gives each user a referenceId that says where it came from, for duplicate reports', async () => {
    const snapshot = await read('hr.csv', 'email\na@x.io\nA@x.io');
    expect(snapshot.users!.map((u) => u.referenceId)).toEqual(['hr.csv:line 2', 'hr.csv:line 3']);
  });
});

describe('JSON', () => {
  const doc = {
    users: [
      { id: 'u1', email: 'alice@x.io', groups: ['Eng'] },
      { email: 'bob@x.io', disabled: true },
    ],
    groups: [
      { name: 'Eng', id: 'g-eng', members: ['BOB@x.io'] },
      { name: 'Ops', groups: ['Eng'], members: ['u1'] },
    ],
  };

  it('reads users and groups with members by email or id and nested groups', async () => {
    const view = viewOfSnapshot(await read('dir.json', JSON.stringify(doc)));
    expect(view.groups).toEqual({
      Eng: { memberEmails: ['alice@x.io', 'bob@x.io'], childGroups: ['Ops'] },
      Ops: { memberEmails: ['alice@x.io'], childGroups: [] },
    });
    expect(view.users['bob@x.io']).toEqual({ disabled: true, deleted: false });
  });

  it('names the group and the unknown member', async () => {
    const bad = { users: [], groups: [{ name: 'Eng', members: ['ghost@x.io'] }] };
    const error = await errorOf(read('dir.json', JSON.stringify(bad)));
    expect(error.message).toBe(
      'dir.json: groups[0]: group "Eng" lists unknown member "ghost@x.io"',
    );
  });

  it('rejects a group declared twice', async () => {
    const bad = { groups: [{ name: 'Eng' }, { name: 'eng' }] };
    expect((await errorOf(read('dir.json', JSON.stringify(bad)))).message).toBe(
      'dir.json: groups[1]: group "eng" is declared twice',
    );
  });

  it('reports invalid JSON and wrong shapes', async () => {
    expect((await errorOf(read('dir.json', '{'))).message).toMatch(/^dir\.json: not valid JSON/);
    expect((await errorOf(read('dir.json', '{"users":{}}'))).message).toBe(
      'dir.json: "users" must be an array',
    );
    expect((await errorOf(read('dir.json', '{"users":[{"email":{}}]}'))).message).toBe(
      'dir.json: users[0]: "email" must be text',
    );
  });

  it('can be forced to JSON whatever the file name', async () => {
    const snapshot = await providerFor('export.txt', JSON.stringify(doc), {}, 'json').fetch({
      users: true,
      groups: false,
      mode: 'full',
    });
    expect(snapshot.users).toHaveLength(2);
    expect(snapshot.groups).toBeUndefined();
  });
});

describe('FileDirectoryProvider', () => {
  it('says which setting is missing when no file is configured', async () => {
    const provider = new FileDirectoryProvider(
      parseConfig('file', {}),
      parseConfig('sync', {}),
      silentLogger,
    );
    const error = await errorOf(provider.verify());
    expect(error.message).toBe('file.path: no directory file is configured');
  });

  it('rejects a native query in a filter, naming the setting', async () => {
    const provider = providerFor('p.csv', 'email\na@x.io', { userFilter: 'include:a@x.io|(cn=*)' });
    const error = await errorOf(provider.fetch({ users: true, groups: true, mode: 'full' }));
    expect(error.message).toMatch(/^sync\.userFilter: a file directory takes no query/);
  });

  it('returns a complete snapshot even for an incremental request', async () => {
    const snapshot = await providerFor('p.csv', 'email\na@x.io').fetch({
      users: true,
      groups: true,
      mode: 'incremental',
      cursor: 'x',
    });
    expect(snapshot.complete).toBe(true);
  });
});
