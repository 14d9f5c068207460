import { X509Certificate } from 'node:crypto';
import { loopbackTls } from './pki';

describe('loopbackTls', () => {
  it('makes a CA and a server certificate it signed, for 127.0.0.1 and localhost', async () => {
    const tls = await loopbackTls();
    const ca = new X509Certificate(tls.caCert);
    const server = new X509Certificate(tls.cert);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(tls.key).toContain('PRIVATE KEY');
  });
});
