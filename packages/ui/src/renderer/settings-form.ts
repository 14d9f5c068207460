/**
 * The Settings form without React: which fields each directory shows and when, their labels and
 * help, and turning edits into the changes the bridge saves. Driven by the settings catalogue,
 * so a setting the layout does not know still appears (under "Other settings").
 */
import type {
  SettingChange,
  SettingDescriptor,
  SettingValue,
  SettingsSnapshot,
} from '../shared/bridge';

export const SECRET_PLACEHOLDER = '[STORED SECURELY]';

/** Form values by setting name: booleans for checkboxes, text for everything else. */
export type FormValues = Readonly<Record<string, string | boolean>>;

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly help?: string;
  readonly placeholder?: string;
  /** A path on the machine running the connector: gets a Browse button in the desktop app. */
  readonly file?: { readonly title: string; readonly extensions?: readonly string[] };
  /** Shown as a select with these labelled options instead of a text box. */
  readonly options?: readonly { value: string; label: string }[];
  readonly when?: (v: FormValues) => boolean;
  readonly wide?: boolean;
}

export interface FieldGroup {
  readonly title: string;
  readonly description?: string;
  readonly fields: readonly FieldSpec[];
}

export interface VisibleField extends FieldSpec {
  readonly descriptor: SettingDescriptor;
}

export interface VisibleGroup {
  readonly title: string;
  readonly description?: string;
  readonly fields: readonly VisibleField[];
}

export const DIRECTORY_CHOICES: readonly { value: string; label: string }[] = [
  { value: 'ldap', label: 'Active Directory / LDAP' },
  { value: 'entra', label: 'Microsoft Entra ID' },
  { value: 'gsuite', label: 'Google Workspace' },
  { value: 'okta', label: 'Okta' },
  { value: 'onelogin', label: 'OneLogin' },
  { value: 'file', label: 'CSV or JSON file' },
];

const on = (name: string) => (v: FormValues) => v[name] === true;
const off = (name: string) => (v: FormValues) => v[name] !== true;
const all =
  (...tests: ((v: FormValues) => boolean)[]) =>
  (v: FormValues) =>
    tests.every((t) => t(v));
const isLdap = (v: FormValues) => v.directory === 'ldap';
const ldapNonAd = all(isLdap, off('ldap.ad'));
const CERT = ['pem', 'crt', 'cer'];

