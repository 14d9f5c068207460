import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface CsvDirectoryShape {
  readonly users: number;
  readonly groups: number;
  /** Groups each user is listed in (the `groups` column), spread over all groups. */
  readonly groupsPerUser: number;
  /** Child groups per parent: group g is nested in group floor((g - 1) / fanOut). */
  readonly fanOut: number;
}

export const DEFAULT_CSV_SHAPE: CsvDirectoryShape = {
  users: 1_000_000,
  groups: 10_000,
  groupsPerUser: 2,
  fanOut: 10,
};

const groupName = (g: number): string => `Group ${String(g).padStart(5, '0')}`;

/**
 * Writes an HR-export style CSV (the provider-file format): a header, the group rows (each with
 * its id and the group it is nested in, so groups nest about four deep), then one row per user
 * with an id, an email and the groups it belongs to. About 1 % of users are disabled and 0.5 %
 * deleted. Deterministic. Returns the number of user-group memberships written.
 */
export async function writeCsvDirectory(file: string, shape: CsvDirectoryShape): Promise<number> {
  const out = createWriteStream(file);
  let buffer: string[] = [];
  let size = 0;
  const write = async (line: string): Promise<void> => {
    buffer.push(line);
    size += line.length;
    if (size < 1 << 16) return;
    const text = buffer.join('');
    buffer = [];
    size = 0;
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('type,id,email,name,disabled,deleted,groups\n');
  for (let g = 0; g < shape.groups; g++) {
    const parent = g === 0 ? '' : groupName(Math.floor((g - 1) / shape.fanOut));
    await write(`group,G${String(g).padStart(5, '0')},,${groupName(g)},,,${parent}\n`);
  }
  let memberships = 0;
  for (let u = 0; u < shape.users; u++) {
    const id = `E${String(u).padStart(7, '0')}`;
    const groups: string[] = [];
    for (let k = 0; k < shape.groupsPerUser && shape.groups > 0; k++) {
      const g = (u * 7919 + k * 104_729) % shape.groups;
      if (!groups.includes(groupName(g))) groups.push(groupName(g));
    }
    memberships += groups.length;
    const disabled = u % 100 === 7 ? 'true' : '';
    const deleted = u % 200 === 11 ? 'true' : '';
    await write(`user,${id},user${u}@example.com,,${disabled},${deleted},${groups.join(';')}\n`);
  }
  if (size > 0) out.write(buffer.join(''));
  out.end();
  await once(out, 'close');
  return memberships;
}
