import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findPlatform, generateSerial, MemoryBackend } from '#devices';
import { DAY, HOUR, MINUTE } from '#protocol';
import { createLab } from '../lab.ts';
import { Fleet } from './fleet.ts';
import { licenseStateOf } from './fleet-summary.ts';
import { parseTopology } from './topology.ts';

const SEED = readFileSync(new URL('../../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const START = Date.parse('2026-03-01T00:00:00Z');

const topology = (token = TOKEN) =>
  parseTopology(
    `
name: t
defaults:
  cloud: { account: example.com, virtualAccount: DEFAULT, token: "${token}" }
groups:
  access:
    pid: C9300-24P
    count: 2
    labels: { site: lyon }
    arrival: { shape: waves, waves: 2, window: 20m, at: 10m }
nodes:
  edge:
    pid: C9200L-24P-4G
    labels: { site: lyon }
`,
    '/tmp/t.topology.yaml',
  );

async function fleetLab(options: { storage?: MemoryBackend; start?: number; told?: string[]; token?: string } = {}) {
  const lab = await createLab({
    clock: { mode: 'stepped', start: options.start ?? START },
    cloud: { seed: SEED },
    storage: options.storage ?? new MemoryBackend(),
  });
  const problems: string[] = [];
  const fleet = new Fleet(lab, topology(options.token), {
    firstStart: START,
    onProblem: (l) => problems.push(l),
    ...(options.told ? { told: options.told } : {}),
  });
  const states = () => Object.fromEntries(fleet.members.map((m) => [m.node.hostname, licenseStateOf(m.device)]));
  return { lab, fleet, states, problems };
}

describe('Fleet', () => {
  it('boots every node with its hostname and model, and tells each to register at its arrival time', async () => {
    const { lab, fleet, states } = await fleetLab();
    expect(fleet.members.map((m) => [m.device.hostname, m.device.platform.pid])).toEqual([
      ['access-1', 'C9300-24P'],
      ['access-2', 'C9300-24P'],
      ['edge', 'C9200L-24P-4G'],
    ]);
    await lab.clock.advance(MINUTE);
    // edge arrives at 0; the access waves at 10 and 20 minutes.
    expect(fleet.told()).toEqual(['edge']);
    expect(states()['access-1']).toBe('EVAL');
    await lab.clock.advance(10 * MINUTE);
    expect(fleet.told().sort()).toEqual(['access-1', 'edge']);
    await lab.clock.advance(DAY);
    // The example seed has C9300 licenses, none for a C9200.
    expect(states()).toEqual({ 'access-1': 'AUTHORIZED', 'access-2': 'AUTHORIZED', edge: 'OUT OF COMPLIANCE' });
    await lab.close();
  });

  it('gives the same serial numbers at every start', async () => {
    const a = await fleetLab();
    const b = await fleetLab({ start: START + 40 * DAY });
    const sns = (f: Fleet) => f.members.map((m) => m.device.udi.sn);
    expect(sns(b.fleet)).toEqual(sns(a.fleet));
    await a.lab.close();
    await b.lab.close();
  });

  it('gives distinct serials to models that share a factory code, where the sequence alone would clash', async () => {
    // FOC is a 3850 prefix and a 3560-E prefix: sequence 1 of one and 2 of the other are the same serial.
    const clash = (pid: string, sequence: number) =>
      generateSerial(findPlatform(pid), { manufacturedAt: START, sequence });
    expect(clash('WS-C3850-24P', 1)).toBe(clash('WS-C3560E-24TD-S', 2));
    const lab = await createLab({ clock: { mode: 'stepped', start: START }, cloud: { seed: SEED } });
    const t = parseTopology('name: t\nnodes:\n  a: { pid: WS-C3850-24P }\n  b: { pid: WS-C3560E-24TD-S }\n', '/t.yaml');
    const fleet = new Fleet(lab, t, { firstStart: START });
    const [a, b] = fleet.members.map((m) => m.device.udi.sn);
    expect(a).toBe(clash('WS-C3850-24P', 1));
    expect(b).not.toBe(a);
    await lab.close();
  });

  it('does not tell a device again that an earlier run told, and a registered one resumes from its storage', async () => {
    const storage = new MemoryBackend();
    const first = await fleetLab({ storage });
    await first.lab.clock.advance(DAY);
    expect(first.fleet.told()).toHaveLength(3);
    await first.lab.close();
    const second = await fleetLab({ storage, start: START + DAY, told: first.fleet.told() });
    const sent = () => second.lab.exchanges.sent;
    await second.lab.clock.advance(HOUR);
    expect(second.states()).toEqual({ 'access-1': 'AUTHORIZED', 'access-2': 'AUTHORIZED', edge: 'OUT OF COMPLIANCE' });
    expect(sent()).toBe(0);
    await second.lab.close();
  });

  it('leaves a device the cloud refuses in REG FAILED, told once', async () => {
    const { lab, fleet, states, problems } = await fleetLab({ token: 'LAB-NO-SUCH-TOKEN' });
    await lab.clock.advance(DAY);
    expect(states()).toEqual({ 'access-1': 'REG FAILED', 'access-2': 'REG FAILED', edge: 'REG FAILED' });
    expect(fleet.told()).toHaveLength(3);
    expect(problems).toEqual([]);
    await lab.close();
  });

  it('reports a registration command the device refuses as a problem', async () => {
    const { lab, problems } = await fleetLab({ token: 'two words' });
    await lab.clock.advance(MINUTE);
    expect(problems).toEqual([expect.stringMatching(/^\[edge\] [\s\S]*%/)]);
    await lab.close();
  });
});

describe('Fleet of SLP devices', () => {
  it('reports through the lab CSLU by default, and trusts a Smart-transport node with its token at its arrival', async () => {
    const t = parseTopology(
      `
name: slp
cslu: { account: example.com, clientId: lab-example-admin, clientSecret: lab-example-admin-secret }
groups:
  access: { pid: C9300-24P, release: 17.9.4, count: 2 }
nodes:
  core:
    pid: C9300-24P
    release: 17.9.4
    slp: { transport: smart, usageInterval: 7 }
    cloud: { token: "${TOKEN}" }
    arrival: { shape: all-at-once, at: 1h }
`,
      '/tmp/slp.topology.yaml',
    );
    const lab = await createLab({ clock: { mode: 'stepped', start: START }, cloud: { seed: SEED }, cslu: t.cslu! });
    try {
      const problems: string[] = [];
      const fleet = new Fleet(lab, t, { firstStart: START, onProblem: (l) => problems.push(l) });
      const core = fleet.members.find((m) => m.node.hostname === 'core')!.device;
      await lab.clock.advance(30 * MINUTE);
      expect(core.slp()!.trust).toBeUndefined();
      expect(licenseStateOf(core)).toBe('NOT REPORTED');
      await lab.clock.advance(DAY);
      expect(core.slp()!.trust?.installedAt).toBe(START + HOUR);
      expect(core.exec('show license status')).toContain('Reporting push interval: 7  days');
      for (const m of fleet.members)
        expect(lab.events({ device: m.device, mnemonic: 'RUM_ACK_RECEIVED' }).length, m.node.hostname).toBeGreaterThan(
          0,
        );
      expect(lab.cslu!.service.status().instances).toBe(2);
      expect(fleet.members.map((m) => licenseStateOf(m.device))).toEqual(['ACKED', 'ACKED', 'ACKED']);
      expect(fleet.told().sort()).toEqual(['access-1', 'access-2', 'core']);
      expect(problems).toEqual([]);
      // The factory configuration was saved: it survives a reload.
      core.reload();
      await lab.clock.advance(10 * MINUTE);
      expect(core.exec('show license status')).toContain('Reporting push interval: 7  days');
    } finally {
      await lab.close();
    }
  });
});
