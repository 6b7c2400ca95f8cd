/**
 * The storm: 1,000 devices register in the same virtual second and cross their 30-day renewal in
 * the same virtual second, every line on real UDP to the lab's collector through one sender with a wire
 * budget. Every line a device logged past its trap level is received, or counted where it was refused
 * (the device's pacing, the sender's full queue, a failed send): nothing goes missing uncounted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyslogSender, type VirtualDevice } from '#devices';
import { DAY, MINUTE } from '#protocol';
import { createLab, hostPace, SyslogCollector, syslogWire, type LocalLab } from '#lab';
import { LAB_DOMAIN, LAB_START } from './support/device-lab.ts';

const N = 1_000;
const TOKEN = 'LAB-STORM-TOKEN%0AexportAllowed%3D';
const SEED = `
accounts:
  - name: Lab Corp
    domain: ${LAB_DOMAIN}
    virtualAccounts:
      - name: storm
        licenses: [{ sku: C9300-NW-A-24, quantity: ${N} }, { sku: C9300-DNA-A-24-3Y, quantity: ${N} }]
        tokens: [{ value: "${TOKEN}", expiresAfterDays: 365, exportControlled: true }]
`;

let collector: SyslogCollector;
let sender: SyslogSender;
let lab: LocalLab;
let devices: VirtualDevice[];

beforeAll(async () => {
  collector = await SyslogCollector.listen({ now: () => lab.clock.now(), keep: 100_000 });
  // A budget small enough that the storm has to wait for it (about half a second of host time).
  sender = new SyslogSender({ pace: hostPace(10_000) });
  const host = { address: '127.0.0.1', port: collector.udpPort, transport: 'udp' as const };
  lab = await createLab({
    clock: { mode: 'stepped', start: LAB_START },
    cloud: { seed: SEED },
    syslog: syslogWire(sender, [host]),
  });
  devices = Array.from({ length: N }, (_, i) => lab.device({ pid: 'C9300-24P', hostname: `sw-${i}` }));
}, 120_000);
afterAll(async () => {
  await lab.close();
  await sender.close();
  await collector.close();
});

const total = (f: (d: VirtualDevice) => number) => devices.reduce((n, d) => n + f(d), 0);

describe(`a storm of ${N} devices on the wire`, () => {
  it('delivers every line of a registration and a renewal in the same virtual second, or counts it', async () => {
    for (const d of devices) d.exec(`license smart register idtoken ${TOKEN}`);
    await lab.clock.advance(MINUTE);
    await lab.clock.advanceTo(LAB_START + 31 * DAY);
    await sender.close();
    const logged = total((d) => d.view().logging.output.trapLogged);
    const paced = total((d) => d.view().logging.output.rateLimited);
    const sent = sender.counts();
    for (let i = 0; i < 500 && collector.counts().received < sent.sent; i++)
      await new Promise((r) => setTimeout(r, 10));
    const received = collector.counts();
    expect(logged).toBeGreaterThan(5 * N);
    expect(logged).toBe(sent.sent + sent.dropped + sent.failed + paced);
    expect(received.received).toBe(sent.sent);
    expect(received.lost).toBe(paced);
    expect(Object.keys(received.devices)).toHaveLength(N);
    // Authorization at registration and its renewal 30 days later: one AUTH_RENEW_SUCCESS per device
    // each time, all of a time stamped with the same virtual second.
    const renewals = collector.messages({ mnemonic: 'AUTH_RENEW_SUCCESS' });
    const second = (raw: string) => /: \*?(\w{3} [ \d]\d \d\d:\d\d:\d\d)\.\d{3}: %/.exec(raw)?.[1];
    const bySecond = Map.groupBy(renewals, (m) => second(m.raw));
    expect([...bySecond.keys()]).toEqual(['Mar 13 08:09:24', 'Apr 12 08:09:24']);
    for (const messages of bySecond.values()) expect(new Set(messages.map((m) => m.device)).size).toBe(N);
  }, 120_000);
});
