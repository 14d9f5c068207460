import { createHash, randomInt } from 'node:crypto';
import { cp, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeDnValue, uidOf, type DirectoryFixture } from './fixtures';
import { isListening, makeTempDir, removeDir, run, ServerProcess } from './process';
import type { RunningLdapServer } from './slapd';
import { makeTestPki } from '@bwdc/test-pki';

export const SAMBA_REALM = 'BWTEST.LOCAL';
export const SAMBA_DOMAIN = 'BWTEST';
export const SAMBA_BASE_DN = 'DC=bwtest,DC=local';
/** The OU holding a fixture: OU=People and OU=Groups below it; bulk data in OU=Bulk. */
export const SAMBA_FIXTURE_OU = `OU=bwdc,${SAMBA_BASE_DN}`;
const ADMIN_PASSWORD = 'Passw0rd!2345';

export interface SambaOptions {
  /** Users (with disabled/deleted flags) and groups created in OU=People / OU=Groups of OU=bwdc. */
  readonly fixture?: DirectoryFixture;
  /**
   * A group CN=<name>,OU=Bulk,OU=bwdc whose `members` members are contacts CN=bulkNNNNN (mail
   * bulkNNNNN@bwtest.local). Contacts are persons to AD and load several times faster than users.
   */
  readonly bulkGroup?: { readonly name: string; readonly members: number };
}

export interface RunningSambaServer extends RunningLdapServer {
  readonly realm: string;
  /** `DC=bwtest,DC=local`. */
  readonly domainDn: string;
  /**
   * An entry's objectGUID as AD writes a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the first
   * three fields little-endian), read with ldapsearch: the id the official connector synced.
   */
  objectGuid(dn: string): Promise<string>;
}

/** DN helpers for the layout `startSambaAd` creates. */
export function sambaUserDn(uid: string): string {
  return `CN=${escapeDnValue(uid)},OU=People,${SAMBA_FIXTURE_OU}`;
}
export function sambaGroupDn(name: string): string {
  return `CN=${escapeDnValue(name)},OU=Groups,${SAMBA_FIXTURE_OU}`;
}

/**
 * Starts a Samba AD DC (LDAP service only) from a temp folder. Provisioning takes seconds, so a
 * provisioned and loaded template is kept in os.tmpdir() keyed by a hash of the options and
 * copied for each server. Samba's LDAP ports are fixed (389/636), so each server binds its own
 * loopback address 127.0.0.N instead of its own port: servers in parallel test workers never clash.
 */
export async function startSambaAd(options: SambaOptions = {}): Promise<RunningSambaServer> {
  const template = await ensureTemplate(options);
  const dir = await makeTempDir('bwdc-samba-');
  try {
    await cp(template, dir, { recursive: true });
    for (const sub of ['run', 'log', 'tls', 'cache'])
      await mkdir(path.join(dir, sub), { recursive: true });
    return await startIn(dir);
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
}

async function startIn(dir: string): Promise<RunningSambaServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 6; attempt++) {
    const host = `127.0.0.${randomInt(2, 255)}`;
    if ((await isListening(host, 389)) || (await isListening(host, 636))) continue;
    const pki = await makeTestPki(path.join(dir, 'tls'), [host, 'localhost'], 'dc1.bwtest.local');
    const conf = path.join(dir, 'etc', 'smb.conf');
    await writeFile(conf, smbConf(dir, host, pki));
    const proc = ServerProcess.spawn('samba', '/usr/sbin/samba', [
      '-s',
      conf,
      '-i',
      '-M',
      'single',
      '--debuglevel=1',
    ]);
    try {
      await proc.waitForPorts(
        [
          { host, port: 389 },
          { host, port: 636 },
        ],
        30_000,
      );
    } catch (error) {
      lastError = error;
      await proc.stop();
      continue;
    }
    const adminDn = `CN=Administrator,CN=Users,${SAMBA_BASE_DN}`;
    const url = `ldap://${host}:389`;
    const pwFile = path.join(dir, 'admin.pw');
    await writeFile(pwFile, ADMIN_PASSWORD, { mode: 0o600 });
    const env = { ...process.env, LDAPTLS_CACERT: pki.caCertPath };
    const auth = ['-x', '-H', url, '-D', adminDn, '-y', pwFile];
    return {
      url,
      ldapsUrl: `ldaps://${host}:636`,
      startTlsUrl: url,
      host,
      port: 389,
      ldapsPort: 636,
      caCertPath: pki.caCertPath,
      pki,
      baseDn: SAMBA_BASE_DN,
      domainDn: SAMBA_BASE_DN,
      realm: SAMBA_REALM,
      bindDn: adminDn,
      bindPassword: ADMIN_PASSWORD,
      adminDn,
      adminPassword: ADMIN_PASSWORD,
      dir,
      add: async (ldif) => void (await run('ldapmodify', ['-a', ...auth], { input: ldif, env })),
      modify: async (ldif) => void (await run('ldapmodify', auth, { input: ldif, env })),
      delete: async (...dns) => void (await run('ldapdelete', [...auth, ...dns], { env })),
      objectGuid: async (dn) => {
        const { stdout } = await run(
          'ldapsearch',
          [...auth, '-LLL', '-o', 'ldif-wrap=no', '-s', 'base', '-b', dn, 'objectGUID'],
          { env },
        );
        const base64 = /^objectGUID:: (\S+)$/m.exec(stdout)?.[1];
        if (!base64) throw new Error(`${dn} has no objectGUID`);
        return adGuidString(Buffer.from(base64, 'base64'));
      },
      stop: async () => {
        await proc.stop();
        await removeDir(dir);
      },
    };
  }
  throw lastError ?? new Error('no free loopback address for Samba');
}

