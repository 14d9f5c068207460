/**
 * Reading the import body the way each server does: the official server's model binding
 * (System.Text.Json web defaults + DataAnnotations) and Vaultwarden's strict serde.
 */
import { HttpError, officialModelState, vaultwardenError } from './model';

export interface ParsedGroup {
  name: string;
  externalId: string;
  /** Null reaches the command and becomes a 500, as on the server. */
  memberExternalIds: string[] | null;
}

export interface ParsedMember {
  email: string | null;
  externalId: string;
  deleted: boolean;
}

export interface ParsedImport {
  /** Null reaches the controller and becomes a 500, as on the server. */
  groups: ParsedGroup[] | null;
  members: ParsedMember[] | null;
  overwriteExisting: boolean;
  largeImport: boolean;
  inviteUsersAfterProvisioning: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** System.Text.Json with web defaults matches property names case-insensitively. */
function prop(obj: JsonObject, name: string): Json | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

/** .NET's [EmailAddress]: one '@', neither first nor last, no CR/LF. */
export function isDotnetEmail(value: string): boolean {
  if (value.includes('\r') || value.includes('\n')) return false;
  const at = value.indexOf('@');
  return at > 0 && at !== value.length - 1 && at === value.lastIndexOf('@');
}

/** `PermissiveStringConverter`: strings, numbers and booleans all read as strings. */
function permissiveString(v: Json | undefined): string | null | undefined | 'invalid' {
  if (v === undefined || v === null) return v as null | undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return 'invalid';
}

const required = (field: string): string => `The ${field} field is required.`;
const maxLength = (field: string, max: number): string =>
  `The field ${field} must be a string with a maximum length of ${max}.`;
const conversion = (path: string, type: string): string =>
  `The JSON value could not be converted to ${type}. Path: ${path}.`;

/** Binds and validates the official request model; a failure is a 400 with model-state errors keyed by C# paths. */
export function bindOfficialImport(raw: string): ParsedImport {
  if (raw.trim() === '') throw officialModelState({ '': ['Body is empty.'] });
  let body: Json;
  try {
    body = JSON.parse(raw) as Json;
  } catch {
    throw officialModelState({ $: ['The request body is not valid JSON.'] });
  }
  if (!isObject(body))
    throw officialModelState({ $: [conversion('$', 'OrganizationImportRequestModel')] });

  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string): void => {
    (errors[key] ??= []).push(message);
  };

  const bool = (
    value: Json | undefined,
    jsonPath: string,
    fallback: boolean | null,
  ): boolean | null => {
    if (value === undefined) return fallback;
    if (value === null && fallback === null) return null;
    if (typeof value === 'boolean') return value;
    add(
      jsonPath,
      conversion(
        jsonPath,
        fallback === null ? 'System.Nullable`1[System.Boolean]' : 'System.Boolean',
      ),
    );
    return fallback;
  };

  const overwrite = bool(prop(body, 'overwriteExisting'), '$.overwriteExisting', null);
  if (overwrite === null && !errors['$.overwriteExisting'])
    add('OverwriteExisting', required('OverwriteExisting'));
  const largeImport = bool(prop(body, 'largeImport'), '$.largeImport', false) ?? false;
  const invite =
    bool(prop(body, 'inviteUsersAfterProvisioning'), '$.inviteUsersAfterProvisioning', true) ??
    true;

  const checkExternalId = (v: Json | undefined, jsonPath: string, key: string): string => {
    const s = permissiveString(v);
    if (s === 'invalid') {
      add(jsonPath, conversion(jsonPath, 'System.String'));
      return '';
    }
    if (s === null || s === undefined || s === '') add(key, required('ExternalId'));
    else if (s.length > 300) add(key, maxLength('ExternalId', 300));
    return s ?? '';
  };

  let groups: ParsedGroup[] | null = null;
  const rawGroups = prop(body, 'groups');
  if (Array.isArray(rawGroups)) {
    groups = rawGroups.map((g, i) => {
      const key = `Groups[${i}]`;
      const jsonPath = `$.groups[${i}]`;
      if (!isObject(g)) {
        add(jsonPath, conversion(jsonPath, 'AssociationWithPermissionsBaseModel'));
        return { name: '', externalId: '', memberExternalIds: [] };
      }
      const name = prop(g, 'name');
      if (name !== undefined && name !== null && typeof name !== 'string') {
        add(`${jsonPath}.name`, conversion(`${jsonPath}.name`, 'System.String'));
      } else if (!name) add(`${key}.Name`, required('Name'));
      else if (name.length > 100) add(`${key}.Name`, maxLength('Name', 100));
      const externalId = checkExternalId(
        prop(g, 'externalId'),
        `${jsonPath}.externalId`,
        `${key}.ExternalId`,
      );
      const ids = prop(g, 'memberExternalIds');
      let memberExternalIds: string[] | null = null;
      if (Array.isArray(ids)) {
        memberExternalIds = ids.map((id, j) => {
          const s = permissiveString(id);
          if (typeof s !== 'string' || s === 'invalid') {
            add(
              `${jsonPath}.memberExternalIds[${j}]`,
              conversion(`${jsonPath}.memberExternalIds[${j}]`, 'System.String'),
            );
            return '';
          }
          return s;
        });
      } else if (ids !== undefined && ids !== null) {
        add(
          `${jsonPath}.memberExternalIds`,
          conversion(`${jsonPath}.memberExternalIds`, 'IEnumerable<string>'),
        );
      }
      return { name: typeof name === 'string' ? name : '', externalId, memberExternalIds };
    });
  } else if (rawGroups !== undefined && rawGroups !== null) {
    add('$.groups', conversion('$.groups', 'OrganizationImportGroupRequestModel[]'));
  }

