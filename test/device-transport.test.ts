/**
 * The device's cloud client against the real cloud (createCloudApp on SQLite, stepped lab clock), in
 * process and over HTTP / HTTPS: the whole life cycle, refusals, lab faults, and the same request bytes
 * giving the same answer bytes whichever way they travel.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySeed, CloudService, createCloudApp, parseSeed, serve, type CloudApp, type RunningServer } from '#cloud';
import { buildDeviceRequest, headers as h, newNonce, verifyBytes, type Udi, MINUTE, DAY } from '#protocol';
import { LabClock } from '#lab';
import { TEST_LAB_KEY } from './support/lab-key.ts';
import { openTestStore, type TestStore } from './support/test-stores.ts';
import {
  createHttpTransport,
  createInProcessTransport,
  SmartCloudClient,
  type CloudTransport,
  type DeviceIdentity,
  type TransportType,
} from '#devices';

const TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';
const START = Date.parse('2026-03-13T08:09:24Z');

let db: TestStore;
let clock: LabClock;
let app: CloudApp;
let plain: RunningServer;
let secure: RunningServer;
let trustAnchorPem: string;
const transports: Record<string, CloudTransport> = {};
let sn = 0;

beforeAll(async () => {
  db = await openTestStore('sqlite');
  clock = LabClock.create({ mode: 'stepped', start: START });
  const service = await CloudService.open({ store: db.store, clock });
  await applySeed(service, parseSeed(readFileSync('scenarios/cloud-seed.example.yaml', 'utf8')));
  app = createCloudApp({ service, clock, clockControl: clock, labKey: TEST_LAB_KEY, log: () => {} });
  trustAnchorPem = service.ca.certPem;
  plain = await serve(app);
  const tls = service.ca.issueServerCertificate({ hostnames: ['localhost'], ips: ['127.0.0.1'], now: clock.now() });
  secure = await serve(app, { tls: { key: tls.keyPem, cert: tls.certPem } });
  transports['in-process'] = createInProcessTransport((r) => app.handle(r));
  transports['http keep-alive'] = createHttpTransport({ url: plain.url });
  transports['https per transaction'] = createHttpTransport({
    url: secure.url,
    caPem: trustAnchorPem,
    connectionPerTransaction: true,
  });
});

afterAll(async () => {
  await Promise.all(Object.values(transports).map((t) => t.close()));
  await plain?.close();
  await secure?.close();
  await db?.cleanup();
});

function newDevice(via: string, transportType: TransportType = 'Callhome') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const udi: Udi = { pid: 'C9300-24T', sn: `FOC${String(++sn).padStart(4, '0')}T${via.length}X` };
  const client = new SmartCloudClient({
    transport: transports[via]!,
    trustAnchorPem,
    now: () => clock.now(),
    transportType,
  });
  const register = (idToken = TOKEN, force?: boolean) =>
    client.register({
      udi,
      idToken,
      hostname: `sw${sn}`,
      key: privateKey,
      publicKeySpkiB64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      ...(force === undefined ? {} : { force }),
    });
  return { client, udi, key: privateKey, register };
}

describe.each(['in-process', 'http keep-alive', 'https per transaction'])('over %s', (via) => {
  it('registers, authorizes, reports usage, renews the ID certificate and deregisters', async () => {
    const d = newDevice(via);
    const reg = await d.register();
    expect(reg).toMatchObject({
      ok: true,
      body: { status: 'REGISTERED', udi: d.udi, virtualAccount: 'DEFAULT', smartAccount: { domain: 'example.com' } },
    });
    if (!reg.ok) return;
    const id: DeviceIdentity = { udi: d.udi, key: d.key, certificateSerial: reg.body.certificateSerial };

    const auth = await d.client.authorize(id, [{ tag: NW_E, count: 1 }]);
    expect(auth).toMatchObject({
      ok: true,
      body: { status: 'AUTHORIZED', entitlements: [{ tag: NW_E, status: 'AUTHORIZED' }] },
    });
    expect(await d.client.reportUsage(id, [{ tag: NW_E, count: 1 }])).toMatchObject({
      ok: true,
      body: { status: 'ACK' },
    });

    const renewed = await d.client.renewId(id);
    expect(renewed).toMatchObject({ ok: true, body: { status: 'RENEWED' } });
    if (!renewed.ok) return;
    expect(renewed.body.certificateSerial).not.toBe(id.certificateSerial);
    expect(await d.client.authorize(id, [])).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'CERTIFICATE_UNKNOWN',
      status: 401,
    });
    const current = { ...id, certificateSerial: renewed.body.certificateSerial };

    expect(await d.client.deregister(current)).toMatchObject({
      ok: true,
      body: { status: 'DEREGISTERED', releasedEntitlements: 1 },
    });
    expect(await d.client.authorize(current, [])).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'CERTIFICATE_UNKNOWN',
      reason: 'The product instance is not registered with Cisco Smart Software Manager.',
    });
  });

  it('hears token refusals with the cloud message and the IOS reason', async () => {
    const res = await newDevice(via).register('NO-SUCH-TOKEN-AT-ALL');
    expect(res).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'TOKEN_UNKNOWN',
      status: 404,
      reason: 'The ID token is not valid.',
    });
    expect(res.ok === false && res.kind === 'refused' && res.message).toContain('NO-SUCH-TOKEN-AT');
  });

  it('a lab fault status or drop is a communication failure, never a refusal', async () => {
    const d = newDevice(via);
    const rule = app.context.faults.add({ path: '/licservice/license/*', status: 404, times: 1 });
    expect(await d.register()).toEqual({ ok: false, kind: 'comm', reason: 'Fail to send out Call Home HTTP message.' });
    app.context.faults.add({ path: '/licservice/license/registration', drop: true, times: 1 });
    expect(await d.register()).toEqual({ ok: false, kind: 'comm', reason: 'Fail to send out Call Home HTTP message.' });
    expect(app.context.faults.list().some((r) => r.id === rule.id)).toBe(false);
    expect((await d.register()).ok).toBe(true);
  });
});

describe('in-process in lab time', () => {
  it('a delayed answer arrives only when the lab clock reaches it', async () => {
    const d = newDevice('in-process', 'Smart');
    app.context.faults.add({ path: '/licservice/license/registration', delayMs: MINUTE, times: 1 });
    let settled = false;
    const pending = d.register().then((r) => ((settled = true), r));
    await clock.advance(59_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await pending).toMatchObject({ ok: true });
  });

  it('a dropped exchange reads as a reset with the Smart transport wording', async () => {
    app.context.faults.add({ path: '/licservice/license/registration', drop: true, times: 1 });
    expect(await newDevice('in-process', 'Smart').register()).toEqual({
      ok: false,
      kind: 'comm',
      reason: 'Communications failure',
    });
  });
});

describe('the same bytes either way', () => {
  it('identical request bytes get identical status and body over HTTP, HTTPS and in-process, each signed; a request counts once whichever way it came', async () => {
    const d = newDevice('in-process');
    const reg = await d.register();
    if (!reg.ok) throw new Error(`registration failed: ${JSON.stringify(reg)}`);
    const req = buildDeviceRequest(
      'authorize',
      { udi: d.udi, timestamp: clock.now(), nonce: newNonce(), entitlements: [{ tag: NW_E, count: 1 }] },
      d.key,
      reg.body.certificateSerial,
    );
    const refused = buildDeviceRequest(
      'authorize',
      { udi: d.udi, timestamp: clock.now() - 3 * DAY, nonce: newNonce(), entitlements: [] },
      d.key,
      reg.body.certificateSerial,
    );
    const caKey = app.context.service.ca.publicKey;
    const answersTo = async (r: typeof req) => {
      const answers = [];
      for (const t of Object.values(transports)) answers.push(await t.send(r));
      for (const a of answers) expect(a.ok && verifyBytes(a.body, a.headers[h.signature]!, caKey)).toBe(true);
      return answers.map((a) => (a.ok ? `${a.status} ${a.body.toString('utf8')}` : `failed: ${a.failure.detail}`));
    };
    // Accepted once (by the first transport); the same bytes again are a replay on every other.
    const [first, ...again] = await answersTo(req);
    expect(first).toMatch(/^200 .*"status":"AUTHORIZED"/);
    expect(again).toHaveLength(2);
    expect(new Set(again).size, again.join('\n')).toBe(1);
    expect(again[0]).toMatch(/^409 .*REQUEST_REPLAYED/);
    // Refused before its nonce counts (CLOCK_SKEW): the same refusal each way.
    const skewed = await answersTo(refused);
    expect(new Set(skewed).size, skewed.join('\n')).toBe(1);
    expect(skewed[0]).toMatch(/^401 .*CLOCK_SKEW/);
  });
});