const DIRECTORY_GROUPS: Readonly<Record<string, readonly FieldGroup[]>> = {
  ldap: [
    {
      title: 'Server',
      fields: [
        { name: 'ldap.hostname', label: 'Server hostname', placeholder: 'dc1.example.com' },
        { name: 'ldap.port', label: 'Port', placeholder: '389' },
        { name: 'ldap.rootPath', label: 'Root path', placeholder: 'dc=example,dc=com', wide: true },
        { name: 'ldap.ad', label: 'This server uses Active Directory' },
        { name: 'ldap.pagedSearch', label: 'Use paged results', when: off('ldap.ad') },
      ],
    },
    {
      title: 'Encryption',
      fields: [
        { name: 'ldap.ssl', label: 'Use an encrypted connection' },
        {
          name: 'ldap.startTls',
          label: 'Encryption method',
          when: on('ldap.ssl'),
          options: [
            { value: 'false', label: 'LDAPS (TLS from the start)' },
            { value: 'true', label: 'StartTLS' },
          ],
        },
        {
          name: 'ldap.tlsCaPath',
          label: 'CA certificate',
          file: { title: 'CA certificate', extensions: CERT },
          when: all(on('ldap.ssl'), on('ldap.startTls')),
          wide: true,
        },
        {
          name: 'ldap.sslCaPath',
          label: 'CA certificate',
          file: { title: 'CA certificate', extensions: CERT },
          when: all(on('ldap.ssl'), off('ldap.startTls')),
          wide: true,
        },
        {
          name: 'ldap.sslCertPath',
          label: 'Client certificate',
          file: { title: 'Client certificate', extensions: CERT },
          when: all(on('ldap.ssl'), off('ldap.startTls')),
          wide: true,
        },
        {
          name: 'ldap.sslKeyPath',
          label: 'Client certificate key',
          file: { title: 'Client key', extensions: ['pem', 'key'] },
          when: all(on('ldap.ssl'), off('ldap.startTls')),
          wide: true,
        },
        {
          name: 'ldap.sslAllowUnauthorized',
          label: "Do not verify the server's certificate (not recommended)",
          when: on('ldap.ssl'),
        },
      ],
    },
    {
      title: 'Account',
      description: 'The account bwdc binds as. It needs read access to users and groups.',
      fields: [
        {
          name: 'ldap.username',
          label: 'Username',
          placeholder: 'cn=reader,dc=example,dc=com',
          wide: true,
        },
        { name: 'ldap.password', label: 'Password' },
        { name: 'ldap.domain', label: 'Domain', placeholder: 'example.com' },
      ],
    },
    {
      title: 'Advanced',
      fields: [
        { name: 'ldap.pageSize', label: 'Page size', help: 'Entries per page of a paged search.' },
        { name: 'ldap.timeLimit', label: 'Search time limit (seconds)' },
        {
          name: 'ldap.userIdAttribute',
          label: 'Stable user id attribute',
          placeholder: 'entryUUID',
          help: 'Used as the external id off Active Directory.',
        },
      ],
    },
  ],
  entra: [
    {
      title: 'Tenant',
      fields: [
        {
          name: 'entra.identityAuthority',
          label: 'Cloud',
          options: [
            { value: 'login.microsoftonline.com', label: 'Public (login.microsoftonline.com)' },
            {
              value: 'login.microsoftonline.us',
              label: 'US Government (login.microsoftonline.us)',
            },
          ],
        },
        { name: 'entra.tenant', label: 'Tenant', placeholder: 'example.onmicrosoft.com' },
        { name: 'entra.applicationId', label: 'Application (client) ID', wide: true },
        { name: 'entra.key', label: 'Client secret value' },
        {
          name: 'entra.graphUrl',
          label: 'Graph endpoint',
          placeholder: 'https://graph.microsoft.com',
        },
      ],
    },
  ],
  gsuite: [
    {
      title: 'Workspace',
      fields: [
        { name: 'gsuite.domain', label: 'Domain', placeholder: 'example.com' },
        { name: 'gsuite.adminUser', label: 'Admin user', placeholder: 'admin@example.com' },
        { name: 'gsuite.customer', label: 'Customer ID', placeholder: 'C01234567' },
      ],
    },
    {
      title: 'Service account',
      description:
        'Choose the JSON key of the service account; its client email and private key are read from it.',
      fields: [
        { name: 'gsuite.clientEmail', label: 'Client email', wide: true },
        { name: 'gsuite.privateKey', label: 'Private key' },
        {
          name: 'gsuite.tokenUri',
          label: 'Token endpoint',
          placeholder: 'https://oauth2.googleapis.com/token',
        },
        {
          name: 'gsuite.rootUrl',
          label: 'Admin SDK root URL',
          placeholder: 'https://admin.googleapis.com',
        },
      ],
    },
  ],
  okta: [
    {
      title: 'Organization',
      fields: [
        {
          name: 'okta.orgUrl',
          label: 'Organization URL',
          placeholder: 'https://example.okta.com',
          wide: true,
        },
        { name: 'okta.token', label: 'API token' },
      ],
    },
  ],
  onelogin: [
    {
      title: 'API credentials',
      fields: [
        { name: 'onelogin.clientId', label: 'Client ID', wide: true },
        { name: 'onelogin.clientSecret', label: 'Client secret' },
        {
          name: 'onelogin.region',
          label: 'Region',
          options: [
            { value: 'us', label: 'United States' },
            { value: 'eu', label: 'Europe' },
          ],
        },
        { name: 'onelogin.apiUrl', label: 'API URL', placeholder: 'https://api.us.onelogin.com' },
      ],
    },
  ],
  file: [
    {
      title: 'File',
      fields: [
        {
          name: 'file.path',
          label: 'Users and groups file',
          file: { title: 'Directory file', extensions: ['csv', 'json'] },
          wide: true,
        },
        {
          name: 'file.format',
          label: 'Format',
          options: [
            { value: 'auto', label: 'From the file name' },
            { value: 'csv', label: 'CSV' },
            { value: 'json', label: 'JSON' },
          ],
        },
      ],
    },
  ],
};

const FILTER_HELP: Readonly<Record<string, string>> = {
  ldap: 'An LDAP filter, e.g. (memberOf=cn=staff,ou=groups,dc=example,dc=com), or include:/exclude: lists of emails.',
  entra: 'include:/exclude: lists of emails, or includeGroup:/excludeGroup: group ids.',
  gsuite: 'A Google query, e.g. orgUnitPath=/Staff, or include:/exclude: lists.',
  okta: 'An Okta filter, e.g. profile.department eq "IT", or include:/exclude: lists.',
  onelogin: 'include:/exclude: lists of emails.',
  file: 'include:/exclude: lists of emails.',
};

