import { SecretRedactor, createLogger, isSecretFieldName, type LogRecord } from './logger';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const records: LogRecord[] = [];
  const redactor = new SecretRedactor();
  const logger = createLogger({ sink: (r) => records.push(r), redactor, level });
  return { records, redactor, logger };
}

describe('SecretRedactor and createLogger', () => {
  it('never lets a registered secret reach a record, in the message or the fields', () => {
    const { records, redactor, logger } = capture();
    redactor.register('s3cr3t-Value!');
    logger.info('bind failed with s3cr3t-Value! for cn=admin', {
      detail: 'pw=s3cr3t-Value!',
      nested: { list: ['x s3cr3t-Value!'] },
    });
    const text = JSON.stringify(records);
    expect(text).not.toContain('s3cr3t-Value!');
    expect(records[0]!.message).toBe('bind failed with [REDACTED] for cn=admin');
  });

  it('also catches the URL- and JSON-encoded forms of a secret', () => {
    const { records, redactor, logger } = capture();
    redactor.register('a b"c/d');
    logger.warn(
      `url ?secret=${encodeURIComponent('a b"c/d')} json ${JSON.stringify({ s: 'a b"c/d' })}`,
    );
    expect(records[0]!.message).not.toContain(encodeURIComponent('a b"c/d'));
    expect(records[0]!.message).not.toContain('a b\\"c/d');
  });

  it('redacts fields whose names say they hold secrets, whatever their value', () => {
    const { records, logger } = capture();
    logger.info('login', { clientSecret: 'unregistered', password: 'x', user: 'alice' });
    expect(records[0]!.fields).toEqual({
      clientSecret: '[REDACTED]',
      password: '[REDACTED]',
      user: 'alice',
    });
  });

  it('redacts bearer tokens and private keys it was never told about', () => {
    const { records, logger } = capture();
    logger.error('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def and SSWS 00abcdefghijklmnop');
    logger.error('key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- end');
    expect(records[0]!.message).toBe('Authorization: Bearer [REDACTED] and SSWS [REDACTED]');
    expect(records[1]!.message).toBe('key [REDACTED] end');
  });

  it('ignores values too short to be secrets, so ordinary words survive', () => {
    const { records, redactor, logger } = capture();
    redactor.register('ab');
    logger.info('abc');
    expect(records[0]!.message).toBe('abc');
  });

  it('drops records below the level', () => {
    const { records, logger } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(records.map((r) => r.level)).toEqual(['warn', 'error']);
  });

  it.each([
    ['password', true],
    ['clientSecret', true],
    ['accessToken', true],
    ['privateKey', true],
    ['key', true],
    ['email', false],
    ['keyboard', false],
  ])('isSecretFieldName(%p) is %p', (name, expected) => {
    expect(isSecretFieldName(name)).toBe(expected);
  });
});

describe('createLogger and hostile text', () => {
  it('escapes control and BIDI characters in messages and fields, one record per line', () => {
    const { records, logger } = capture();
    logger.warn('Left out eve\u001b[2J@example.com\nINFO forged line', {
      group: 'Sales\u202eselaS',
      list: ['a\rb'],
    });
    expect(records[0]!.message).toBe('Left out eve\\x1b[2J@example.com\\nINFO forged line');
    expect(records[0]!.fields).toEqual({ group: 'Sales\\u202eselaS', list: ['a\\rb'] });
  });
});
