import {
  ConfigValidationError,
  type ImportGroup,
  type ImportMember,
  type ImportRequest,
} from '@bwdc/core';

/** Entries per request when batching, as the official connector (and nginx's default body limit). */
export const BATCH_SIZE = 2000;

export interface RequestOptions {
  readonly overwriteExisting: boolean;
  readonly largeImport: boolean;
  readonly inviteUsersAfterProvisioning: boolean;
}

/**
 * The import request(s) for a plan, as the official connector builds them: one request unless
 * `largeImport` is on and there are more than 2000 entries; then members in chunks of 2000 (each
 * with `groups: []`), then groups in chunks (each with `members: []`), all with `largeImport: true`
 * and `overwriteExisting: false`. Nothing to send and no overwrite means no request.
 *
 * Objects are built with keys in the server model's order, so `JSON.stringify` of them is the
 * body the official connector would post and hash.
 */
export function buildRequests(
  groups: readonly ImportGroup[],
  members: readonly ImportMember[],
  options: RequestOptions,
): ImportRequest[] {
  if (!options.overwriteExisting && groups.length === 0 && members.length === 0) return [];
  const invite = options.inviteUsersAfterProvisioning;
  if (!(options.largeImport && groups.length + members.length > BATCH_SIZE)) {
    return [
      {
        groups,
        members,
        overwriteExisting: options.overwriteExisting,
        largeImport: false,
        inviteUsersAfterProvisioning: invite,
      },
    ];
  }
  if (options.overwriteExisting) {
    throw new ConfigValidationError([
      {
        setting: 'sync.overwriteExisting',
        message:
          "You cannot use the 'Remove and re-add organization users during the next sync' option with large imports " +
          `(sync.largeImport, ${groups.length + members.length} entries). Turn one of them off.`,
      },
    ]);
  }
  const requests: ImportRequest[] = [];
  for (let i = 0; i < members.length; i += BATCH_SIZE) {
    requests.push({
      groups: [],
      members: members.slice(i, i + BATCH_SIZE),
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
  }
  for (let i = 0; i < groups.length; i += BATCH_SIZE) {
    requests.push({
      groups: groups.slice(i, i + BATCH_SIZE),
      members: [],
      overwriteExisting: false,
      largeImport: true,
      inviteUsersAfterProvisioning: invite,
    });
  }
  return requests;
}
