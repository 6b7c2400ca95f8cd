import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBytes, type Udi, DAY, HOUR, MINUTE } from '#protocol';
import type { RegistrationToken } from '../store/index.ts';
import { storeKinds } from '#test-support/test-stores.ts';
import {
  type DeviceKey,
  eachTestCloud,
  expectDomainError,
  expectDomainErrorSync,
  type KeyKind,
  newDeviceKey,
  newToken,
  registerDevice,
  setupAccount,
  type TestCloud,
  type TestDevice,
} from './test-cloud.test-support.ts';
import type { CloudService } from './cloud-service.ts';
import {
  authenticateDevice,
  checkProofOfPossession,
  claimFreshness,
  parsedKey,
  type Freshness,
  type SignedRequest,
} from './device-auth.ts';

const UDI1: Udi = { pid: 'C9300-24T', sn: 'FOC0001' };
const UDI2: Udi = { pid: 'C9300-24T', sn: 'FOC0002' };
const bodyOf = (udi: Udi, timestamp: number, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ udi, timestamp, nonce: 'n0nce-123', ...extra }));

// Keys are slow to make (RSA): one of each for the whole file.
const keys = Object.fromEntries(
  (['p256', 'p384', 'p521', 'rsa1024', 'rsa2048', 'ed25519'] as KeyKind[]).map((k) => [k, newDeviceKey(k)]),
) as Record<KeyKind, DeviceKey>;

