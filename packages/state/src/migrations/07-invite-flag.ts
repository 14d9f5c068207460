import { isRecord, type Migration, type StateDocument } from './types';

/**
 * Installs older than version 8 always invited provisioned users. Upstream backfills
 * `sync.inviteUsersAfterProvisioning = true` into an existing sync configuration that lacks the
 * flag, so an upgrade keeps that behaviour; an explicit value stays, and no configuration is created.
 */
export const inviteFlag: Migration = {
  from: [7],
  to: 8,
  name: '07-invite-flag',
  apply(document) {
    const out: StateDocument = { ...document, stateVersion: 8 };
    if (isRecord(document.sync) && document.sync.inviteUsersAfterProvisioning === undefined) {
      out.sync = { ...document.sync, inviteUsersAfterProvisioning: true };
    }
    return out;
  },
};
