/**
 * The `wire` benchmark suite: how many syslog messages and SNMP notifications a second the lab puts on
 * the wire and reads back, from a storm of 10,000 devices.
 * The lab's SyslogSender (in a worker thread, as in a fleet shard) into its SyslogCollector (main thread,
 * as in `lab up`) over UDP and over TCP (octet counting), against the bare floor: a node:dgram socket
 * into a node:dgram receiver that only counts. BENCH_MESSAGES (default 200,000) messages, flat out and
 * paced by the bench, and handed over all at once to a sender paced by its own budget (`lab up
 * --syslog-rate`). Then BENCH_TRAPS (default 50,000) SnmpTrapSender notifications into the TrapCollector:
 * v2c traps, v2c informs (acknowledged by the collector) and SNMPv3 authPriv traps. Writes
 * bench/results/wire.json.
 */
import { createSocket } from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { SnmpTrapSender, type SnmpUser, type SyslogTransport, type TrapSendCounts } from '#devices';
import { SyslogCollector, TrapCollector } from '#lab';
import { machine, writeResults } from './write-results.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const TRAPS = Number(process.env.BENCH_TRAPS ?? 50_000);
const SETTLE_MS = 2_000;

interface Pace {
  name: string;
  perBurst: number;
  everyMs: number;
  /** Handed over at once to a SyslogSender paced at this many datagrams a second. */
  budget?: number;
}
/** Flat out (a turn of the event loop between bursts), and 50,000 a second in 10 ms steps. */
const PACES: Pace[] = [
  { name: 'flat out', perBurst: 2_000, everyMs: 0 },
  { name: '50k/s', perBurst: 500, everyMs: 10 },
];
/** The sender's own budget, at lab up's default and above it. */
const BUDGETS: Pace[] = [40_000, 60_000, 80_000, 100_000].map((budget) => ({
  name: `sender budget ${budget / 1000}k/s`,
  perBurst: MESSAGES,
  everyMs: 0,
  budget,
}));

interface WireFigure {
  path: string;
  pace: string;
  messages: number;
  received: number;
  lostPercent: number;
  perSecond: number;
  collectorLost?: number;
  /** Refused by the sender's bounds (UDP queue, TCP buffer), counted there. */
  senderDropped?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the sender thread, then waits until `received()` stops growing; the rate is to the last message received. */
async function run(
  path: string,
  pace: Pace,
  sender: { port: number; transport: SyslogTransport; bare: boolean },
  received: () => number,
): Promise<WireFigure> {
  const start = performance.now();
  const worker = new Worker(new URL('./wire-sender-worker.ts', import.meta.url), {
    workerData: { ...sender, count: MESSAGES, perBurst: pace.perBurst, everyMs: pace.everyMs, budget: pace.budget },
  });
  const done = new Promise<{ counts?: { dropped: number } }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let lastAt = start;
  let last = 0;
  let finished = false;
  void done.then(() => (finished = true));
  for (let idle = 0; idle < SETTLE_MS || !finished; idle += 20) {
    await sleep(20);
    const now = received();
    if (now !== last) {
      last = now;
      lastAt = performance.now();
      idle = 0;
    }
    if (now >= MESSAGES) break;
  }
  const { counts } = await done;
  await worker.terminate();
  const got = received();
  return {
    ...(counts ? { senderDropped: counts.dropped } : {}),
    path,
    pace: pace.name,
    messages: MESSAGES,
    received: got,
    lostPercent: Math.round(((MESSAGES - got) / MESSAGES) * 10_000) / 100,
    perSecond: Math.round(got / ((lastAt - start) / 1000)),
  };
}

async function bareDgram(pace: Pace): Promise<WireFigure> {
  const receiver = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  let count = 0;
  receiver.on('message', () => count++);
  const port = receiver.address().port;
  const figure = await run(
    'node:dgram → node:dgram (count only)',
    pace,
    { port, transport: 'udp', bare: true },
    () => count,
  );
  receiver.close();
  return figure;
}

async function lab(transport: SyslogTransport, pace: Pace): Promise<WireFigure> {
  const collector = await SyslogCollector.listen({ now: () => 0, keep: 1_000 });
  const port = transport === 'udp' ? collector.udpPort : collector.tcpPort;
  const figure = await run(
    `SyslogSender → SyslogCollector (${transport}, parsed, loss counted)`,
    pace,
    { port, transport, bare: false },
    () => collector.counts().received,
  );
  await collector.close();
  return { ...figure, collectorLost: collector.counts().lost };
}

interface TrapFigure {
  kind: 'v2c traps' | 'v2c informs' | 'v3 authPriv traps';
  notifications: number;
  received: number;
  /** Informs the collector received again (a retransmission after a late or lost answer), not counted. */
  duplicates: number;
  lostPercent: number;
  /** At the collector, to the last notification received. */
  receivedPerSecond: number;
  /** Informs: acknowledged a second, from the first send to the last answer. */
  ackedPerSecond?: number;
  sender: TrapSendCounts;
}

const MON: SnmpUser = {
  name: 'mon',
  group: 'lab',
  auth: { protocol: 'sha', key: 'authpass1' },
  priv: { protocol: 'aes', key: 'privpass1' },
};
const ENGINE = 'wire-bench';

async function traps(kind: 'traps' | 'informs' | 'v3'): Promise<TrapFigure> {
  // The worker's sender names its engine the same: v3 traps carry the sender's engine ID.
  const { engineId } = new SnmpTrapSender({ engineName: ENGINE });
  const collector = await TrapCollector.listen({ now: () => 0, keep: 1_000, users: [MON], engineId });
  const start = performance.now();
  const worker = new Worker(new URL('./trap-sender-worker.ts', import.meta.url), {
    workerData: { port: collector.port, kind, user: MON, count: TRAPS, perBurst: 1_000, engineName: ENGINE },
  });
  const done = new Promise<{ counts: TrapSendCounts; closedMs: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  let finished = false;
  void done.then(() => (finished = true));
  let last = 0;
  let lastAt = start;
  for (let idle = 0; idle < SETTLE_MS || !finished; idle += 20) {
    await sleep(20);
    const now = collector.counts().received;
    if (now !== last) {
      last = now;
      lastAt = performance.now();
      idle = 0;
    }
    if (now >= TRAPS && finished) break;
  }
  const { counts, closedMs } = await done;
  await worker.terminate();
  const { received, duplicates } = collector.counts();
  await collector.close();
  return {
    kind: kind === 'traps' ? 'v2c traps' : kind === 'informs' ? 'v2c informs' : 'v3 authPriv traps',
    notifications: TRAPS,
    received,
    duplicates,
    lostPercent: Math.round(((TRAPS - received) / TRAPS) * 10_000) / 100,
    receivedPerSecond: Math.round(received / ((lastAt - start) / 1000)),
    ...(kind === 'informs' ? { ackedPerSecond: Math.round(counts.informsAcked / (closedMs / 1000)) } : {}),
    sender: counts,
  };
}

const started = new Date();
const figures: WireFigure[] = [];
for (const pace of PACES) figures.push(await bareDgram(pace), await lab('udp', pace), await lab('tcp', pace));
for (const pace of BUDGETS) figures.push(await lab('udp', pace));
const trapFigures: TrapFigure[] = [];
for (const kind of ['traps', 'informs', 'v3'] as const) trapFigures.push(await traps(kind));
writeResults('wire', started, {
  suite: 'wire',
  started: started.toISOString(),
  machine: machine(),
  syslog: figures,
  snmp: trapFigures,
});