describe.each(storeKinds)('device authentication on %s', (kind) => {
  let t: TestCloud;
  let cloud: CloudService;
  let token: RegistrationToken;
  let dev: TestDevice;
  eachTestCloud(kind, async (opened) => {
    t = opened;
    cloud = t.cloud;
    const { account, va } = await setupAccount(cloud);
    token = await newToken(cloud, account, va);
    dev = await registerDevice(cloud, token.id, UDI1);
  });

  /** A request as `signer` would send it; `over` replaces any part. */
  const request = (signer: TestDevice = dev, over: Partial<SignedRequest> = {}): SignedRequest => {
    const udi = over.udi ?? signer.udi;
    const body = over.body ?? bodyOf(udi, t.clock.now());
    return {
      certificateSerial: signer.response.certificateSerial,
      signature: signBytes(body, signer.privateKey),
      body,
      udi,
      ...over,
    };
  };
  const authenticate = (req: SignedRequest) => cloud.run('test', (tx, ctx) => authenticateDevice(tx, ctx, req));

  describe('authenticateDevice', () => {
    it('returns the product instance whose ID certificate key signed the exact body', async () => {
      const instance = await authenticate(request());
      expect(instance).toMatchObject({
        udiKey: 'PID:C9300-24T,SN:FOC0001',
        certSerial: dev.response.certificateSerial,
      });
    });

    it('accepts the serial in upper case', async () => {
      const serial = dev.response.certificateSerial.toUpperCase();
      expect((await authenticate(request(dev, { certificateSerial: serial }))).udiKey).toBe('PID:C9300-24T,SN:FOC0001');
    });

    it.each([
      ['serial', { certificateSerial: undefined }],
      ['signature', { signature: undefined }],
      ['empty signature', { signature: '' }],
    ])('SIGNATURE_MISSING without a %s', async (_what, over) => {
      await expectDomainError(authenticate(request(dev, over)), 'SIGNATURE_MISSING', 'X-Lab-Signature');
    });

    it('CERTIFICATE_UNKNOWN for a serial the cloud never issued, naming it', async () => {
      await expectDomainError(
        authenticate(request(dev, { certificateSerial: '4f00000000000000000000000000beef' })),
        'CERTIFICATE_UNKNOWN',
        '4f00000000000000000000000000beef',
      );
    });

    it('SIGNATURE_INVALID for a tampered body', async () => {
      const req = request();
      const tampered = Buffer.from(req.body.toString().replace('n0nce-123', 'n0nce-124'));
      await expectDomainError(
        authenticate({ ...req, body: tampered }),
        'SIGNATURE_INVALID',
        dev.response.certificateSerial,
      );
    });

    it('SIGNATURE_INVALID for a signature made by another key, or garbage', async () => {
      const req = request();
      await expectDomainError(
        authenticate({ ...req, signature: signBytes(req.body, keys.p256.privateKey) }),
        'SIGNATURE_INVALID',
      );
      await expectDomainError(authenticate({ ...req, signature: 'not//base64!!' }), 'SIGNATURE_INVALID');
    });

    it("IDENTITY_MISMATCH when a device signs correctly but speaks for another instance's UDI", async () => {
      await registerDevice(cloud, token.id, UDI2);
      await expectDomainError(
        authenticate(request(dev, { udi: UDI2 })),
        'IDENTITY_MISMATCH',
        'PID:C9300-24T,SN:FOC0001',
        'PID:C9300-24T,SN:FOC0002',
      );
    });

    it('CERTIFICATE_EXPIRED once the clock passes the certificate notAfter (registration − 5 min + 365 days)', async () => {
      await t.clock.advance(365 * DAY - 5 * MINUTE - 1);
      expect((await authenticate(request())).udiKey).toBe('PID:C9300-24T,SN:FOC0001');
      await t.clock.advance(1);
      await expectDomainError(authenticate(request()), 'CERTIFICATE_EXPIRED', dev.response.notAfter, 'register again');
      await t.clock.advance(DAY);
      await expectDomainError(authenticate(request()), 'CERTIFICATE_EXPIRED');
    });

    it.each(['rsa2048', 'ed25519', 'p384'] as const)('authenticates a device registered with a %s key', async (k) => {
      const other = await registerDevice(cloud, token.id, UDI2, { key: keys[k] });
      expect((await authenticate(request(other))).udiKey).toBe('PID:C9300-24T,SN:FOC0002');
      await expectDomainError(
        authenticate({ ...request(other), body: bodyOf(UDI2, t.clock.now(), { x: 1 }) }),
        'SIGNATURE_INVALID',
      );
    });
  });

  describe('claimFreshness', () => {
    let n = 0;
    const fresh = (over: Partial<Freshness> = {}): Freshness => ({
      udi: UDI1,
      timestamp: t.clock.now(),
      nonce: `nonce-${++n}`,
      ...over,
    });
    const claim = (f: Freshness) => cloud.run('test', (tx, ctx) => claimFreshness(tx, ctx, f));

    it('CLOCK_SKEW when the timestamp is more than 24 hours off either way', async () => {
      const now = t.clock.now();
      await claim(fresh({ timestamp: now - 24 * HOUR }));
      await claim(fresh({ timestamp: now + 24 * HOUR }));
      await expectDomainError(
        claim(fresh({ timestamp: now - 2 * DAY })),
        'CLOCK_SKEW',
        new Date(now - 2 * DAY).toISOString(),
        '24 h',
      );
      await expectDomainError(claim(fresh({ timestamp: now + 24 * HOUR + 1 })), 'CLOCK_SKEW');
    });

    it('REQUEST_REPLAYED for the same UDI and nonce while the timestamp is in the window, naming both', async () => {
      const once = fresh();
      await claim(once);
      await expectDomainError(claim(once), 'REQUEST_REPLAYED', 'PID:C9300-24T,SN:FOC0001', once.nonce);
      await t.clock.advance(24 * HOUR);
      await expectDomainError(claim(once), 'REQUEST_REPLAYED');
      // Past the window the timestamp itself refuses it, so the nonce need not be kept longer.
      await t.clock.advance(1);
      await expectDomainError(claim(once), 'CLOCK_SKEW');
    });

    it('a nonce is per UDI, and a refused claim uses up nothing', async () => {
      const once = fresh();
      await claim(once);
      await claim({ ...once, udi: UDI2 });
      const skewed = fresh({ timestamp: t.clock.now() - 2 * DAY });
      await expectDomainError(claim(skewed), 'CLOCK_SKEW');
      await claim({ ...skewed, timestamp: t.clock.now() });
    });

    it('an expired nonce is forgotten: the same nonce with a new timestamp counts again', async () => {
      const once = fresh();
      await claim(once);
      await t.clock.advance(24 * HOUR + 1);
      await claim({ ...once, timestamp: t.clock.now() });
      await expectDomainError(claim({ ...once, timestamp: t.clock.now() }), 'REQUEST_REPLAYED');
    });
  });
});

