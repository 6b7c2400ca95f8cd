/**
 * The integration run: 100 devices register with the real cloud (in process, SQLite, real
 * signatures), then live 400 virtual days with a 120-day cloud outage in the middle. At each step the
 * status lines, the messages and the cloud's records must agree with what real devices and CSSM show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '#devices';
import { udiString, MINUTE, HOUR, DAY } from '#protocol';
import { EAST_TOKEN, openDeviceLab } from './support/device-lab.ts';
import type { LocalLab } from '#lab';

const N = 100;
const NW_A = 'regid.2017-05.com.cisco.advantagek9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d01';

let lab: LocalLab;
let devices: VirtualDevice[];
let t0: number;

const count = (d: VirtualDevice, m: string): number => d.events().filter((e) => e.syslog.mnemonic === m).length;
const every = (f: (d: VirtualDevice) => unknown) => new Set(devices.map(f));
const day = (n: number) => t0 + n * DAY;

async function cloudInstances() {
  return lab.cloud.instances();
}
async function inUse(tag: string): Promise<number> {
  const instances = await cloudInstances();
  return instances.reduce((n, i) => n + (i.entitlements[tag] ?? 0), 0);
}

beforeAll(async () => {
  lab = await openDeviceLab();
  t0 = lab.clock.now();
  devices = Array.from({ length: N }, (_, i) =>
    lab.device({ pid: i % 2 ? 'C9300-48P' : 'C9300-24P', hostname: `sw${i}` }),
  );
});
afterAll(() => lab.close());

describe(`${N} devices, 400 days, a 120-day outage from day 100 to day 220`, () => {
  it('day 0: all register and are authorized; the cloud holds one product instance each', async () => {
    for (const d of devices)
      expect(d.exec(`license smart register idtoken ${EAST_TOKEN}`)).toContain('Registration process is in progress');
    await lab.clock.advance(MINUTE);
    expect(every((d) => d.smart().registration.status)).toEqual(new Set(['registered']));
    expect(every((d) => d.smart().authorization.status)).toEqual(new Set(['authorized']));
    const instances = await cloudInstances();
    expect(instances).toHaveLength(N);
    expect(new Set(instances.map((i) => i.hostname))).toEqual(new Set(devices.map((d) => d.hostname)));
    expect(await inUse(NW_A)).toBe(N);
    const status = devices[7]!.exec('show license status');
    expect(status).toContain('  Status: REGISTERED\n  Smart Account: Lab Corp\n  Virtual Account: east\n');
    expect(status).toContain('  Next Communication Attempt: Apr 12 08:09:24 2026 UTC\n');
  });

  it('days 0–100: renewals every 30 days, nothing else', async () => {
    await lab.clock.advanceTo(day(100));
    expect(every((d) => count(d, 'AUTH_RENEW_SUCCESS'))).toEqual(new Set([4]));
    expect(every((d) => count(d, 'COMM_FAILED'))).toEqual(new Set([0]));
    expect(every((d) => d.smart().authorization.nextCommunicationAttempt)).toEqual(new Set([day(120)]));
  });

  it('outage: renewal fails at day 120, status stays AUTHORIZED until the 90-day deadline', async () => {
    await lab.cloud.faults.add({ path: '/licservice/license/*', status: 503 });
    await lab.clock.advanceTo(day(121));
    for (const d of devices) {
      expect(d.smart().authorization).toMatchObject({ status: 'authorized', lastCommunicationAttempt: { ok: false } });
      expect(count(d, 'AUTH_RENEW_FAILED')).toBeGreaterThanOrEqual(5);
      expect(count(d, 'COMM_FAILED')).toBe(count(d, 'AUTH_RENEW_FAILED'));
    }
    const status = devices[0]!.exec('show license status');
    expect(status).toMatch(
      / {2}Last Communication Attempt: FAILED on Jul 1\d \d{2}:\d{2}:\d{2} 2026 UTC\n {4}Failure reason: Fail to send out Call Home HTTP message\.\n/,
    );
    // The day-90 authorization, valid 90 days, backdated 5 minutes like the captures.
    expect(status).toContain('  Communication Deadline: Sep 09 08:04:24 2026 UTC\n');
  });

  it('day 180: AUTHORIZATION EXPIRED (features keep running) and the ID renewal fails too', async () => {
    await lab.clock.advanceTo(day(179) + 23 * HOUR);
    expect(every((d) => d.smart().authorization.status)).toEqual(new Set(['authorized']));
    await lab.clock.advanceTo(day(181));
    expect(every((d) => d.smart().authorization.status)).toEqual(new Set(['authorizationExpired']));
    expect(every((d) => count(d, 'AUTHORIZATION_EXPIRED'))).toEqual(new Set([1]));
    expect(every((d) => d.smart().registration.status)).toEqual(new Set(['registered']));
    expect(every((d) => count(d, 'ID_CERT_RENEW_FAILED') > 0)).toEqual(new Set([true]));
    expect(devices[3]!.exec('show license summary')).toContain(' AUTHORIZATION EXPIRED');
    // The cloud saw nothing: its records still hold the day-90 authorization.
    expect(await inUse(NW_A)).toBe(N);
  });

  it('day 220: the cloud is back; within a day every device is authorized again with a renewed ID certificate', async () => {
    await lab.clock.advanceTo(day(220));
    const serials = new Set((await cloudInstances()).map((i) => i.certSerial));
    await lab.cloud.faults.clear();
    await lab.clock.advanceTo(day(221) + MINUTE);
    expect(every((d) => d.smart().authorization.status)).toEqual(new Set(['authorized']));
    expect(every((d) => count(d, 'COMM_RESTORED') >= 1)).toEqual(new Set([true]));
    expect(every((d) => count(d, 'IN_COMPLIANCE'))).toEqual(new Set([2]));
    expect(every((d) => count(d, 'ID_CERT_RENEW_SUCCESS'))).toEqual(new Set([1]));
    const after = await cloudInstances();
    expect(after).toHaveLength(N);
    for (const i of after) expect(serials.has(i.certSerial)).toBe(false);
    // Failed retries during the outage back off to once a day: about 100 per device over 120 days.
    for (const d of devices) expect(count(d, 'AUTH_RENEW_FAILED')).toBeLessThan(120);
  });

  it('day 400: still registered and authorized; the cloud agrees', async () => {
    await lab.clock.advanceTo(day(400));
    for (const d of devices) {
      const s = d.smart();
      expect(s.registration.status).toBe('registered');
      expect(s.authorization.status).toBe('authorized');
      expect(s.registration.registrationExpires!).toBeGreaterThan(day(400));
      const instance = (await lab.cloud.instance(udiString(d.udi)))!;
      expect(instance.lastContactAt).toBe(s.authorization.lastCommunicationAttempt!.at);
    }
    expect(await inUse(NW_A)).toBe(N);
    expect(devices[42]!.exec('show license status')).toMatch(
      / {2}Status: AUTHORIZED on \w{3} \d{2} \d{2}:\d{2}:\d{2} 2027 UTC\n/,
    );
  });
});
