import { z } from 'zod';
import { flag, optionalPath, optionalText } from './fields';

/** `sync.*`: what to read and how to send it; the official connector's names and defaults. */
export const syncConfigSchema = z.object({
  users: flag(false),
  groups: flag(false),
  /** Minutes between scheduled syncs; values under 5 become 5, 0 or less turn scheduling off. */
  interval: z
    .number()
    .nullish()
    .transform((v) => (v == null || v <= 0 ? undefined : Math.max(5, Math.round(v)))),
  userFilter: optionalText,
  groupFilter: optionalText,
  removeDisabled: flag(false),
  overwriteExisting: flag(false),
  largeImport: flag(false),
  inviteUsersAfterProvisioning: flag(false),
  groupObjectClass: optionalText,
  userObjectClass: optionalText,
  groupPath: optionalPath,
  userPath: optionalPath,
  groupNameAttribute: optionalText,
  userEmailAttribute: optionalText,
  memberAttribute: optionalText,
  useEmailPrefixSuffix: flag(false),
  emailPrefixAttribute: optionalText,
  emailSuffix: optionalText,
  creationDateAttribute: optionalText,
  revisionDateAttribute: optionalText,
  /** Ours: deprovision users sent last time and absent from a complete read now. */
  removeMissingUsers: flag(true),
  /**
   * Ours: the safety guard. A sync that would remove more than this share (0..1) of the members
   * it manages is refused unless forced.
   */
  maxRemovalShare: z.number().min(0).max(1).default(0.25),
  /** Ours: below this many managed members the share is not checked (small orgs churn in steps). */
  removalGuardMinimum: z.number().int().min(0).default(10),
});
export type SyncConfig = z.infer<typeof syncConfigSchema>;
