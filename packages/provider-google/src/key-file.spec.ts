import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DirectoryError } from '@bwdc/core';
import { parseServiceAccountKey, readServiceAccountKeyFile } from './key-file';
import { GoogleError } from './errors';
import { parsePrivateKey, signAssertion } from './token';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('service account key files', () => {
  it('reads client_email and private_key from a JSON key file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bwdc-key-'));
    try {
      const path = join(dir, 'key.json');
      await writeFile(
        path,
        JSON.stringify({
          type: 'service_account',
          client_email: ' sa@p.iam.gserviceaccount.com ',
          private_key: pem,
        }),
      );
      expect(await readServiceAccountKeyFile(path)).toEqual({
        clientEmail: 'sa@p.iam.gserviceaccount.com',
        privateKey: pem,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file and what is wrong, never the key', async () => {
    await expect(readServiceAccountKeyFile('/nonexistent/key.json')).rejects.toThrow(
      '/nonexistent/key.json: cannot read the service account key file (ENOENT).',
    );
    expect(() => parseServiceAccountKey('not json', 'k.json')).toThrow(
      'k.json: is not a JSON key file',
    );
    expect(() => parseServiceAccountKey('{"type":"authorized_user"}', 'k.json')).toThrow(
      '"authorized_user" credential',
    );
    let error: unknown;
    try {
      parseServiceAccountKey(
        JSON.stringify({ type: 'service_account', private_key: 'secret-ish' }),
        'k.json',
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as Error).message).toBe(
      'k.json: is not a service account key file: it has no client_email or private_key.',
    );
  });
});

describe('assertion signing', () => {
  it('signs an RS256 JWT with the claims Google expects', () => {
    const jwt = signAssertion(
      {
        clientEmail: 'sa@x',
        subject: 'admin@example.com',
        scopes: ['a', 'b'],
        audience: 'https://t/token',
        nowSeconds: 1000,
      },
      parsePrivateKey(pem, 'src'),
    );
    const [header, payload, signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
    });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({
      iss: 'sa@x',
      sub: 'admin@example.com',
      scope: 'a b',
      aud: 'https://t/token',
      iat: 1000,
      exp: 4600,
    });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature!, 'base64url'),
      ),
    ).toBe(true);
  });

  it('accepts a key with literal \\n and refuses a non-RSA or garbled key without quoting it', () => {
    expect(parsePrivateKey(pem.replace(/\n/g, '\\n'), 'src').asymmetricKeyType).toBe('rsa');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => parsePrivateKey(ec, 'src')).toThrow(GoogleError);
    expect(() => parsePrivateKey('hunter2-key-material', 'src')).toThrow(
      /gsuite\.privateKey is not an RSA private key/,
    );
    expect(() => parsePrivateKey('hunter2-key-material', 'src')).not.toThrow(/hunter2/);
  });
});
