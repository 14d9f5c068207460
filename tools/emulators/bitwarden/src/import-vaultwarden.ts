/**
 * Vaultwarden's `ldap_import` (contract §4): members matched by email, deleted means revoked,
 * groups only with ORG_GROUPS_ENABLED, overwrite after groups, no seats, no events.
 */
import { randomUUID } from 'node:crypto';
import type { VaultwardenImport } from './body';
import type { ImportEffects } from './import-official';
import { MemberStatus, MemberType, type MemberRow, type OrgState } from './model';

function isLastConfirmedOwner(org: OrgState, m: MemberRow): boolean {
  if (m.type !== MemberType.Owner || m.status !== MemberStatus.Confirmed) return false;
  return (
    org.members.filter((o) => o.type === MemberType.Owner && o.status === MemberStatus.Confirmed)
      .length <= 1
  );
}

export function vaultwardenImport(
  org: OrgState,
  data: VaultwardenImport,
  effects: ImportEffects,
): void {
  // Vaultwarden stores emails lower-cased and looks them up that way.
  const byEmail = new Map(org.members.map((m) => [m.email.toLowerCase(), m]));

  for (const member of data.members) {
    const email = member.email.toLowerCase();
    const existing = byEmail.get(email);
    if (member.deleted) {
      if (
        existing &&
        existing.status !== MemberStatus.Revoked &&
        !isLastConfirmedOwner(org, existing)
      ) {
        existing.statusBeforeRevoke = existing.status;
        existing.status = MemberStatus.Revoked;
        existing.externalId = member.externalId;
      }
      continue;
    }
    if (existing) {
      if (existing.status === MemberStatus.Revoked) {
        existing.status = existing.statusBeforeRevoke ?? MemberStatus.Accepted;
        delete existing.statusBeforeRevoke;
      }
      existing.externalId = member.externalId;
      continue;
    }
    const row: MemberRow = {
      id: randomUUID(),
      userId: randomUUID(), // Vaultwarden creates a User stub for every invitee
      email,
      externalId: member.externalId,
      status: MemberStatus.Invited,
      type: MemberType.User,
      hasMasterPassword: false,
    };
    org.members.push(row);
    byEmail.set(email, row);
    effects.invites.push(email);
  }

  if (org.vaultwardenGroups) {
    const byExternalId = new Map<string, string>();
    for (const m of org.members)
      if (m.externalId && !byExternalId.has(m.externalId)) byExternalId.set(m.externalId, m.id);
    for (const g of data.groups) {
      let row = org.groups.find((x) => x.externalId === g.externalId);
      if (!row) {
        row = { id: randomUUID(), name: g.name, externalId: g.externalId, memberIds: [] };
        org.groups.push(row);
      }
      const ids = g.memberExternalIds
        .map((x) => byExternalId.get(x))
        .filter((id): id is string => id !== undefined);
      row.memberIds = [...new Set(ids)];
    }
  }

  if (data.overwriteExisting) {
    const listed = new Set(data.members.map((m) => m.externalId));
    const gone = new Set<string>();
    for (const m of org.members) {
      if (!m.externalId || listed.has(m.externalId)) continue;
      const confirmedOwner = m.type === MemberType.Owner && m.status === MemberStatus.Confirmed;
      if (
        confirmedOwner &&
        isLastConfirmedOwner({ ...org, members: org.members.filter((x) => !gone.has(x.id)) }, m)
      )
        continue;
      gone.add(m.id);
    }
    org.members = org.members.filter((m) => !gone.has(m.id));
    for (const g of org.groups) g.memberIds = g.memberIds.filter((id) => !gone.has(id));
  }
}