describe('checkProofOfPossession', () => {
  const body = bodyOf(UDI1, 0, { idToken: 'tok', publicKey: 'k' });
  const check = (
    key: DeviceKey,
    signature: string | undefined = signBytes(body, key.privateKey),
    data: Uint8Array = body,
  ) => checkProofOfPossession(key.publicKey, data, signature);

  it.each(['p256', 'p384', 'rsa2048', 'ed25519'] as const)(
    'accepts a %s key whose private key signed the body',
    (k) => {
      expect(() => check(keys[k])).not.toThrow();
    },
  );

  it.each([
    ['garbage', 'not a key at all'],
    ['an empty string', ''],
    ['a truncated key', keys.p256.publicKey.slice(0, 40)],
  ])('KEY_INVALID for %s', (_what, publicKey) => {
    expectDomainErrorSync(() => checkProofOfPossession(publicKey, body, 'c2ln'), 'KEY_INVALID', 'base64 SPKI DER');
  });

  it('KEY_INVALID for RSA under 2048 bits, naming the size', () => {
    expectDomainErrorSync(() => check(keys.rsa1024), 'KEY_INVALID', 'rsa', '1024-bit', 'RSA ≥ 2048');
  });

  it('KEY_INVALID for EC P-521, naming the curve', () => {
    expectDomainErrorSync(() => check(keys.p521), 'KEY_INVALID', 'ec secp521r1', 'P-256/P-384');
  });

  it('SIGNATURE_MISSING without a signature', () => {
    expectDomainErrorSync(() => check(keys.p256, ''), 'SIGNATURE_MISSING', 'X-Lab-Signature');
    expectDomainErrorSync(() => checkProofOfPossession(keys.p256.publicKey, body, undefined), 'SIGNATURE_MISSING');
  });

  it('PROOF_OF_POSSESSION_FAILED when another key signed, or the body changed', () => {
    expectDomainErrorSync(
      () => check(keys.p256, signBytes(body, keys.p384.privateKey)),
      'PROOF_OF_POSSESSION_FAILED',
      'public key it presents',
    );
    expectDomainErrorSync(
      () => check(keys.ed25519, undefined, Buffer.concat([body, Buffer.from(' ')])),
      'PROOF_OF_POSSESSION_FAILED',
    );
    expectDomainErrorSync(() => check(keys.rsa2048, 'AAAA'), 'PROOF_OF_POSSESSION_FAILED');
  });
});

describe('parsedKey (the SLP paths: report keys, their pinning, trusted keys)', () => {
  const dsa = () =>
    generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');

  it.each(['p256', 'p384', 'rsa2048', 'ed25519'] as const)('parses a %s key', (k) => {
    expect(parsedKey(keys[k].publicKey)?.type).toBe('public');
  });

  it('answers undefined for what is not a key', () => {
    expect(parsedKey('not a key at all')).toBeUndefined();
    expect(parsedKey(keys.p256.publicKey.slice(0, 40))).toBeUndefined();
  });

  it('is KEY_INVALID for the types registration refuses, naming where', () => {
    expectDomainErrorSync(
      () => parsedKey(newDeviceKey('rsa1024').publicKey, 'reports[0].usage[0]'),
      'KEY_INVALID',
      'reports[0].usage[0]: public key type rsa 1024-bit',
      'RSA ≥ 2048',
    );
    expectDomainErrorSync(() => parsedKey(newDeviceKey('p521').publicKey), 'KEY_INVALID', 'ec secp521r1');
    expectDomainErrorSync(() => parsedKey(dsa()), 'KEY_INVALID', 'public key type dsa');
  });

  it('caches no refused key: proof of possession with it after an SLP use is still KEY_INVALID', () => {
    const body = bodyOf(UDI1, 0);
    for (const key of [newDeviceKey('rsa1024'), newDeviceKey('p521')]) {
      try {
        parsedKey(key.publicKey); // an upload or a trusted request presenting it
      } catch {
        // refused (the test above); what matters here is what it leaves behind
      }
      expectDomainErrorSync(
        () => checkProofOfPossession(key.publicKey, body, signBytes(body, key.privateKey)),
        'KEY_INVALID',
        'is not supported',
      );
    }
  });
});
