/**
 * Every route of the cloud over real HTTP, success and error paths, on both stores. The device side is a
 * minimal signer (the real device agent is in devices/); every answer's signature is checked.
 */
import { generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applySeed,
  CloudOperations,
  CloudService,
  createCloudApp,
  parseSeed,
  serve,
  type CloudApp,
  type RunningServer,
} from '#cloud';
import {
  buildDeviceRequest,
  devicePaths,
  errorCatalogue,
  newNonce,
  verifyBytes,
  type DeviceOperation,
  type Udi,
  MINUTE,
  DAY,
} from '#protocol';
import { LabClock } from '#lab';
import { labKeyHeader, TEST_LAB_KEY } from './support/lab-key.ts';
import { openTestStore, storeKinds, type TestStore } from './support/test-stores.ts';

const SEEDED_DEFAULT_TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const EAST_TOKEN = 'LAB-EXAMPLE-EAST-TOKEN%0AnotExport%3D';
const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';
const DNA_E = 'regid.2018-05.com.cisco.C9300-DNA-E-48,1.0_e213fd3f-18f9-4940-a21c-617b92efdaae';

interface Answer {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

describe.each(storeKinds)('cloud API on %s', (kind) => {
  let db: TestStore;
  let clock: LabClock;
  let app: CloudApp;
  let server: RunningServer;
  let caKey: KeyObject;
  const logged: string[] = [];
  let sn = 0;
  /** The DEFAULT VA's token; replaced when a test moves the clock past its expiry. */
  let DEFAULT_TOKEN = SEEDED_DEFAULT_TOKEN;

  async function newToken(vaName: string, days = 30): Promise<string> {
    const ops = new CloudOperations(app.context.service);
    return (await ops.createToken({ account: 'example.com', virtualAccount: vaName }, { expiresAfterDays: days })).id;
  }

  async function call(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...labKeyHeader, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    // Every answer, errors included, is signed by the cloud CA over the exact body bytes.
    expect(verifyBytes(bytes, res.headers.get('x-lab-signature') ?? '', caKey), `signature of ${method} ${path}`).toBe(
      true,
    );
    const parsed = JSON.parse(bytes.toString('utf8'));
    if (res.status >= 400)
      expect(errorCatalogue[parsed.error.code as keyof typeof errorCatalogue].status).toBe(
        res.status === 503 && parsed.error.code === 'FAULT_INJECTED' ? 503 : res.status,
      );
    return { status: res.status, body: parsed, headers: res.headers };
  }

  class Device {
    key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    udi: Udi = { pid: 'C9300-24P', sn: `FOC2${String(++sn).padStart(3, '0')}X0AB` };
    serial = '';
    spki(key = this.key.publicKey) {
      return key.export({ type: 'spki', format: 'der' }).toString('base64');
    }
    fields(extra: object = {}) {
      return { udi: this.udi, timestamp: clock.now(), nonce: newNonce(), ...extra };
    }
    async send(
      op: DeviceOperation,
      body: object,
      signer: KeyObject = this.key.privateKey,
      serial: string | undefined = this.serial,
    ) {
      const req = buildDeviceRequest(op, body, signer, op === 'register' ? undefined : serial);
      return call('POST', req.path, req.body, req.headers);
    }
    async register(token = DEFAULT_TOKEN, extra: object = {}) {
      const a = await this.send(
        'register',
        this.fields({ idToken: token, hostname: `sw${sn}`, publicKey: this.spki(), ...extra }),
      );
      if (a.status === 200) this.serial = a.body.certificateSerial;
      return a;
    }
    authorize(entitlements: { tag: string; count: number }[]) {
      return this.send('authorize', this.fields({ entitlements }));
    }
  }

  beforeAll(async () => {
    db = await openTestStore(kind);
    clock = LabClock.create({ mode: 'stepped', start: Date.parse('2026-03-13T08:09:24Z') });
    const service = await CloudService.open({ store: db.store, clock });
    caKey = service.ca.publicKey;
    await applySeed(service, parseSeed(readFileSync('scenarios/cloud-seed.example.yaml', 'utf8')));
    app = createCloudApp({ service, clock, clockControl: clock, labKey: TEST_LAB_KEY, log: (l) => logged.push(l) });
    server = await serve(app);
  });
  afterAll(async () => {
    await server?.close();
    await db?.cleanup();
    expect(logged.filter((l) => l.includes('internal error'))).toEqual([]);
  });

  describe('registration', () => {
    it('issues an ID certificate from the CA with the captured timers', async () => {
      const d = new Device();
      const a = await d.register();
      expect(a.status).toBe(200);
      const cert = new X509Certificate(a.body.idCertificate);
      expect(cert.verify(new X509Certificate(a.body.caCertificate).publicKey)).toBe(true);
      expect(cert.subject).toMatch(new RegExp(`CN=PID:${d.udi.pid}\\\\?,SN:${d.udi.sn}`));
      expect(a.body.notBefore).toBe('2026-03-13T08:04:24.000Z');
      expect(a.body.notAfter).toBe('2027-03-13T08:04:24.000Z');
      expect(a.body).not.toHaveProperty('nextIdRenewal');
      expect(a.body).toMatchObject({
        status: 'REGISTERED',
        virtualAccount: 'DEFAULT',
        exportControlled: true,
        smartAccount: { domain: 'example.com' },
      });
    });

    it('refuses unknown, expired, revoked and used-up tokens with their codes', async () => {
      expect((await new Device().register('NO-SUCH-TOKEN-AT-ALL')).body.error.code).toBe('TOKEN_UNKNOWN');
      for (let i = 0; i < 5; i++) expect((await new Device().register(EAST_TOKEN)).status).toBe(200);
      const sixth = await new Device().register(EAST_TOKEN);
      expect([sixth.status, sixth.body.error.code]).toEqual([409, 'TOKEN_USES_EXHAUSTED']);
      const ops = new CloudOperations(app.context.service);
      const va = { account: 'example.com', virtualAccount: 'DEFAULT' };
      const revoked = (await ops.createToken(va, { expiresAfterDays: 1 })).id;
      await ops.revokeToken(va, revoked);
      const token = { revoked, short: (await ops.createToken(va, { expiresAfterDays: 1 })).id };
      expect((await new Device().register(token.revoked)).body.error.code).toBe('TOKEN_REVOKED');
      await clock.advance(DAY);
      const expired = await new Device().register(token.short);
      expect([expired.status, expired.body.error.code]).toEqual([410, 'TOKEN_EXPIRED']);
    });

    it('refuses a UDI registered in another VA unless forced, then moves it', async () => {
      const d = new Device();
      expect((await d.register(DEFAULT_TOKEN)).status).toBe(200);
      const again = new Device();
      again.udi = d.udi;
      // The seeded east token is used up by the previous test.
      const eastToken = await newToken('east');
      const elsewhere = await again.register(eastToken);
      expect([elsewhere.status, elsewhere.body.error.code]).toEqual([409, 'UDI_REGISTERED_ELSEWHERE']);
      const forced = await again.register(eastToken, { force: true });
      expect(forced.body.virtualAccount).toBe('east');
      expect((await d.authorize([])).body.error.code).toBe('CERTIFICATE_UNKNOWN');
    });

    it('checks proof of possession, key types and the body shape', async () => {
      const d = new Device();
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const body = d.fields({ idToken: DEFAULT_TOKEN, hostname: 'x', publicKey: d.spki() });
      expect((await d.send('register', body, other.privateKey)).body.error.code).toBe('PROOF_OF_POSSESSION_FAILED');
      const unsigned = await call('POST', devicePaths.register, JSON.stringify(body));
      expect(unsigned.body.error.code).toBe('SIGNATURE_MISSING');
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const weakBody = d.fields({ idToken: DEFAULT_TOKEN, hostname: 'x', publicKey: d.spki(weak.publicKey) });
      expect((await d.send('register', weakBody, weak.privateKey)).body.error.code).toBe('KEY_INVALID');
      expect((await call('POST', devicePaths.register, '{"udi":')).body.error.code).toBe('MALFORMED_JSON');
      const wrongType = await call('POST', devicePaths.register, JSON.stringify({ ...body, timestamp: 'soon' }));
      expect(wrongType.body.error).toMatchObject({ code: 'SCHEMA_VIOLATION' });
      expect(wrongType.body.error.message).toContain('/timestamp');
      expect((await call('POST', devicePaths.register, '{}', { 'content-type': 'text/html' })).status).toBe(415);
      expect((await call('POST', devicePaths.register, Buffer.alloc(1024 * 1024 + 1, 32))).body.error.code).toBe(
        'BODY_TOO_LARGE',
      );
    });
  });

  describe('authorization and the signed device requests', () => {
    it('authorizes when the VA has licenses, and answers 90-day validity and a 30-day renewal', async () => {
      const d = new Device();
      await d.register();
      const a = await d.authorize([
        { tag: NW_E, count: 1 },
        { tag: DNA_E, count: 1 },
      ]);
      expect(a.status).toBe(200);
      expect(a.body.status).toBe('AUTHORIZED');
      expect(a.body.entitlements.map((e: { status: string }) => e.status)).toEqual(['AUTHORIZED', 'AUTHORIZED']);
      expect(Date.parse(a.body.validUntil) - clock.now()).toBe(90 * DAY - 5 * MINUTE);
      expect(a.body).not.toHaveProperty('nextRenewal');
    });

    it('answers OUT_OF_COMPLIANCE with a 12-hour renewal when the pool is short, and INVALID_TAG for unknown tags', async () => {
      const d = new Device();
      await d.register();
      const a = await d.authorize([
        { tag: NW_E, count: 50 },
        { tag: 'regid.2099-01.com.cisco.NOPE,1.0_x', count: 1 },
      ]);
      expect(a.body.status).toBe('OUT_OF_COMPLIANCE');
      expect(a.body.entitlements.map((e: { status: string }) => e.status)).toEqual([
        'OUT_OF_COMPLIANCE',
        'INVALID_TAG',
      ]);
      expect(a.body).not.toHaveProperty('nextRenewal');
      const usage = await d.send('reportUsage', d.fields({ entitlements: [{ tag: NW_E, count: 1 }] }));
      expect(usage.body.status).toBe('ACK');
      expect((await d.authorize([{ tag: NW_E, count: 1 }])).body.status).toBe('AUTHORIZED');
    });

    it('lets a device act only as itself', async () => {
      const d = new Device();
      const e = new Device();
      await d.register();
      await e.register();
      expect((await d.send('authorize', d.fields({ entitlements: [] }), e.key.privateKey)).body.error.code).toBe(
        'SIGNATURE_INVALID',
      );
      const asOther = await d.send('authorize', { ...d.fields({ entitlements: [] }), udi: e.udi });
      expect([asOther.status, asOther.body.error.code]).toEqual([403, 'IDENTITY_MISMATCH']);
      expect(
        (await d.send('authorize', d.fields({ entitlements: [] }), d.key.privateKey, 'deadbeef')).body.error.code,
      ).toBe('CERTIFICATE_UNKNOWN');
      expect(
        (await d.send('authorize', d.fields({ entitlements: [], timestamp: clock.now() - 2 * DAY }))).body.error.code,
      ).toBe('CLOCK_SKEW');
      const noSig = await call('POST', devicePaths.authorize, JSON.stringify(d.fields({ entitlements: [] })));
      expect(noSig.body.error.code).toBe('SIGNATURE_MISSING');
    });

    it('renews the ID certificate (old serial stops working) and refuses expired certificates', async () => {
      const d = new Device();
      await d.register();
      const old = d.serial;
      const renewed = await d.send('renewId', d.fields());
      expect(renewed.status).toBe(200);
      expect(renewed.body.certificateSerial).not.toBe(old);
      expect((await d.authorize([])).body.error.code).toBe('CERTIFICATE_UNKNOWN');
      d.serial = renewed.body.certificateSerial;
      expect((await d.authorize([])).status).toBe(200);
      await clock.advance(366 * DAY);
      expect((await d.authorize([])).body.error.code).toBe('CERTIFICATE_EXPIRED');
      DEFAULT_TOKEN = await newToken('DEFAULT', 365);
    });

    it('deregisters: licenses released, the certificate no longer accepted', async () => {
      const d = new Device();
      await d.register();
      await d.authorize([{ tag: NW_E, count: 1 }]);
      const a = await d.send('deregister', d.fields());
      expect(a.body).toEqual({ status: 'DEREGISTERED', releasedEntitlements: 1 });
      expect((await d.authorize([])).body.error.code).toBe('CERTIFICATE_UNKNOWN');
    });
  });

  describe('lab control', () => {
    it('health, CA, clock read and stepped set', async () => {
      expect((await call('GET', '/lab/health')).body).toMatchObject({ status: 'UP', store: kind });
      expect((await call('GET', '/lab/ca')).body.certificate).toContain('BEGIN CERTIFICATE');
      const before = (await call('GET', '/lab/clock')).body.now as number;
      expect((await call('POST', '/lab/clock', JSON.stringify({ advanceMs: DAY }))).body.now).toBe(before + DAY);
      const to = new Date(before + 2 * DAY).toISOString();
      expect((await call('POST', '/lab/clock', JSON.stringify({ to }))).body.iso).toBe(to);
      expect((await call('POST', '/lab/clock', JSON.stringify({ to: '2001-01-01T00:00:00Z' }))).body.error.code).toBe(
        'INVALID_VALUE',
      );
      expect((await call('POST', '/lab/clock', JSON.stringify({}))).body.error.code).toBe('INVALID_VALUE');
      expect((await call('POST', '/lab/clock', JSON.stringify({ to: 'tomorrow' }))).body.error.code).toBe(
        'INVALID_VALUE',
      );
    });

    it('fault rules answer a status, delay in lab time, drop, expire after `times`, and can be removed', async () => {
      const rule = await call(
        'POST',
        '/lab/faults',
        JSON.stringify({ path: '/licservice/license/*', status: 503, times: 1 }),
      );
      expect(rule.status).toBe(200);
      const d = new Device();
      const faulted = await d.register();
      expect([faulted.status, faulted.body.error.code]).toEqual([503, 'FAULT_INJECTED']);
      expect((await d.register()).status).toBe(200);
      await call('POST', '/lab/faults', JSON.stringify({ path: devicePaths.authorize, drop: true }));
      await expect(fetch(server.url + devicePaths.authorize, { method: 'POST', body: '{}' })).rejects.toThrow();
      expect((await call('DELETE', '/lab/faults')).body.faults).toEqual([]);
      const slow = await call('POST', '/lab/faults', JSON.stringify({ path: devicePaths.authorize, delayMs: MINUTE }));
      let answered = false;
      const pending = d.authorize([]).then((a) => ((answered = true), a));
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(false);
      await clock.advance(MINUTE);
      expect((await pending).status).toBe(200);
      expect((await call('DELETE', `/lab/faults/${slow.body.id}`)).body.faults).toEqual([]);
      expect((await call('DELETE', '/lab/faults/nope')).status).toBe(404);
      expect((await call('POST', '/lab/faults', JSON.stringify({ path: '/x' }))).body.error.code).toBe('INVALID_VALUE');
    });

    it('seeds YAML in one transaction, refuses bad seeds whole, lists events, resets', async () => {
      const ok = await call('POST', '/lab/seed', 'accounts:\n  - {name: Two, domain: two.example.com}\n', {
        'content-type': 'application/yaml',
      });
      expect(ok.body.created).toMatchObject({ accounts: 1 });
      const bad = await call(
        'POST',
        '/lab/seed',
        'accounts:\n  - {name: Three, domain: three.example.com, virtualAccounts: [{name: X, licenses: [{sku: NOPE, quantity: 1}]}]}\n',
        { 'content-type': 'application/yaml' },
      );
      expect(bad.body.error.code).toBe('SKU_UNKNOWN');
      const garbage = await call('POST', '/lab/seed', 'accounts: [\n', { 'content-type': 'application/yaml' });
      expect(garbage.body.error).toMatchObject({ code: 'SEED_INVALID' });
      expect(garbage.body.error.message).toMatch(/line \d+/);
      const events = await call('GET', '/lab/events?limit=1000');
      expect(events.body.events.some((e: { message: string }) => e.message.includes('three.example.com'))).toBe(false);
      expect(events.body.events.some((e: { kind: string }) => e.kind === 'instance.registered')).toBe(true);
      expect((await call('GET', '/lab/events?limit=abc')).body.error.code).toBe('SCHEMA_VIOLATION');
      expect((await call('POST', '/lab/reset')).body.error.code).toBe('MALFORMED_JSON');
      expect((await call('POST', '/lab/reset', '{"confirm": false}')).body.error.code).toBe('SCHEMA_VIOLATION');
      expect((await call('GET', '/lab/events?limit=1')).body.events).toHaveLength(1);
      expect((await call('POST', '/lab/reset', '{"confirm": true}')).body.status).toBe('RESET');
      expect((await call('GET', '/lab/events')).body.events).toEqual([]);
    });

    it('documents exactly the routes it serves, and answers unknown paths and methods from the catalogue', async () => {
      const doc = (await call('GET', '/openapi.json')).body;
      const documented = Object.entries(doc.paths as Record<string, object>)
        .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
        .sort();
      const served = app.routes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`).sort();
      expect(documented).toEqual(served);
      const keyed = Object.entries(doc.paths as Record<string, Record<string, { security?: object[] }>>)
        .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op.security] as const))
        .filter(([, security]) => JSON.stringify(security ?? []).includes('labKey'))
        .map(([name]) => name);
      expect(keyed.length).toBe(app.routes.filter((r) => r.path.startsWith('/lab/')).length - 2);
      expect(keyed).not.toContain('GET /lab/health');
      expect(keyed).not.toContain('GET /lab/ca');
      expect((await call('GET', '/no/such/route')).body.error.code).toBe('ROUTE_NOT_FOUND');
      expect((await call('DELETE', '/lab/health')).body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect((await call('GET', '//lab//health')).status).toBe(200);
    });
  });
});