function syncGroups(directory: string): FieldGroup[] {
  const groupWord = directory === 'onelogin' ? 'roles' : 'groups';
  const prefixSuffix = (v: FormValues) => v.directory === 'onelogin' || isLdap(v);
  return [
    {
      title: 'Schedule and options',
      fields: [
        {
          name: 'sync.interval',
          label: 'Sync interval (minutes)',
          placeholder: '5',
          help: 'At least 5. Used by Start Sync.',
        },
        { name: 'sync.removeDisabled', label: 'Remove disabled users from the organization' },
        {
          name: 'sync.overwriteExisting',
          label: 'Remove and re-add organization users during the next sync',
        },
        { name: 'sync.largeImport', label: 'More than 2,000 users or groups are expected' },
        {
          name: 'sync.inviteUsersAfterProvisioning',
          label: 'Send invitation emails to new members',
        },
      ],
    },
    {
      title: 'Users',
      fields: [
        { name: 'sync.users', label: 'Sync users' },
        { name: 'sync.userFilter', label: 'User filter', help: FILTER_HELP[directory], wide: true },
        { name: 'sync.userPath', label: 'User path', placeholder: 'ou=people', when: isLdap },
        {
          name: 'sync.userObjectClass',
          label: 'User object class',
          placeholder: 'inetOrgPerson',
          when: ldapNonAd,
        },
        {
          name: 'sync.userEmailAttribute',
          label: 'User email attribute',
          placeholder: 'mail',
          when: ldapNonAd,
        },
        {
          name: 'sync.useEmailPrefixSuffix',
          label: 'Build emails from a prefix and a suffix when missing',
          when: prefixSuffix,
        },
        {
          name: 'sync.emailPrefixAttribute',
          label: 'Email prefix attribute',
          placeholder: 'uid',
          when: all(isLdap, off('ldap.ad'), on('sync.useEmailPrefixSuffix')),
        },
        {
          name: 'sync.emailSuffix',
          label: 'Email suffix',
          placeholder: '@example.com',
          when: all(prefixSuffix, on('sync.useEmailPrefixSuffix')),
        },
      ],
    },
    {
      title: directory === 'onelogin' ? 'Roles' : 'Groups',
      fields: [
        { name: 'sync.groups', label: `Sync ${groupWord}` },
        {
          name: 'sync.groupFilter',
          label: `${directory === 'onelogin' ? 'Role' : 'Group'} filter`,
          help: FILTER_HELP[directory],
          wide: true,
        },
        { name: 'sync.groupPath', label: 'Group path', placeholder: 'ou=groups', when: isLdap },
        {
          name: 'sync.groupObjectClass',
          label: 'Group object class',
          placeholder: 'groupOfNames',
          when: ldapNonAd,
        },
        {
          name: 'sync.groupNameAttribute',
          label: 'Group name attribute',
          placeholder: 'cn',
          when: ldapNonAd,
        },
        {
          name: 'sync.memberAttribute',
          label: 'Member attribute',
          placeholder: 'member',
          when: ldapNonAd,
        },
        {
          name: 'sync.creationDateAttribute',
          label: 'Creation date attribute',
          placeholder: 'createTimestamp',
          when: ldapNonAd,
        },
        {
          name: 'sync.revisionDateAttribute',
          label: 'Revision date attribute',
          placeholder: 'modifyTimestamp',
          when: ldapNonAd,
        },
      ],
    },
    {
      title: 'Safety',
      description: 'A sync that would remove many members at once is held back until it is forced.',
      fields: [
        {
          name: 'sync.removeMissingUsers',
          label: 'Remove members who are no longer in the directory',
        },
        {
          name: 'sync.maxRemovalShare',
          label: 'Largest share removed in one sync (0–1)',
          placeholder: '0.25',
        },
        {
          name: 'sync.removalGuardMinimum',
          label: 'Check the share from this many members',
          placeholder: '10',
        },
      ],
    },
  ];
}

/** Unused upstream and hidden in its app too. */
const HIDDEN = new Set(['ldap.currentUser']);

