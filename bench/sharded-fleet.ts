/**
 * The cloud run of device-fleet.ts with the devices spread over worker threads (lab/shards/), in its own
 * process (forked by devices.ts):
 *
 *   node bench/sharded-fleet.ts <shards> <devices> <days>
 *
 * The same account, token and durable SQLite cloud as the cloud run; the devices arrive in waves of 1,000
 * per lab minute, as there. Prints one JSON line of figures on stdout (the fields of device-fleet.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabClock, openInProcessCloud, parseTopology, ShardedFleet } from '#lab';
import { DAY } from '#protocol';
import { BENCH_SEED, BENCH_TOKEN } from './bench-seed.ts';

const [shardsArg = '2', devicesArg = '1000', daysArg = '365'] = process.argv.slice(2);
const SHARDS = Number(shardsArg);
const N = Number(devicesArg);
const DAYS = Number(daysArg);
const WAVE = 1000;

const topology = parseTopology(
  `
name: bench
defaults:
  cloud: { account: bench.example.com, virtualAccount: DEFAULT, token: "${BENCH_TOKEN}" }
groups:
  fleet:
    pid: C9300-24P
    count: ${N}
    arrival: { shape: waves, waves: ${Math.ceil(N / WAVE)}, window: ${Math.ceil(N / WAVE)}m }
`,
  'bench.topology.yaml',
);

const clock = LabClock.create({ mode: 'stepped', start: Date.parse('2026-01-01T00:00:00Z') });
const dir = mkdtempSync(join(tmpdir(), 'lab-bench-sharded-'));
const cloud = await openInProcessCloud(clock, { db: join(dir, 'cloud.db'), seed: BENCH_SEED });
const cpuNow = (): number => Math.round(process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000);
const cpu = [cpuNow()];
const t0 = performance.now();
const fleet = await ShardedFleet.start({ clock, cloud, nodes: topology.nodes, shards: SHARDS });
const spawnedMs = performance.now() - t0;
cpu.push(cpuNow());
await fleet.advance(Math.ceil(N / WAVE) * 60_000 + 60_000);
const registeredMs = performance.now() - t0;
cpu.push(cpuNow());
const registered = (await fleet.states()).filter((s) => s !== 'EVAL' && s !== 'REGISTERING').length;
await fleet.advance(DAYS * DAY);
const wallMs = performance.now() - t0;
const authorized = (await fleet.states()).filter((s) => s === 'AUTHORIZED').length;
console.log(
  JSON.stringify({
    mode: 'sharded',
    shards: fleet.shardCount(),
    devices: N,
    days: DAYS,
    wallMs: Math.round(wallMs),
    spawnedMs: Math.round(spawnedMs),
    registeredMs: Math.round(registeredMs),
    registered,
    authorized,
    events: fleet.eventCount(),
    exchanges: fleet.exchanges.sent,
    cpuMs: { spawn: cpu[1]! - cpu[0]!, register: cpu[2]! - cpu[1]!, year: cpuNow() - cpu[2]! },
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
await fleet.close();
await cloud.close();
clock.dispose();
rmSync(dir, { recursive: true, force: true });
