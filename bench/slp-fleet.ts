/**
 * SLP fleet benchmark run in its own process (forked by devices-bench.ts), so its peak RSS is its own:
 *
 *   node bench/slp-fleet.ts <devices> <days>
 *
 * C9300s on IOS XE 17.9.4 (Smart Licensing Using Policy) report directly to the real cloud logic in
 * process (durable SQLite store on disk): each installs a trust code with the bench token (in waves, as a
 * fleet coming up does), then lives `days` virtual days pushing RUM reports on the policy's cadence and
 * installing the ACKs (real ECDSA signatures on every request and report, Ed25519 on every document).
 * Prints one JSON line of figures on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBackend, type VirtualDevice } from '#devices';
import { createLab, LabClock } from '#lab';
import { DAY, MINUTE } from '#protocol';
import { BENCH_SEED, BENCH_TOKEN } from './bench-seed.ts';

const [devicesArg = '1000', daysArg = '365'] = process.argv.slice(2);
const N = Number(devicesArg);
const DAYS = Number(daysArg);
const clock = LabClock.create({ mode: 'stepped', start: Date.parse('2026-01-01T00:00:00Z') });
const dir = mkdtempSync(join(tmpdir(), 'lab-bench-slp-'));
const lab = await createLab({
  clock,
  storage: new MemoryBackend(),
  cloud: { db: join(dir, 'cloud.db'), seed: BENCH_SEED },
});
let events = 0;
const cpuNow = (): number => Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000);
const cpu = [cpuNow()];
const t0 = performance.now();
const devices: VirtualDevice[] = [];
for (let i = 0; i < N; i++)
  devices.push(lab.device({ pid: 'C9300-24P', release: '17.9.4', serialSequence: i, sinks: [() => void events++] }));
const CONFIG = ['configure terminal', 'license smart transport smart', 'license smart url default', 'end'];
const WAVE = 1000;
for (let i = 0; i < devices.length; i += WAVE) {
  for (const d of devices.slice(i, i + WAVE)) {
    for (const line of CONFIG) d.exec(line);
    d.exec(`license smart trust idtoken ${BENCH_TOKEN} local`);
  }
  await clock.advance(MINUTE);
}
const trustedMs = performance.now() - t0;
cpu.push(cpuNow());
const trusted = devices.filter((d) => d.slp()?.trust !== undefined).length;
await clock.advance(DAYS * DAY);
const wallMs = performance.now() - t0;
const views = devices.map((d) => d.slp()!);
console.log(
  JSON.stringify({
    mode: 'slp-cloud',
    devices: N,
    days: DAYS,
    wallMs: Math.round(wallMs),
    trustedMs: Math.round(trustedMs),
    trusted,
    reportsAcknowledged: views.reduce((n, v) => n + v.acked, 0),
    reportsWaiting: views.reduce((n, v) => n + v.reports.filter((r) => r.state === 'CLOSED').length, 0),
    ackOverdue: views.filter((v) => v.states.ack === 'overdue').length,
    events,
    cpuMs: { trust: cpu[1]! - cpu[0]!, year: cpuNow() - cpu[1]! },
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
await lab.close();
rmSync(dir, { recursive: true, force: true });
