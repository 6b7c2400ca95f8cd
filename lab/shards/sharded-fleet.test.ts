import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, MINUTE, SECOND } from '#protocol';
import { LabClock } from '../clock/index.ts';
import { FaultSchedule } from '../faults/fault-schedule.ts';
import { FaultTransportLayer } from '../faults/fault-transport.ts';
import { fleetSerials } from '../fleet/fleet.ts';
import { parseTopology } from '../fleet/topology.ts';
import { openInProcessCloud, type InProcessCloud } from '../in-process-cloud.ts';
import { ShardedFleet, type ShardedFleetOptions } from './sharded-fleet.ts';

const SEED = readFileSync(new URL('../../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const START = Date.parse('2026-03-01T00:00:00Z');

// Twelve C9300s for a pool of ten: who is out of compliance depends on the order requests reach the cloud.
const NODES = parseTopology(
  `
name: pool-race
defaults:
  cloud: { account: example.com, virtualAccount: DEFAULT, token: "${TOKEN}" }
groups:
  access:
    pid: C9300-24P
    count: 12
    labels: { site: lyon }
    arrival: { shape: jittered, window: 20m }
  wan:
    pid: ISR4331/K9
    count: 2
    release: 16.12.5
    bootLevel: appxk9
    arrival: { shape: all-at-once }
`,
  '/tmp/pool-race.topology.yaml',
).nodes;

const open: { fleet?: ShardedFleet; cloud: InProcessCloud; clock: LabClock }[] = [];
afterEach(async () => {
  for (const { fleet, cloud, clock } of open.splice(0)) {
    await fleet?.close();
    await cloud.close().catch(() => undefined); // a test may have closed it already
    clock.dispose();
  }
});

async function run(
  shards: number,
  options: Partial<ShardedFleetOptions> & { days?: number; start?: number; db?: string } = {},
) {
  const clock = options.clock ?? LabClock.create({ mode: 'stepped', start: options.start ?? START });
  const cloud = await openInProcessCloud(clock, { seed: SEED, ...(options.db ? { db: options.db } : {}) });
  const entry: (typeof open)[number] = { cloud, clock };
  open.push(entry);
  const problems: string[] = [];
  const fleet = await ShardedFleet.start({
    clock,
    cloud,
    nodes: options.nodes ?? NODES,
    shards,
    keepEvents: true,
    onProblem: (line) => problems.push(line),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.told ? { told: options.told } : {}),
    ...(options.firstStart ? { firstStart: options.firstStart } : {}),
    ...(options.transportLayer ? { transportLayer: options.transportLayer } : {}),
  });
  entry.fleet = fleet;
  await fleet.advance((options.days ?? 100) * DAY);
  const log = fleet.events().map((e) => `${new Date(e.labTime).toISOString()} ${e.device} ${e.syslog.mnemonic}`);
  return { fleet, cloud, clock, log, problems, states: await fleet.states() };
}

/** The fleet's events from lab time `since` on, a line each: `labTime hostname MNEMONIC`. */
const logSince = (fleet: ShardedFleet, since: number) =>
  fleet
    .events()
    .filter((e) => e.labTime >= since)
    .map((e) => `${e.labTime} ${e.device} ${e.syslog.mnemonic}`);

const mnemonics = (log: string[], hostname: string) =>
  log.filter((l) => l.split(' ')[1] === hostname).map((l) => l.split(' ')[2]);

describe('a sharded fleet', () => {
  it('gives the same event log, states and cloud records with 1 and 2 shards', async () => {
    const one = await run(1);
    const two = await run(2);
    expect(two.fleet.shardCount()).toBe(2);
    expect(two.log).toEqual(one.log);
    expect(two.states).toEqual(one.states);
    const records = async (cloud: InProcessCloud) =>
      (await cloud.instances()).map((i) => `${i.hostname} ${i.udi.sn} ${i.registeredAt} ${i.certNotAfter}`).sort();
    expect(await records(two.cloud)).toEqual(await records(one.cloud));
    // Not a trivial log: every device registered, and the pool of ten C9300 licences ran out.
    expect(one.log.filter((l) => l.endsWith(' AGENT_REG_SUCCESS'))).toHaveLength(14);
    expect(one.log.filter((l) => l.endsWith(' OUT_OF_COMPLIANCE')).length).toBeGreaterThan(0);
    expect(one.states.filter((s) => s === 'AUTHORIZED').length).toBeGreaterThan(0);
    expect(one.problems).toEqual([]);
  });

  it('runs each instant in fleet order: the devices the pool runs out for are the same whatever the shards', async () => {
    // All twelve register in the same instant, so only the order of that instant decides who is short.
    const nodes = NODES.filter((n) => n.group === 'access').map((n) => ({ ...n, arrivalMs: 0 }));
    const runs = [await run(1, { nodes, days: 0 }), await run(3, { nodes, days: 0 })];
    const short = runs.map(({ states }) =>
      nodes.filter((_, i) => states[i] === 'OUT OF COMPLIANCE').map((n) => n.hostname),
    );
    expect(short[0]!.length).toBeGreaterThan(0);
    expect(short[0]!.length).toBeLessThan(12);
    expect(short[1]).toEqual(short[0]);
    expect(runs[1]!.log).toEqual(runs[0]!.log);
  });

  it('holds an answer delayed in lab time until a later round reaches it, the same with 1 and 2 shards', async () => {
    const wan = NODES.filter((n) => n.group === 'wan');
    const [slow] = fleetSerials(wan, START);
    const logs: string[][] = [];
    for (const shards of [1, 2]) {
      const clock = LabClock.create({ mode: 'stepped', start: START });
      const network = new FaultTransportLayer(clock);
      network.hold(slow!, { id: 'f1', spec: { kind: 'latency', ms: 20 * SECOND, select: 'hostname=wan-1' } });
      const { log } = await run(shards, { clock, nodes: wan, transportLayer: network.wrap, days: 1 });
      logs.push(log);
    }
    const at = (hostname: string) => logs[0]!.find((l) => l.endsWith(`${hostname} AGENT_REG_SUCCESS`))?.split(' ')[0];
    expect(at('wan-2')).toBe(new Date(START).toISOString());
    expect(at('wan-1')).toBe(new Date(START + 20 * SECOND).toISOString());
    // Its authorization request, sent on that answer, is held as long again.
    expect(logs[0]!.find((l) => l.endsWith('wan-1 IN_COMPLIANCE'))?.split(' ')[0]).toBe(
      new Date(START + 40 * SECOND).toISOString(),
    );
    expect(logs[1]).toEqual(logs[0]);
  });

  it('reloads devices and jumps their clocks in their shards when a fault says so, the same with 1 and 2 shards', async () => {
    const logs: string[][] = [];
    for (const shards of [1, 2]) {
      const { fleet, clock } = await run(shards, { days: 1 });
      const targets = fleet.faultTargets();
      expect(targets.members().map((m) => m.node.hostname)).toEqual(NODES.map((n) => n.hostname));
      targets.act(['access-2', 'wan-1'], { kind: 'reload' });
      targets.act(['access-3'], { kind: 'clock-jump', ms: 2 * 365 * DAY });
      targets.act(['access-4'], { kind: 'storage-corruption' });
      const since = clock.now();
      await fleet.advance(DAY);
      logs.push(logSince(fleet, since));
    }
    const [one, two] = logs;
    expect(two).toEqual(one);
    const of = (hostname: string) => one!.filter((l) => l.split(' ')[1] === hostname).map((l) => l.split(' ')[2]);
    expect(of('access-2')).toContain('AGENT_READY');
    expect(of('wan-1')).toContain('AGENT_READY');
    expect(of('access-1')).toEqual([]);
    expect(of('access-3').length).toBeGreaterThan(0);
    expect(of('access-4')).toContain('PLATFORM_ERROR');
  });

  it('refuses every device while the cloud restarts and a skewed one until its clock is right, the same with 1 and 2 shards', async () => {
    const logs: string[][] = [];
    for (const shards of [1, 2]) {
      const clock = LabClock.create({ mode: 'stepped', start: START });
      const network = new FaultTransportLayer(clock);
      const { fleet, cloud } = await run(shards, { days: 1, clock, transportLayer: network.wrap });
      const lines: string[] = [];
      const faults = new FaultSchedule({
        clock,
        targets: fleet.faultTargets(),
        network,
        cloud,
        onEvent: (e) => lines.push(e.line),
      });
      const since = clock.now();
      const store = cloud.store;
      faults.add({ kind: 'cloud-restart', select: 'all', for: '10m' });
      faults.add({ kind: 'clock-skew', select: 'access-5', ms: 3 * DAY, for: '1d' });
      await fleet.exec('access-1 access-5', 'license smart renew auth');
      await fleet.advance(2 * DAY);
      expect(cloud.store).not.toBe(store);
      expect(lines).toEqual([
        'fault f1 cloud-restart started on 14 devices (all)',
        'fault f2 clock-skew started on 1 devices (access-5)',
        'fault f1 cloud-restart ended',
        'fault f2 clock-skew ended',
      ]);
      logs.push(logSince(fleet, since));
    }
    const [one, two] = logs;
    expect(two).toEqual(one);
    // Refused while down, renewed on the agent's first retry (15 min) once the cloud is back; the skewed
    // device only after its clock is set right at the end of the day.
    const since = Number(one![0]!.split(' ')[0]);
    const of = (hostname: string) =>
      one!.filter((l) => l.split(' ')[1] === hostname).map((l) => [Number(l.split(' ')[0]) - since, l.split(' ')[2]]);
    expect(of('access-1')).toEqual([
      [0, 'AUTH_RENEW_FAILED'],
      [0, 'COMM_FAILED'],
      [15 * MINUTE, 'COMM_RESTORED'],
    ]);
    const skewed = of('access-5');
    expect(skewed.filter(([, m]) => m === 'SYSTEM_CLOCK_CHANGED').map(([t]) => t)).toEqual([0, DAY]);
    expect(skewed.find(([, m]) => m === 'COMM_RESTORED')![0]).toBeGreaterThan(DAY);
  });

  it("keeps the devices' storage across a restart: the fleet resumes registered without registering again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-shards-'));
    try {
      const storage = join(dir, 'devices.db');
      const db = join(dir, 'cloud.db');
      const first = await run(2, { storage, db, days: 10 });
      const told = first.fleet.told();
      expect(told).toHaveLength(14);
      await first.fleet.close();
      await first.cloud.close();
      const second = await run(2, { storage, db, told, firstStart: START, start: START + 10 * DAY, days: 40 });
      const registered = ['AUTHORIZED', 'OUT OF COMPLIANCE'];
      expect(first.states.filter((st) => !registered.includes(st))).toEqual([]);
      expect(second.states.filter((st) => !registered.includes(st))).toEqual([]);
      // Booted from storage: no new registration, renewals on the cadence the first run set.
      expect(second.log.filter((l) => l.endsWith(' AGENT_REG_SUCCESS'))).toEqual([]);
      expect(mnemonics(second.log, 'access-1')).toEqual(['AGENT_READY', 'AGENT_ENABLED']);
      expect(second.log.filter((l) => / (AUTH_RENEW_FAILED|EVAL_START)$/.test(l))).toEqual([]);
      expect(second.fleet.exchanges.sent).toBeGreaterThanOrEqual(14);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown PID before any shard starts, and stops with the reason of a shard that fails', async () => {
    const bad = { ...NODES[0]!, pid: 'WS-NOPE-24' };
    await expect(run(2, { nodes: [NODES[1]!, bad] })).rejects.toThrow(/unknown PID "WS-NOPE-24"; known PIDs: /);
    // Storage it cannot open (a directory): the shard's own error, named.
    const dir = mkdtempSync(join(tmpdir(), 'lab-shards-'));
    try {
      await expect(run(2, { storage: dir })).rejects.toThrow(/\[lab\] shard \d crashed: cannot open SQLite storage/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs a stepped clock', async () => {
    const clock = LabClock.create({ mode: 'scaled', speed: 1000, start: START });
    const cloud = await openInProcessCloud(clock, { seed: SEED });
    open.push({ cloud, clock });
    await expect(ShardedFleet.start({ clock, cloud, nodes: NODES })).rejects.toThrow(/stepped clock/);
  });
});
