import { escapeControlChars, escapeJsonText } from './escape';

const HOSTILE = 'eve\u001b[2J\u001b]0;title\u0007@example.com\r\nceo\u202e\u2066moc.elpmaxe\u009b';

describe('escapeControlChars', () => {
  it('shows escape sequences, carriage returns, C1 controls and BIDI overrides as text', () => {
    expect(escapeControlChars(HOSTILE)).toBe(
      'eve\\x1b[2J\\x1b]0;title\\x07@example.com\\r\\nceo\\u202e\\u2066moc.elpmaxe\\x9b',
    );
  });

  it('keeps line feeds with keepNewlines, and still escapes a carriage return', () => {
    expect(escapeControlChars('line 1\r\nline 2\u202e', { keepNewlines: true })).toBe(
      'line 1\\r\nline 2\\u202e',
    );
  });

  it('leaves ordinary text, accents and other scripts alone', () => {
    const text = 'Zoë Ørsted <zoe@exämple.com> שלום 日本';
    expect(escapeControlChars(text)).toBe(text);
  });
});

describe('escapeJsonText', () => {
  it('escapes what JSON.stringify leaves raw, and the value parses back the same', () => {
    const value = { email: HOSTILE, name: 'Sales\u2028Team\u007f' };
    const json = escapeJsonText(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex -- the characters under test
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
