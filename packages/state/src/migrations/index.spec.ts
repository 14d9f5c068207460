import { CURRENT_VERSION, MIGRATIONS, documentVersion, migrateDocument } from './index';
import { MigrationError } from './types';

describe('migrateDocument', () => {
  it('runs every step from 3 to the current version, in order', () => {
    const result = migrateDocument({ global: { stateVersion: 3 }, sync: { users: true } });
    expect(result.fromVersion).toBe(3);
    expect(result.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(result.document).toMatchObject({
      stateVersion: CURRENT_VERSION,
      migratedFrom: 3,
      sync: { users: true, inviteUsersAfterProvisioning: true, removeMissingUsers: false },
    });
  });

  it.each([4, 5, 6, 7, 8])('migrates state version %i', (version) => {
    const result = migrateDocument({ stateVersion: version, sync: {} });
    expect(result.document.stateVersion).toBe(CURRENT_VERSION);
    expect(result.document.migratedFrom).toBe(version);
    expect(result.fromVersion).toBe(version);
  });

  it('leaves a bwdc document as it is', () => {
    const doc = { stateVersion: 9, writtenBy: 'bwdc', sync: { removeMissingUsers: true } };
    expect(migrateDocument(doc)).toEqual({ document: doc, fromVersion: 9, applied: [] });
  });

  it('treats an unstamped upstream file with settings as upstream 8, and an empty one as new', () => {
    expect(documentVersion({ directoryType: 0, sync: {} })).toBe(8);
    expect(documentVersion({ global: {} })).toBe(8);
    expect(documentVersion({})).toBe(CURRENT_VERSION);
  });

  it('refuses versions it cannot read, saying which', () => {
    expect(() => migrateDocument({ stateVersion: 2 })).toThrow(/state version 2 is too old/);
    expect(() => migrateDocument({ stateVersion: 9 })).toThrow(
      /newer official Directory Connector/,
    );
    expect(() => migrateDocument({ stateVersion: 10, writtenBy: 'bwdc' })).toThrow(/newer bwdc/);
    expect(() => migrateDocument({ stateVersion: 'eight' })).toThrow(MigrationError);
  });
});