/** AD's text form of a GUID: the first three fields byte-swapped, lower-case, dashed. */
function adGuidString(bytes: Buffer): string {
  const hex = (from: number, to: number, swap: boolean): string => {
    const part = [...bytes.subarray(from, to)];
    return (swap ? part.reverse() : part).map((b) => b.toString(16).padStart(2, '0')).join('');
  };
  return [
    hex(0, 4, true),
    hex(4, 6, true),
    hex(6, 8, true),
    hex(8, 10, false),
    hex(10, 16, false),
  ].join('-');
}

function smbConf(
  dir: string,
  host: string,
  pki: { serverCertPath: string; serverKeyPath: string },
): string {
  return [
    '[global]',
    'netbios name = DC1',
    `realm = ${SAMBA_REALM}`,
    `workgroup = ${SAMBA_DOMAIN}`,
    'server role = active directory domain controller',
    'server services = ldap',
    // An address with a mask is bound as given, even though lo only carries 127.0.0.1.
    `interfaces = ${host}/8`,
    'bind interfaces only = yes',
    `private dir = ${path.join(dir, 'private')}`,
    `lock directory = ${dir}`,
    `state directory = ${path.join(dir, 'state')}`,
    `cache directory = ${path.join(dir, 'cache')}`,
    `binddns dir = ${path.join(dir, 'bind-dns')}`,
    `pid directory = ${path.join(dir, 'run')}`,
    `log file = ${path.join(dir, 'log', 'log.%m')}`,
    'logging = file',
    'idmap_ldb:use rfc2307 = yes',
    'tls enabled = yes',
    `tls certfile = ${pki.serverCertPath}`,
    `tls keyfile = ${pki.serverKeyPath}`,
    'tls cafile =',
    // bwdc's tests also exercise plain simple binds; real DCs should keep the default.
    'ldap server require strong auth = no',
    '',
  ].join('\n');
}

const TEMPLATE_VERSION = 2;

