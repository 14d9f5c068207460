import { describe, expect, it } from '@jest/globals';
import { BerReader, BerWriter, SearchEntry } from 'ldapts';
import { decodeEntry } from './decode';
import { EntryView, rangedValues } from './entry';

describe('EntryView and ranged values', () => {
  it('finds attributes by any case and reads range pages', () => {
    const view = EntryView.fromEntry({ dn: 'cn=g', Mail: 'a@b', 'member;range=0-1': ['x', 'y'] });
    expect(view.text('mail')).toBe('a@b');
    expect(view.all('missing')).toEqual([]);
    expect(rangedValues(view, 'member')).toEqual({ values: ['x', 'y'], next: 2 });
    expect(
      rangedValues(EntryView.fromEntry({ dn: 'cn=g', 'member;range=2-*': 'z' }), 'member'),
    ).toEqual({
      values: ['z'],
      next: undefined,
    });
    expect(
      rangedValues(EntryView.fromEntry({ dn: 'cn=g', member: 'z' }), 'member'),
    ).toBeUndefined();
  });
});

type RawAttribute = readonly [type: string, values: readonly Buffer[]];

/** A SearchResultEntry ([APPLICATION 4]) as a server sends it. */
function encodeEntry(dn: Buffer, attributes: readonly RawAttribute[]): Buffer {
  const w = new BerWriter();
  w.startSequence(0x64);
  w.writeBuffer(dn, 0x04);
  w.startSequence();
  for (const [type, values] of attributes) {
    w.startSequence();
    w.writeString(type);
    w.startSequence(0x31);
    for (const value of values) w.writeBuffer(value, 0x04);
    w.endSequence();
    w.endSequence();
  }
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

/** The entry as ldapts decodes it (explicit buffers for objectGUID, as LdapSession asks). */
function viaLdapts(message: Buffer, requested: string[]): EntryView {
  const reader = new BerReader(message);
  reader.readSequence(0x64);
  const entry = new SearchEntry({ messageId: 1 });
  entry.parseMessage(reader);
  return EntryView.fromEntry(entry.toObject(requested, ['objectGUID']));
}

function viaDecoder(message: Buffer): EntryView {
  const reader = new BerReader(message);
  reader.readSequence(0x64);
  return decodeEntry(message, reader.offset, reader.offset + reader.length);
}

function same(a: EntryView, b: EntryView): void {
  expect(b.dn).toBe(a.dn);
  expect([...b.names].sort()).toEqual([...a.names].sort());
  for (const name of a.names) expect(b.all(name)).toEqual(a.all(name));
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const guid = Buffer.from('33221100554477668899aabbccddeeff', 'hex');

describe('decodeEntry', () => {
  it('decodes what ldapts decodes: text, bytes, several values, long values', () => {
    const cases: { dn: Buffer; attributes: RawAttribute[] }[] = [
      {
        dn: text('uid=user000001,ou=people,dc=example,dc=com'),
        attributes: [
          ['mail', [text('user000001@example.com')]],
          ['uid', [text('user000001'), text('u1')]],
        ],
      },
      {
        // Non-ASCII DN and values, names in mixed case, AD's binary objectGUID (these bytes are
        // valid UTF-8 too: only the name decides).
        dn: text('CN=Zoë Ångström,OU=Équipe,DC=corp,DC=example,DC=com'),
        attributes: [
          ['Mail', [text('zoë@example.com')]],
          ['objectGUID', [guid]],
          ['displayName', [text('日本語 \uFFFD kept as text')]],
          ['userAccountControl', [text('514')]],
        ],
      },
      {
        // A value that is not UTF-8 makes every value of its attribute bytes; `;binary` too.
        dn: text('cn=g,ou=groups,dc=example,dc=com'),
        attributes: [
          ['description', [text('fine'), Buffer.from([0xff, 0xfe, 0x41])]],
          ['userCertificate;binary', [Buffer.from([0x30, 0x82, 0x01])]],
          ['member;range=0-1499', Array.from({ length: 1500 }, (_, i) => text(`uid=u${i},dc=x`))],
          ['cn', [text('x'.repeat(70_000))]],
        ],
      },
    ];
    for (const { dn, attributes } of cases) {
      const message = encodeEntry(dn, attributes);
      same(
        viaLdapts(
          message,
          attributes.map(([type]) => type),
        ),
        viaDecoder(message),
      );
    }
  });

  it('keeps objectGUID and undecodable values as bytes of their own, and leaves out empty sets', () => {
    const message = encodeEntry(text('cn=a'), [
      ['objectGUID', [guid]],
      ['description', [Buffer.from([0xc3, 0x28])]],
      ['seeAlso', []],
    ]);
    const view = viaDecoder(message);
    const value = view.first('objectguid');
    expect(Buffer.isBuffer(value) && value.equals(guid)).toBe(true);
    // A copy, not a view of the network buffer it came in.
    expect((value as Buffer).buffer).not.toBe(message.buffer);
    expect(Buffer.isBuffer(view.first('description'))).toBe(true);
    expect(view.names).not.toContain('seealso');
  });

  it('refuses a truncated entry instead of returning part of it', () => {
    const message = encodeEntry(text('cn=a'), [['mail', [text('a@example.com')]]]);
    const reader = new BerReader(message);
    reader.readSequence(0x64);
    expect(() => decodeEntry(message, reader.offset, message.length - 3)).toThrow(/malformed/);
  });
});
