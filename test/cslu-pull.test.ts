/**
 * CSLU pull mode (smart-licensing.md §9.6, §10.4), against the real cloud mock in virtual time and over
 * real HTTP: a 17.x C9300, ISR 4451 and ASR 1001-X with the transport off (they never call out) and their
 * HTTP server open to a privilege-15 user; the lab CSLU pulls their RUM reports over the on-box REST API,
 * relays them to CSSM as it relays pushed ones, and imports each ACK back into the device. A device with
 * the wrong login and one nobody answers for are recorded against, and the others still report.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '#devices';
import { createLab, type LabOptions, type LocalLab } from '#lab';
import { DAY, HOUR } from '#protocol';

const SEED = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const CSLU = { account: 'example.com', clientId: 'lab-example-admin', clientSecret: 'lab-example-admin-secret' };
const MODELS = [
  { pid: 'C9300-24P', release: '17.9.4' },
  { pid: 'ISR4451-X/K9', release: '17.12.4', bootLevel: 'appxk9' },
  { pid: 'ASR1001-X', release: '17.9.4a' },
];
const LOGIN = { user: 'cslu', password: 'Pull-Me-1' };

const labs: LocalLab[] = [];
afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.close();
});

async function pullLab(pull: NonNullable<LabOptions['cslu']>['pull'] = {}) {
  const lab = await createLab({
    cloud: { seed: SEED, seedSource: 'cloud-seed.example.yaml' },
    cslu: { ...CSLU, pull },
  });
  labs.push(lab);
  return lab;
}

function configure(d: VirtualDevice, ...lines: string[]): void {
  for (const line of ['configure terminal', ...lines, 'end']) expect(d.exec(line), line).not.toMatch(/^%/m);
}

/** What Cisco's CSLU pull-mode setup asks of the device: transport off, HTTP server, a privilege-15 user. */
function pullReady(d: VirtualDevice): VirtualDevice {
  configure(
    d,
    'license smart transport off',
    'ip http server',
    'ip http authentication local',
    `username ${LOGIN.user} privilege 15 secret ${LOGIN.password}`,
  );
  return d;
}

const acked = (lab: LocalLab, d: VirtualDevice) => lab.events({ device: d, mnemonic: 'RUM_ACK_RECEIVED' }).length;

describe('CSLU pull mode', () => {
  it('pulls a C9300, an ISR 4451 and an ASR 1001-X on its daily schedule; records a bad login and a dead host', async () => {
    const lab = await pullLab();
    const devices = MODELS.map((m) => pullReady(lab.device(m)));
    const wrongLogin = pullReady(lab.device({ pid: 'C9300-24P', release: '17.9.4' }));
    const pull = lab.cslu!.pull!;
    for (const d of devices) expect(pull.add({ host: d.address, ...LOGIN }).ok).toBe(true);
    expect(pull.add({ host: wrongLogin.hostname, user: 'cslu', password: 'wrong' }).ok).toBe(true);
    expect(pull.add({ host: '10.255.255.1', ...LOGIN }).ok).toBe(true);

    await lab.clock.advance(DAY - HOUR);
    expect(devices.map((d) => acked(lab, d))).toEqual([0, 0, 0]);
    await lab.clock.advance(2 * HOUR);
    for (const d of devices) {
      expect(acked(lab, d), d.udi.pid).toBe(1);
      const status = d.exec('show license status');
      expect(status, d.udi.pid).toContain('Transport:\n  Type: Transport Off\n');
      expect(status, d.udi.pid).toMatch(/ {2}Last ACK received: \w{3} \d\d \d\d:\d\d:\d\d 2026 UTC\n/);
      expect(d.slp()!.account, d.udi.pid).toMatchObject({ virtualAccount: 'DEFAULT' });
      expect(await lab.cloud.instance(`PID:${d.udi.pid},SN:${d.udi.sn}`), d.udi.pid).toBeDefined();
    }
    const byHost = new Map(pull.list().map((t) => [t.host, t]));
    for (const d of devices)
      expect(byHost.get(d.address), d.udi.pid).toMatchObject({
        sudi: { udi_pid: d.udi.pid, udi_serial_number: d.udi.sn },
        reportsPulled: expect.any(Number),
        acksDelivered: 1,
        awaitingAcks: 0,
        acksToDeliver: 0,
      });
    expect(byHost.get(devices[0]!.address)!.lastError).toBeUndefined();
    expect(byHost.get(wrongLogin.hostname)!.lastError).toMatch(/refused CSLU's login \(HTTP 401/);
    expect(byHost.get('10.255.255.1')!.lastError).toMatch(/unreachable|socket hang up|ECONNRESET/);
    expect(acked(lab, wrongLogin)).toBe(0);
    expect(lab.cslu!.service.store.instances().map((i) => i.via)).toEqual(['pull', 'pull', 'pull']);
    expect(JSON.stringify(pull.list())).not.toContain(LOGIN.password);
  });

  it('collects on demand with no schedule, and sends no report twice', async () => {
    const lab = await pullLab({ intervalMs: 0 });
    const d = pullReady(lab.device(MODELS[0]!));
    await lab.clock.advance(HOUR);
    const pull = lab.cslu!.pull!;
    pull.add({ host: d.address, ...LOGIN });
    const [first] = (await pull.collect())!;
    expect(first).toMatchObject({ host: d.address, ok: true, acks: 0 });
    expect(first!.reports).toBeGreaterThan(0);
    // Before CSSM answered: the device still lists the first reports; only the ones closed since go in.
    const [second] = (await pull.collect(d.address))!;
    expect(second).toMatchObject({ ok: true, acks: 0 });
    const held = Object.values(lab.cslu!.service.status().reports).reduce((a, b) => a + b, 0);
    expect(held).toBe(first!.reports + second!.reports);
    await lab.clock.advance(HOUR);
    expect(acked(lab, d)).toBe(1);
    expect(lab.cslu!.service.status().reports).toMatchObject({ RECEIVED: 0, SENT: 0, ACKED: 0 });
    expect(await pull.collect('nobody')).toBeUndefined();
    expect(pull.remove(d.address)).toBe(true);
    expect(pull.list()).toEqual([]);
  });

  it('refuses a bad product instance with its reason', async () => {
    const lab = await pullLab();
    const pull = lab.cslu!.pull!;
    expect(pull.add({ host: '', ...LOGIN })).toEqual({
      ok: false,
      reason: 'host must be a host name or IP address, got ""',
    });
    expect(pull.add({ host: 'sw1', user: 'a:b', password: 'x' })).toMatchObject({ ok: false });
    expect(pull.add({ host: 'sw1', port: 70000, ...LOGIN })).toMatchObject({ ok: false, reason: /port/ });
    expect(pull.list()).toEqual([]);
    await expect(
      createLab({ cloud: { seed: SEED }, cslu: { ...CSLU, pull: { devices: [{ host: 'x y', ...LOGIN }] } } }),
    ).rejects.toThrow(/cslu.pull.devices: "x y": host must be/);
  });
});
