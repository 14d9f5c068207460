/**
 * The Settings form without React: the layout (`settings-layout.ts`) narrowed to what applies
 * now, LDAP defaults as placeholders, and edits turned into the changes the bridge saves. Driven
 * by the settings catalogue, so a setting the layout does not know still appears (under "Other
 * settings", described by the catalogue).
 */
import type {
  SettingChange,
  SettingDescriptor,
  SettingValue,
  SettingsSnapshot,
} from '../shared/bridge';
import {
  DIRECTORY_GROUPS,
  HIDDEN,
  syncGroups,
  type FieldGroup,
  type FieldSpec,
  type FormValues,
} from './settings-layout';

export { DIRECTORY_CHOICES, type FormValues } from './settings-layout';

export const SECRET_PLACEHOLDER = '[STORED SECURELY]';

export interface VisibleField extends FieldSpec {
  readonly descriptor: SettingDescriptor;
}

export interface VisibleGroup {
  readonly title: string;
  readonly description?: string;
  readonly fields: readonly VisibleField[];
}

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
  snapshot: SettingsSnapshot,
): VisibleGroup[] {
  const byName = new Map(snapshot.catalogue.map((d) => [d.name, d]));
  // An LDAP setting left empty takes the default of the kind of directory the form now says.
  const defaults =
    values.directory === 'ldap'
      ? snapshot.ldapDefaults[values['ldap.ad'] === true ? 'activeDirectory' : 'otherLdap']
      : {};
  return groups
    .map((g) => ({
      title: g.title,
      ...(g.description ? { description: g.description } : {}),
      fields: g.fields
        .filter((f) => byName.has(f.name) && (!f.when || f.when(values)))
        .map((f) => {
          const placeholder = defaults[f.name] ?? f.placeholder;
          return {
            ...f,
            ...(placeholder === undefined ? {} : { placeholder }),
            descriptor: byName.get(f.name)!,
          };
        }),
    }))
    .filter((g) => g.fields.length > 0);
}

/** The groups of the Directory card for the chosen directory, with "Other settings" for unknown fields. */
export function directoryLayout(snapshot: SettingsSnapshot, values: FormValues): VisibleGroup[] {
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const groups = [...(DIRECTORY_GROUPS[directory] ?? [])];
  const known = new Set(groups.flatMap((g) => g.fields.map((f) => f.name)));
  const rest = snapshot.catalogue.filter(
    (d) => d.section === directory && !known.has(d.name) && !HIDDEN.has(d.name),
  );
  if (rest.length)
    groups.push({
      title: 'Other settings',
      fields: rest.map((d) => ({ name: d.name, label: d.field, help: d.description })),
    });
  return visible(groups, values, snapshot);
}

/** The groups of the Sync card. */
export function syncLayout(snapshot: SettingsSnapshot, values: FormValues): VisibleGroup[] {
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const groups = syncGroups(directory);
  const known = new Set(groups.flatMap((g) => g.fields.map((f) => f.name)));
  const rest = snapshot.catalogue.filter((d) => d.section === 'sync' && !known.has(d.name));
  if (rest.length)
    groups.push({
      title: 'Other settings',
      fields: rest.map((d) => ({ name: d.name, label: d.field, help: d.description })),
    });
  return visible(groups, values, snapshot);
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

/** The secret that must be typed again because an identity field changed, if any. */
export function secretNeedingReentry(
  snapshot: SettingsSnapshot,
  values: FormValues,
): string | undefined {
  const directory = typeof values.directory === 'string' ? values.directory : '';
  const secret = snapshot.catalogue.find((d) => d.section === directory && d.secret);
  if (!secret || !secretIsStored(snapshot, secret.name) || values[secret.name]) return undefined;
  const before = initialValues(snapshot);
  // The catalogue marks the fields that say which account the configuration talks to.
  return snapshot.catalogue.some(
    (d) => d.section === directory && d.identity && values[d.name] !== before[d.name],
  )
    ? secret.name
    : undefined;
}
