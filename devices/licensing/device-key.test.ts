import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateDeviceKey, loadDeviceKey } from './device-key.ts';

const opensslSpki = (pem: string) => createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('base64');

describe('device key', () => {
  it('generates a P-256 key whose PEM and SPKI are what OpenSSL writes', () => {
    for (let i = 0; i < 20; i++) {
      const k = generateDeviceKey();
      expect(k.pem).toBe(k.key.export({ format: 'pem', type: 'pkcs8' }));
      expect(k.publicKeySpkiB64).toBe(opensslSpki(k.pem));
      expect(k.key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
  });

  it('signs with the key the SPKI names', () => {
    const k = generateDeviceKey();
    const pub = createPublicKey({ key: Buffer.from(k.publicKeySpkiB64, 'base64'), format: 'der', type: 'spki' });
    expect(verify('sha256', Buffer.from('x'), pub, sign('sha256', Buffer.from('x'), k.key))).toBe(true);
  });

  it('loads stored keys of every type the cloud accepts, with the same SPKI as OpenSSL', () => {
    const pems = [
      generateDeviceKey().pem,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ];
    for (const pem of pems) {
      const k = loadDeviceKey(pem);
      expect(k.pem).toBe(pem);
      expect(k.key.equals(createPrivateKey(pem))).toBe(true);
      expect(k.publicKeySpkiB64).toBe(opensslSpki(pem));
    }
  });

  it('refuses a PEM that is not a private key', () => {
    expect(() => loadDeviceKey('not a key')).toThrow();
  });
});
