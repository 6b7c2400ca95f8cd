/**
 * Smart Licensing Using Policy fleets (issue 12): 10,000 C9300s on 17.9.4 × 365 virtual days reporting
 * directly to the real cloud logic in process (bench/slp-fleet.ts, its own process). BENCH_DEVICES scales
 * the fleet down for a quick look. Writes bench/results/slp.json. The RUM upload rate over HTTP is in the
 * cloud suite, beside the classic authorization rate of the same run.
 */
import { forkRun } from './fork-run.ts';
import { machine, writeResults } from './write-results.ts';

const FLEET = Math.round(10_000 * Number(process.env.BENCH_DEVICES ?? 1));
const started = new Date();
console.error(`[bench] slp: ${FLEET} SLP devices × 365 d, direct to the cloud in process`);
const fleet = await forkRun<{ wallMs: number; devices: number }>('./slp-fleet.ts', [FLEET, 365]);
writeResults('slp', started, {
  benchmark: 'slp',
  at: started.toISOString(),
  machine: machine(),
  fleet,
  deviceYearsPerSecond: Number(((fleet.devices * 1000) / fleet.wallMs).toFixed(1)),
});
