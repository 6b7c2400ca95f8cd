/**
 * A whole VirtualDevice over the real HTTP transport (node:http) with msw standing in for the cloud,
 * signing as the cloud-client fixtures' test CA (the device's trust anchor): every answer that is not a
 * believable one (5xx, 429, reset, timeout, malformed or empty body, missing, bad or foreign signature,
 * a schema-violating 200) is COMM_FAILED with the IOS reason; the device keeps its state, retries on its
 * cadence, and recovers when the cloud answers properly again. Lab time is stepped; each exchange is
 * tracked by the clock (trackExchanges) so it settles before the next timer fires.
 */
import { readFileSync } from 'node:fs';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDevice,
  createDeviceEnvironment,
  createHttpTransport,
  type DeviceEnvironment,
  type VirtualDevice,
} from '#devices';
import { devicePaths, signBytes, type DeviceOperation, MINUTE, DAY } from '#protocol';
import { LabClock } from '#lab';
import { caKey, caPem, otherCaKey, signed, T, udi, validBodies, type Answer } from './support/test-cloud.ts';

const CLOUD = 'http://cloud.test';
const CALL_HOME_SEND = 'Fail to send out Call Home HTTP message.';
const COMM_FAILED = '%SMART_LIC-3-COMM_FAILED: Communications failure with the Cisco Smart Software Manager (CSSM) : ';
/** The key `device-id.pem` certifies: the device presents it, so the fixture ID certificate is its own. */
const DEVICE_KEY_PEM = readFileSync(new URL('./fixtures/cloud-client/device.key', import.meta.url), 'utf8');

const server = setupServer();
const http1 = createHttpTransport({ url: CLOUD, timeoutMs: 200 });
let clock: LabClock;
let environment: DeviceEnvironment;
let devices: VirtualDevice[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(async () => {
  server.close();
  await http1.close();
});
beforeEach(() => {
  clock = LabClock.create({ mode: 'stepped', start: T });
  // Answers take real time: the stepped clock waits for each exchange before it fires the next timer.
  environment = createDeviceEnvironment({
    clock,
    cloud: { transport: http1, trustAnchorPem: caPem },
    trackExchanges: true,
  });
  healthy();
});
afterEach(() => {
  for (const d of devices) d.stop();
  devices = [];
  clock.dispose();
  server.resetHandlers();
});

const reply = (a: Answer) => new HttpResponse(new Uint8Array(a.body), { status: a.status, headers: a.headers });
const opOf = (url: string): DeviceOperation =>
  (Object.keys(devicePaths) as DeviceOperation[]).find((o) => devicePaths[o] === new URL(url).pathname)!;

/** The cloud answering every operation correctly (the fixture bodies, signed by the trust anchor). */
function healthy(): void {
  server.resetHandlers(
    http.post(`${CLOUD}/licservice/license/:op`, ({ request }) => reply(signed(200, validBodies[opOf(request.url)]))),
  );
}

function device(): VirtualDevice {
  const d = createDevice({
    pid: 'C9300-24T',
    sn: udi.sn,
    keyPem: DEVICE_KEY_PEM,
    environment,
  });
  devices.push(d);
  return d;
}

const count = (d: VirtualDevice, m: string): number => d.events().filter((e) => e.syslog.mnemonic === m).length;
/** The `<reason>` of each COMM_FAILED line, checking the line's IOS form on the way. */
const commFailures = (d: VirtualDevice): string[] =>
  d
    .events()
    .filter((e) => e.syslog.mnemonic === 'COMM_FAILED')
    .map((e) => e.line.slice(e.line.indexOf(COMM_FAILED) + COMM_FAILED.length));

type Fault = () => Response | Promise<Response>;
const body = validBodies.authorize;
const faults: [string, Fault, string][] = [
  [
    'HTTP 500 (signed error)',
    () => reply(signed(500, { error: { code: 'STORE_UNAVAILABLE', message: 'down' } })),
    CALL_HOME_SEND,
  ],
  [
    'HTTP 503 from a proxy (unsigned HTML)',
    () => new HttpResponse('<html>503</html>', { status: 503, headers: { 'content-type': 'text/html' } }),
    CALL_HOME_SEND,
  ],
  [
    'HTTP 429 (signed)',
    () => reply(signed(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } })),
    CALL_HOME_SEND,
  ],
  ['connection reset', () => HttpResponse.error(), CALL_HOME_SEND],
  [
    'no answer within the transport timeout',
    async () => (await delay('infinite'), reply(signed(200, body))),
    CALL_HOME_SEND,
  ],
  [
    'malformed JSON (signed)',
    () => reply(signed(200, '{"status":"AUTHORIZED",')),
    'Received invalid response from server',
  ],
  ['empty body', () => new HttpResponse(null, { status: 200 }), 'Received empty response from server'],
  ['a 200 without X-Lab-Signature', () => reply(signed(200, body, null)), 'Response from server is not signed'],
  [
    'a 200 with a garbage signature',
    () => reply({ ...signed(200, body), headers: { 'x-lab-signature': 'bm90IGEgc2lnbmF0dXJl' } }),
    'Response signature verification failed',
  ],
  ['a 200 signed by another CA', () => reply(signed(200, body, otherCaKey)), 'Response signature verification failed'],
  [
    'a schema-violating 200 (signed)',
    () => reply(signed(200, { ...body, validUntil: 'soon' })),
    'Received invalid response from server',
  ],
];

