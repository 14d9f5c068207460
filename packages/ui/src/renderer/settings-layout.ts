/**
 * The Settings form's layout, as data: which fields each directory shows, in which groups, with
 * their labels, help and examples, and when each appears. `settings-form.ts` turns it and the
 * settings catalogue into what the screen shows; a setting this file does not place still
 * appears there, under "Other settings".
 */

/** Form values by setting name: booleans for checkboxes, text for everything else. */
export type FormValues = Readonly<Record<string, string | boolean>>;

export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly help?: string;
  /** An example; for an LDAP `sync.*` field with a default, the default is shown instead. */
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
const pathHelp = (example: string): string =>
  `Below the root path, e.g. ${example}. Empty: CN=Users on Active Directory, the whole root path elsewhere. To search a whole AD domain, type the root path itself.`;
const CERT = ['pem', 'crt', 'cer'];

export const DIRECTORY_GROUPS: Readonly<Record<string, readonly FieldGroup[]>> = {
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

/**
 * What a filter is on each directory. LDAP reads the text as an LDAP filter (the official
 * connector's rule); the cloud directories read `keyword:a,b|<native query>`.
 */
const FILTER_HELP: Readonly<Record<string, { user: string; group: string }>> = {
  ldap: {
    user: 'An LDAP filter, e.g. (memberOf=cn=staff,ou=groups,dc=example,dc=com) or (|(mail=*@sales.example.com)(department=IT)). To list emails instead, start with include: or exclude:, e.g. exclude:ceo@example.com.',
    group:
      'An LDAP filter, e.g. (|(cn=staff)(cn=sales)). To list group names instead, start with include: or exclude:, e.g. include:staff,sales.',
  },
  entra: {
    user: 'include:a@example.com,b@example.com or exclude: with emails, or includeGroup:/excludeGroup: with group object ids; combine clauses with |.',
    group:
      'include:Sales,Staff or exclude: with group names, or includeAdministrativeUnit:/excludeAdministrativeUnit: with unit ids.',
  },
  gsuite: {
    user: 'include: or exclude: with emails, then | and a Google query: exclude:ceo@example.com|orgUnitPath=/Staff, or |orgUnitPath=/Staff alone.',
    group:
      'include: or exclude: with group names, then | and a Google query: include:Staff,Sales, or |email:staff*.',
  },
  okta: {
    user: 'include: or exclude: with emails, then | and an Okta filter: |profile.department eq "IT".',
    group:
      'include: or exclude: with group names, then | and an Okta filter: |type eq "OKTA_GROUP".',
  },
  onelogin: {
    user: 'include: or exclude: with emails, then | and OneLogin query parameters: |status=1.',
    group: 'include: or exclude: with role names.',
  },
  file: {
    user: 'include: or exclude: with emails, e.g. exclude:ceo@example.com.',
    group: 'include: or exclude: with group names, e.g. include:Staff.',
  },
};

/** The groups of the Sync card for a directory (its filters read its own way). */
export function syncGroups(directory: string): FieldGroup[] {
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
          help: 'At least 5; empty for 5. Start Sync syncs now, then every this many minutes.',
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
        {
          name: 'sync.userFilter',
          label: 'User filter',
          help: FILTER_HELP[directory]?.user,
          wide: true,
        },
        { name: 'sync.userPath', label: 'User path', help: pathHelp('ou=people'), when: isLdap },
        { name: 'sync.userObjectClass', label: 'User object class', when: isLdap },
        { name: 'sync.userEmailAttribute', label: 'User email attribute', when: isLdap },
        {
          name: 'sync.useEmailPrefixSuffix',
          label: 'Build emails from a prefix and a suffix when missing',
          when: prefixSuffix,
        },
        {
          name: 'sync.emailPrefixAttribute',
          label: 'Email prefix attribute',
          placeholder: 'uid',
          when: all(isLdap, on('sync.useEmailPrefixSuffix')),
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
          help: FILTER_HELP[directory]?.group,
          wide: true,
        },
        { name: 'sync.groupPath', label: 'Group path', help: pathHelp('ou=groups'), when: isLdap },
        { name: 'sync.groupObjectClass', label: 'Group object class', when: isLdap },
        { name: 'sync.groupNameAttribute', label: 'Group name attribute', when: isLdap },
        { name: 'sync.memberAttribute', label: 'Member attribute', when: isLdap },
        // Stored for the official connector, which never uses it either.
        { name: 'sync.creationDateAttribute', label: 'Creation date attribute', when: ldapNonAd },
        { name: 'sync.revisionDateAttribute', label: 'Revision date attribute', when: isLdap },
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
export const HIDDEN = new Set(['ldap.currentUser']);