/** The form's initial values from a snapshot; secrets start empty (unchanged). */
export function initialValues(snapshot: SettingsSnapshot): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = { directory: snapshot.directory ?? '' };
  for (const d of snapshot.catalogue) {
    const v: SettingValue | undefined = snapshot.values[d.name];
    if (d.secret) values[d.name] = '';
    else if (d.kind === 'boolean') values[d.name] = v === true;
    else values[d.name] = v === null || v === undefined ? '' : String(v);
  }
  return values;
}

/** Whether a secret is already stored (so its empty box means "keep it"). */
export function secretIsStored(snapshot: SettingsSnapshot, name: string): boolean {
  return snapshot.values[name] === SECRET_PLACEHOLDER;
}

function visible(
  groups: readonly FieldGroup[],
  values: FormValues,
  byName: Map<string, SettingDescriptor>,
): VisibleGroup[] {
  return groups
    .map((g) => ({
      title: g.title,
      ...(g.description ? { description: g.description } : {}),
      fields: g.fields
        .filter((f) => byName.has(f.name) && (!f.when || f.when(values)))
        .map((f) => ({ ...f, descriptor: byName.get(f.name)! })),
    }))
    .filter((g) => g.fields.length > 0);
}

/** The groups of the Directory card for the chosen directory, with "Other settings" for unknown fields. */
export function directoryLayout(snapshot: SettingsSnapshot, values: FormValues): VisibleGroup[] {
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const byName = new Map(snapshot.catalogue.map((d) => [d.name, d]));
  const groups = [...(DIRECTORY_GROUPS[directory] ?? [])];
  const known = new Set(groups.flatMap((g) => g.fields.map((f) => f.name)));
  const rest = snapshot.catalogue.filter(
    (d) => d.section === directory && !known.has(d.name) && !HIDDEN.has(d.name),
  );
  if (rest.length)
    groups.push({
      title: 'Other settings',
      fields: rest.map((d) => ({ name: d.name, label: d.field })),
    });
  return visible(groups, values, byName);
}

/** The groups of the Sync card. */
export function syncLayout(snapshot: SettingsSnapshot, values: FormValues): VisibleGroup[] {
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const byName = new Map(snapshot.catalogue.map((d) => [d.name, d]));
  const groups = syncGroups(directory);
  const known = new Set(groups.flatMap((g) => g.fields.map((f) => f.name)));
  const rest = snapshot.catalogue.filter((d) => d.section === 'sync' && !known.has(d.name));
  if (rest.length)
    groups.push({
      title: 'Other settings',
      fields: rest.map((d) => ({ name: d.name, label: d.field })),
    });
  return visible(groups, values, byName);
}

/**
 * The edits to save: every value that differs from the snapshot, as the text `bwdc config`
 * takes. An empty secret box means "keep the stored secret", so it is never sent.
 */
export function changesBetween(snapshot: SettingsSnapshot, values: FormValues): SettingChange[] {
  const before = initialValues(snapshot);
  const changes: SettingChange[] = [];
  if (
    values.directory !== before.directory &&
    typeof values.directory === 'string' &&
    values.directory
  ) {
    changes.push({ name: 'directory', value: values.directory });
  }
  for (const d of snapshot.catalogue) {
    const now = values[d.name];
    if (now === undefined || now === before[d.name]) continue;
    if (d.secret && now === '') continue;
    changes.push({
      name: d.name,
      value: typeof now === 'boolean' ? String(now) : now.trim() === '' ? null : now,
    });
  }
  return changes;
}

/**
 * The fields that say which account a directory configuration talks to (as the connector keys
 * its secrets). Changing one means the stored secret no longer applies and must be typed again.
 */
const IDENTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ldap: ['ldap.hostname', 'ldap.domain', 'ldap.username'],
  entra: ['entra.tenant', 'entra.applicationId'],
  okta: ['okta.orgUrl'],
  gsuite: ['gsuite.clientEmail', 'gsuite.domain', 'gsuite.customer'],
  onelogin: ['onelogin.clientId', 'onelogin.region'],
};

/** The secret that must be typed again because an identity field changed, if any. */
export function secretNeedingReentry(
  snapshot: SettingsSnapshot,
  values: FormValues,
): string | undefined {
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const secret = snapshot.catalogue.find((d) => d.section === directory && d.secret);
  if (!secret || !secretIsStored(snapshot, secret.name) || values[secret.name]) return undefined;
  const before = initialValues(snapshot);
  return (IDENTITY_FIELDS[directory] ?? []).some((name) => values[name] !== before[name])
    ? secret.name
    : undefined;
}