async function ensureTemplate(options: SambaOptions): Promise<string> {
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        v: TEMPLATE_VERSION,
        fixture: options.fixture ?? null,
        bulk: options.bulkGroup ?? null,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const template = path.join(os.tmpdir(), `bwdc-samba-template-${key}`);
  if (await exists(path.join(template, 'ready'))) return template;
  const staging = `${template}.tmp-${process.pid}-${randomInt(1e9)}`;
  await mkdir(staging, { recursive: true });
  try {
    await run('samba-tool', [
      'domain',
      'provision',
      '--use-rfc2307',
      `--realm=${SAMBA_REALM}`,
      `--domain=${SAMBA_DOMAIN}`,
      '--server-role=dc',
      '--dns-backend=NONE',
      `--targetdir=${staging}`,
      `--adminpass=${ADMIN_PASSWORD}`,
      '--host-name=dc1',
      '--host-ip=127.0.0.1',
      '--option=interfaces=lo',
      '--option=bind interfaces only=yes',
    ]);
    const job = fixtureJob(options);
    if (job.add.length || job.delete.length) {
      await run(
        '/usr/bin/python3',
        [
          '-c',
          LOADER,
          path.join(staging, 'etc', 'smb.conf'),
          path.join(staging, 'private', 'sam.ldb'),
        ],
        {
          input: JSON.stringify(job),
        },
      );
    }
    await writeFile(path.join(staging, 'ready'), new Date().toISOString());
    try {
      await rename(staging, template);
    } catch {
      // Another worker finished the same template first; theirs is as good as ours.
      await removeDir(staging);
    }
    return template;
  } catch (error) {
    await removeDir(staging);
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** What the offline loader applies to sam.ldb: LDIF adds in order, then deletions (tombstones). */
function fixtureJob(options: SambaOptions): { add: string[]; delete: string[] } {
  const add: string[] = [];
  const del: string[] = [];
  const ou = (dn: string): string => `dn: ${dn}\nobjectClass: organizationalUnit\n`;
  add.push(ou(SAMBA_FIXTURE_OU));
  const fixture = options.fixture;
  if (fixture) {
    add.push(ou(`OU=People,${SAMBA_FIXTURE_OU}`), ou(`OU=Groups,${SAMBA_FIXTURE_OU}`));
    const byEmail = new Map(fixture.users.map((u) => [u.email.toLowerCase(), u]));
    for (const user of fixture.users) {
      add.push(
        userLdif(
          sambaUserDn(uidOf(user)),
          uidOf(user),
          user.withoutMail ? undefined : user.email,
          user.disabled ?? false,
        ),
      );
      if (user.deleted) del.push(sambaUserDn(uidOf(user)));
    }
    // Groups first without members, so members may name groups added later (cycles).
    for (const group of fixture.groups)
      add.push(
        `dn: ${sambaGroupDn(group.name)}\nobjectClass: group\nsAMAccountName: ${group.name}\n`,
      );
    for (const group of fixture.groups) {
      const members = [
        ...group.memberEmails.map((e) => {
          const user = byEmail.get(e.toLowerCase());
          if (!user) throw new Error(`group ${group.name}: no fixture user ${e}`);
          return sambaUserDn(uidOf(user));
        }),
        ...(group.childGroups ?? []).map(sambaGroupDn),
      ];
      if (members.length) {
        add.push(
          `dn: ${sambaGroupDn(group.name)}\nchangetype: modify\nadd: member\n${members.map((m) => `member: ${m}`).join('\n')}\n-\n`,
        );
      }
    }
  }
  if (options.bulkGroup) {
    const bulk = `OU=Bulk,${SAMBA_FIXTURE_OU}`;
    add.push(ou(bulk));
    const dns: string[] = [];
    for (let i = 0; i < options.bulkGroup.members; i++) {
      const uid = `bulk${String(i).padStart(5, '0')}`;
      dns.push(`CN=${uid},${bulk}`);
      add.push(`dn: CN=${uid},${bulk}\nobjectClass: contact\nmail: ${uid}@bwtest.local\n`);
    }
    add.push(
      `dn: CN=${escapeDnValue(options.bulkGroup.name)},${bulk}\nobjectClass: group\nsAMAccountName: ${options.bulkGroup.name}\n${dns.map((d) => `member: ${d}`).join('\n')}\n`,
    );
  }
  return { add, delete: del };
}

function userLdif(dn: string, uid: string, email: string | undefined, disabled: boolean): string {
  // 512 = normal account, 32 = no password required (fixtures have none), 2 = disabled.
  const uac = 512 | 32 | (disabled ? 2 : 0);
  const mail = email === undefined ? '' : `mail: ${email}\n`;
  return `dn: ${dn}\nobjectClass: user\nsAMAccountName: ${uid}\nuserPrincipalName: ${uid}@bwtest.local\n${mail}userAccountControl: ${uac}\n`;
}

/** Applies a job to sam.ldb offline through Samba's own module stack (objectGUID, SIDs...). */
const LOADER = `
import sys, json
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm
lp = LoadParm()
lp.load(sys.argv[1])
db = SamDB(url=sys.argv[2], session_info=system_session(), lp=lp)
job = json.load(sys.stdin)
ops = [("ldif", x) for x in job["add"]] + [("delete", x) for x in job["delete"]]
# Samba slows down as one transaction grows; a few hundred operations each keeps loading linear.
for start in range(0, len(ops), 250):
    db.transaction_start()
    try:
        for kind, value in ops[start:start + 250]:
            if kind == "delete":
                db.delete(value)
            elif "changetype: modify" in value:
                db.modify_ldif(value)
            else:
                db.add_ldif(value)
    except BaseException:
        db.transaction_cancel()
        raise
    db.transaction_commit()
`;
