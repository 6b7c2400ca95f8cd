/**
 * One device-fleet benchmark run in its own process (forked by devices.ts), so its peak RSS is its own:
 *
 *   node bench/device-fleet.ts <cloud|stub|resident> <devices> <days>
 *
 * - cloud: every device registers with the real cloud logic in process (durable SQLite store on disk, real
 *   ECDSA signatures both ways, answers verified by the device), then lives `days` virtual days.
 * - stub: the same devices and agent with a stand-in cloud that answers at once (no store, no crypto):
 *   the bare XState run the cloud run is compared with.
 * - resident: `devices` registered devices kept in memory (no time run), for the RSS figure.
 * Prints one JSON line of figures on stdout: peakRssMb is the process's peak, residentRssMb the RSS at
 * the end with the fleet still resident (after a full GC under --expose-gc).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBackend, type VirtualDevice } from '#devices';
import { createLab, LabClock } from '#lab';
import { DAY, MINUTE, type AuthorizeResponse, type RegisterResponse, type RenewIdResponse } from '#protocol';
import { BENCH_SEED, BENCH_TOKEN } from './bench-seed.ts';

const [mode = 'stub', devicesArg = '1000', daysArg = '365'] = process.argv.slice(2);
const N = Number(devicesArg);
const DAYS = Number(daysArg);
const START = Date.parse('2026-01-01T00:00:00Z');

const clock = LabClock.create({ mode: 'stepped', start: START });
const iso = (t: number) => new Date(t).toISOString();

/** Answers like the cloud, at once, without store or crypto (the bare run's cloud). */
function stubCloud() {
  let serial = 0;
  const ok = <T>(body: T) => Promise.resolve({ ok: true as const, body });
  return {
    register: () =>
      ok<RegisterResponse>({
        status: 'REGISTERED',
        udi: { pid: 'C9300-24P', sn: 'X' },
        idCertificate: '',
        certificateSerial: (++serial).toString(16),
        notBefore: iso(clock.now()),
        notAfter: iso(clock.now() + 365 * DAY),
        caCertificate: '',
        smartAccount: { name: 'Bench Corp', domain: 'bench.example.com' },
        virtualAccount: 'DEFAULT',
        exportControlled: false,
      }),
    authorize: () =>
      ok<AuthorizeResponse>({
        status: 'AUTHORIZED',
        entitlements: [],
        authorizedAt: iso(clock.now()),
        validUntil: iso(clock.now() + 90 * DAY),
      }),
    renewId: () =>
      ok<RenewIdResponse>({
        status: 'RENEWED',
        idCertificate: '',
        certificateSerial: (++serial).toString(16),
        notBefore: iso(clock.now()),
        notAfter: iso(clock.now() + 365 * DAY),
      }),
    deregister: () => ok({ status: 'DEREGISTERED' as const, releasedEntitlements: 0 }),
    convert: () => ok({ status: 'CONVERTED' as const, converted: [], convertedAt: iso(clock.now()) }),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'lab-bench-fleet-'));
const lab = await createLab({
  clock,
  // One backend for the fleet (records keyed by serial), as a fleet host keeps them.
  storage: new MemoryBackend(),
  cloud: mode === 'stub' ? { kind: 'stand-in', client: stubCloud() } : { db: join(dir, 'cloud.db'), seed: BENCH_SEED },
});
let events = 0;
// CPU time of the process (user + system, GC threads included) per phase: steadier than wall time on a loaded machine.
const cpuNow = (): number => Math.round(process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000);
const cpu = [cpuNow()];
const t0 = performance.now();
const devices: VirtualDevice[] = [];
for (let i = 0; i < N; i++) {
  devices.push(lab.device({ pid: 'C9300-24P', serialSequence: i, sinks: [() => void events++] }));
}
const spawnedMs = performance.now() - t0;
cpu.push(cpuNow());
// Devices register in waves of WAVE per lab minute, as a fleet coming up does, not all in one instant
// (10,000s of requests in flight at once would measure the burst, not the fleet).
const WAVE = 1000;
for (let i = 0; i < devices.length; i += WAVE) {
  for (const d of devices.slice(i, i + WAVE)) d.exec(`license smart register idtoken ${BENCH_TOKEN}`);
  await clock.advance(MINUTE);
}
const registeredMs = performance.now() - t0;
cpu.push(cpuNow());
const registered = devices.filter((d) => d.smart().registration.status === 'registered').length;
if (mode !== 'resident') await clock.advance(DAYS * DAY);
const wallMs = performance.now() - t0;
const authorized = devices.filter((d) => d.smart().authorization.status === 'authorized').length;
const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
// RSS with the fleet resident and settled (after a full GC when --expose-gc is given).
(globalThis as { gc?: () => void }).gc?.();
const residentRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
console.log(
  JSON.stringify({
    mode,
    devices: N,
    days: mode === 'resident' ? 0 : DAYS,
    wallMs: Math.round(wallMs),
    spawnedMs: Math.round(spawnedMs),
    registeredMs: Math.round(registeredMs),
    registered,
    authorized,
    events,
    cpuMs: { spawn: cpu[1]! - cpu[0]!, register: cpu[2]! - cpu[1]!, year: cpuNow() - cpu[2]! },
    peakRssMb: rssMb,
    residentRssMb,
  }),
);
await lab.close();
rmSync(dir, { recursive: true, force: true });