describe('authorization renewal against a faulty cloud', () => {
  it.each(faults)(
    '%s: COMM_FAILED, still AUTHORIZED, retries at +15 and +30 min, recovers',
    async (_what, fault, reason) => {
      const d = device();
      d.exec('license smart register idtoken LAB-TOKEN');
      await clock.advance(MINUTE);
      expect(d.smart()).toMatchObject({
        registration: { status: 'registered' },
        authorization: { status: 'authorized', nextCommunicationAttempt: T + 30 * DAY },
      });

      server.use(http.post(`${CLOUD}${devicePaths.authorize}`, fault));
      await clock.advanceTo(T + 30 * DAY);
      expect(commFailures(d)).toEqual([reason]);
      expect(d.events().find((e) => e.syslog.mnemonic === 'COMM_FAILED')!.line).toContain(`${COMM_FAILED}${reason}`);
      expect(d.smart().authorization).toMatchObject({
        status: 'authorized',
        lastCommunicationAttempt: { ok: false, at: T + 30 * DAY, reason },
        nextCommunicationAttempt: T + 30 * DAY + 15 * MINUTE,
      });
      expect(d.exec('show license status')).toContain(
        `  Status: AUTHORIZED on Mar 13 08:09:24 2026 UTC\n  Last Communication Attempt: FAILED on Apr 12 08:09:24 2026 UTC\n    Failure reason: ${reason}\n  Next Communication Attempt: Apr 12 08:24:24 2026 UTC\n`,
      );
      await clock.advance(15 * MINUTE);
      expect(commFailures(d)).toEqual([reason, reason]);
      expect(d.smart().authorization.nextCommunicationAttempt).toBe(T + 30 * DAY + 45 * MINUTE);

      healthy();
      await clock.advance(30 * MINUTE);
      expect(count(d, 'COMM_RESTORED')).toBe(1);
      expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(2);
      expect(d.smart().authorization).toMatchObject({
        status: 'authorized',
        lastCommunicationAttempt: { ok: true, at: T + 30 * DAY + 45 * MINUTE },
      });
    },
  );
});

describe('a cloud that stays faulty', () => {
  it('keeps the device AUTHORIZED until the communication deadline, then AUTHORIZATION EXPIRED, still registered', async () => {
    const d = device();
    d.exec('license smart register idtoken LAB-TOKEN');
    await clock.advance(MINUTE);
    const deadline = d.smart().authorization.communicationDeadline!;
    expect(deadline).toBe(T + 90 * DAY);
    server.use(http.post(`${CLOUD}${devicePaths.authorize}`, () => HttpResponse.error()));
    await clock.advanceTo(deadline - 1);
    expect(d.smart()).toMatchObject({
      registration: { status: 'registered' },
      authorization: { status: 'authorized', lastCommunicationAttempt: { ok: false, reason: CALL_HOME_SEND } },
    });
    // Retries 15 min doubling (15 … 960 min: attempts at +0, 15, 45, 105, 225, 465, 945, 1905 min), then daily:
    // 8 + floor((60 d - 1905 min) / 1 d) = 66 attempts in the 60 days to the deadline, one COMM_FAILED each.
    expect(count(d, 'COMM_FAILED')).toBe(66);
    await clock.advance(1);
    expect(d.smart()).toMatchObject({
      registration: { status: 'registered' },
      authorization: { status: 'authorizationExpired' },
    });
    expect(count(d, 'AUTHORIZATION_EXPIRED')).toBe(1);
  });
});

describe('registration against a faulty cloud', () => {
  it.each(faults.filter(([what]) => /signature|another CA|reset/.test(what)))(
    '%s: never registered by it, retried every 15 minutes',
    async (_what, fault, reason) => {
      server.use(http.post(`${CLOUD}${devicePaths.register}`, fault));
      const d = device();
      d.exec('license smart register idtoken LAB-TOKEN');
      await clock.advance(MINUTE);
      expect(d.smart().registration).toMatchObject({
        status: 'retrying',
        initialRegistration: { ok: false, at: T, reason },
        nextRegistrationAttempt: T + 15 * MINUTE,
      });
      expect(d.smart().authorization.status).toBe('eval');
      await clock.advanceTo(T + 15 * MINUTE);
      expect(count(d, 'AGENT_REG_FAILED')).toBe(2);
      healthy();
      await clock.advance(15 * MINUTE);
      expect(d.smart().registration).toMatchObject({ status: 'registered', virtualAccount: 'DEFAULT' });
      expect(count(d, 'COMM_RESTORED')).toBe(1);
    },
  );

  it('an ID certificate from another CA in a correctly signed answer is refused too', async () => {
    const idOther = readFileSync(new URL('./fixtures/cloud-client/device-id-other-ca.pem', import.meta.url), 'utf8');
    server.use(
      http.post(`${CLOUD}${devicePaths.register}`, () =>
        reply(signed(200, { ...validBodies.register, idCertificate: idOther })),
      ),
    );
    const d = device();
    d.exec('license smart register idtoken LAB-TOKEN');
    await clock.advance(MINUTE);
    expect(d.smart().registration.status).toBe('retrying');
    expect(commFailures(d)).toEqual(['Response signature verification failed']);
  });
});

describe('signatures', () => {
  it('a trust-anchor signature over other bytes does not verify: the answer is not believed', async () => {
    const other = Buffer.from(JSON.stringify({ ...body, status: 'OUT_OF_COMPLIANCE' }));
    const d = device();
    d.exec('license smart register idtoken LAB-TOKEN');
    await clock.advance(MINUTE);
    server.use(
      http.post(`${CLOUD}${devicePaths.authorize}`, () =>
        reply({ ...signed(200, body), headers: { 'x-lab-signature': signBytes(other, caKey) } }),
      ),
    );
    d.exec('license smart renew auth');
    await clock.advance(MINUTE);
    expect(commFailures(d)).toEqual(['Response signature verification failed']);
    expect(d.smart().authorization.status).toBe('authorized');
  });
});