  let members: ParsedMember[] | null = null;
  const rawMembers = prop(body, 'members');
  if (Array.isArray(rawMembers)) {
    members = rawMembers.map((m, i) => {
      const key = `Members[${i}]`;
      const jsonPath = `$.members[${i}]`;
      if (!isObject(m)) {
        add(jsonPath, conversion(jsonPath, 'OrganizationImportMemberRequestModel'));
        return { email: null, externalId: '', deleted: false };
      }
      const deleted = bool(prop(m, 'deleted'), `${jsonPath}.deleted`, false) ?? false;
      const email = prop(m, 'email');
      let parsedEmail: string | null = null;
      if (email !== undefined && email !== null && typeof email !== 'string') {
        add(`${jsonPath}.email`, conversion(`${jsonPath}.email`, 'System.String'));
      } else if (typeof email === 'string') {
        parsedEmail = email;
        if (!isDotnetEmail(email))
          add(`${key}.Email`, 'The Email field is not a valid e-mail address.');
        if (email.length > 256) add(`${key}.Email`, maxLength('Email', 256));
      }
      if (
        !deleted &&
        (parsedEmail === null || parsedEmail.trim() === '') &&
        !errors[`${key}.Email`]
      ) {
        add(`${key}.Email`, 'Email is required for enabled members.');
      }
      const externalId = checkExternalId(
        prop(m, 'externalId'),
        `${jsonPath}.externalId`,
        `${key}.ExternalId`,
      );
      return { email: parsedEmail, externalId, deleted };
    });
  } else if (rawMembers !== undefined && rawMembers !== null) {
    add('$.members', conversion('$.members', 'OrganizationImportMemberRequestModel[]'));
  }

  if (Object.keys(errors).length > 0) throw officialModelState(errors);
  return {
    groups,
    members,
    overwriteExisting: overwrite ?? false,
    largeImport,
    inviteUsersAfterProvisioning: invite,
  };
}

export interface VaultwardenImport {
  groups: { name: string; externalId: string; memberExternalIds: string[] }[];
  members: { email: string; externalId: string; deleted: boolean }[];
  overwriteExisting: boolean;
}

/** Vaultwarden's serde: exact camelCase names, every field present with its type; 400 for bad JSON, 422 for bad data. */
export function parseVaultwardenImport(raw: string): VaultwardenImport {
  let body: Json;
  try {
    body = JSON.parse(raw) as Json;
  } catch (e) {
    throw vaultwardenError(`Request body is not valid JSON: ${(e as Error).message}`, 400);
  }
  const fail = (path: string, problem: string): HttpError =>
    vaultwardenError(`${path}: ${problem}`, 422);
  const field = <T>(
    obj: Json,
    path: string,
    name: string,
    check: (v: Json) => v is Json & T,
    type: string,
  ): T => {
    if (!isObject(obj)) throw fail(path, `invalid type: expected struct`);
    if (!(name in obj)) throw fail(path, `missing field \`${name}\``);
    const v = obj[name]!;
    if (!check(v)) throw fail(`${path}.${name}`, `invalid type: expected ${type}`);
    return v as T;
  };
  const isString = (v: Json): v is string => typeof v === 'string';
  const isBool = (v: Json): v is boolean => typeof v === 'boolean';
  const isArray = (v: Json): v is Json[] => Array.isArray(v);

  const groups = field<Json[]>(body, '$', 'groups', isArray, 'a sequence').map((g, i) => {
    const p = `groups[${i}]`;
    const ids = field<Json[]>(g, p, 'memberExternalIds', isArray, 'a sequence');
    return {
      name: field<string>(g, p, 'name', isString, 'a string'),
      externalId: field<string>(g, p, 'externalId', isString, 'a string'),
      memberExternalIds: ids.map((id, j) => {
        if (typeof id !== 'string')
          throw fail(`${p}.memberExternalIds[${j}]`, 'invalid type: expected a string');
        return id;
      }),
    };
  });
  const members = field<Json[]>(body, '$', 'members', isArray, 'a sequence').map((m, i) => {
    const p = `members[${i}]`;
    return {
      email: field<string>(m, p, 'email', isString, 'a string'),
      externalId: field<string>(m, p, 'externalId', isString, 'a string'),
      deleted: field<boolean>(m, p, 'deleted', isBool, 'a boolean'),
    };
  });
  const overwriteExisting = field<boolean>(body, '$', 'overwriteExisting', isBool, 'a boolean');
  return { groups, members, overwriteExisting };
}
