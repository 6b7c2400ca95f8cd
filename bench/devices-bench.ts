/**
 * The device fleet's benchmarks (issue 4), each run in its own process for an honest peak RSS:
 * 10,000 smart devices × 365 virtual days with the real cloud in process (durable SQLite store, real
 * signatures both ways) against the same fleet on a stub cloud (the bare XState run), and 100,000
 * registered devices resident (and 10,000, for the cost of one more device and the largest fleet that
 * would fit in 16 GB at that cost). BENCH_DEVICES scales the fleets down for a quick look (default 1 = as
 * the issue states them). Writes bench/results/devices.json.
 */
import { forkRun } from './fork-run.ts';
import { machine, writeResults } from './write-results.ts';

const SCALE = Number(process.env.BENCH_DEVICES ?? 1);
const FLEET = Math.round(10_000 * SCALE);
const RESIDENT = Math.round(100_000 * SCALE);

interface FleetRun {
  mode: string;
  devices: number;
  days: number;
  wallMs: number;
  peakRssMb: number;
  residentRssMb: number;
  registered: number;
  authorized: number;
  events: number;
}

const run = (mode: 'cloud' | 'stub' | 'resident', devices: number, days: number) =>
  forkRun<FleetRun>('./device-fleet.ts', [mode, devices, days], ['--expose-gc']);
/** The cloud run with the devices over `shards` worker threads (bench/sharded-fleet.ts), its own process too. */
const runSharded = (shards: number, devices: number, days: number) =>
  forkRun<FleetRun>('./sharded-fleet.ts', [shards, devices, days]);

const started = new Date();
console.error(`[bench] devices: stub ${FLEET} × 365 d`);
const stub = await run('stub', FLEET, 365);
console.error(`[bench] devices: cloud ${FLEET} × 365 d`);
const cloud = await run('cloud', FLEET, 365);
console.error(`[bench] devices: cloud ${FLEET} × 365 d, devices in 1 and 2 worker threads`);
const oneShard = await runSharded(1, FLEET, 365);
const twoShards = await runSharded(2, FLEET, 365);
console.error(`[bench] devices: ${RESIDENT} resident`);
const resident = await run('resident', RESIDENT, 0);
const fewer = await run('resident', RESIDENT / 10, 0);
// The cost of one more resident device, from the two fleets; the rest is the process with its cloud.
const perDeviceKb = ((resident.residentRssMb - fewer.residentRssMb) * 1024) / (RESIDENT - RESIDENT / 10);
const baseMb = resident.residentRssMb - (perDeviceKb * RESIDENT) / 1024;
writeResults('devices', started, {
  benchmark: 'devices',
  at: started.toISOString(),
  machine: machine(),
  fleet: { stub, cloud, ratioCloudToStub: Number((cloud.wallMs / stub.wallMs).toFixed(2)) },
  sharded: { oneShard, twoShards, speedupTwoShardsOverOneThread: Number((cloud.wallMs / twoShards.wallMs).toFixed(2)) },
  resident,
  residentScaling: {
    fewer,
    perDeviceKb: Math.round(perDeviceKb * 10) / 10,
    baseMb: Math.round(baseMb),
    largestFleetIn16GbAtThatCost: Math.floor(((16_384 - baseMb) * 1024) / perDeviceKb),
  },
  targets: {
    fleetWallMs: 20_000,
    fleetPeakRssMb: 1536,
    residentPeakRssMb: 1536,
    shardedWallMs: 40_000,
    note: 'targets are for 10,000 × 365 d and 100,000 resident (BENCH_DEVICES=1)',
  },
  met: {
    fleetWall: cloud.wallMs <= 20_000,
    fleetRss: cloud.peakRssMb <= 1536,
    residentRss: resident.peakRssMb <= 1536,
    shardedWall: twoShards.wallMs <= 40_000,
  },
});
