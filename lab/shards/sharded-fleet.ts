/**
 * A fleet spread over worker threads (shard-worker.ts) under one virtual clock, with the cloud in this
 * thread. Time moves in rounds: each round picks the earliest timer of any shard or of this thread, lets
 * every shard fire its timers up to that instant, and then runs the requests the shards collected through
 * the cloud one by one in fleet order (the device's index, then the order it sent them), handing the
 * answers back with the next step, until no shard has anything more to say at that instant. Requests
 * within one instant therefore reach the cloud in the same order whatever the number of shards, so pool
 * allocation, the cloud's records and every device's event log are the same with 1 shard or 8.
 */
import { Worker } from 'node:worker_threads';
import {
  createInProcessTransport,
  type CloudTransport,
  type Completion,
  type DeviceEvent,
  type MibTable,
  type SyslogHost,
  type TrapTarget,
} from '#devices';
import type { LabClock } from '../clock/index.ts';
import { NO_WIRE_SENDS, sumWire, type WireSendCounts } from '../collectors/wire-counts.ts';
import { meteredTransport, type ExchangeObserver, type MeteredTransport } from '../exchange-meter.ts';
import type { FaultTargets } from '../faults/fault-schedule.ts';
import { fleetSerials } from '../fleet/fleet.ts';
import type { ExecResult } from '../fleet/fleet-console.ts';
import { parseSelector, selectNodes } from '../fleet/selector.ts';
import type { LicenseState } from '../fleet/fleet-summary.ts';
import type { FleetNode } from '../fleet/topology.ts';
import type { InProcessCloud } from '../in-process-cloud.ts';
import {
  toAnswer,
  toRequest,
  type HostAction,
  type FromShard,
  type ShardAnswer,
  type ShardDelivery,
  type ShardEvent,
  type ShardInit,
  type ShardRequest,
  type ToShard,
} from './shard-protocol.ts';

export interface ShardedFleetOptions {
  /** The lab clock; stepped, as rounds move it. */
  clock: LabClock;
  cloud: InProcessCloud;
  nodes: readonly FleetNode[];
  /** Worker threads; default 2. */
  shards?: number;
  /** Lab time of the lab's first start (arrivals and serial numbers count from it); default now. */
  firstStart?: number;
  told?: readonly string[];
  /** SQLite file for the devices' trusted storage; default memory (lost at close). */
  storage?: string;
  /** Keep every device event for events(); default only counted. */
  keepEvents?: boolean;
  /** Where the devices send syslog, from their shard's own socket. */
  syslogHosts?: readonly SyslogHost[];
  /** UDP syslog datagrams per host second for the whole fleet, split evenly over the shards; default unpaced. */
  syslogRate?: number;
  /** PEM of the CAs the shards' syslog senders trust for TLS hosts; default the system's. */
  syslogTlsCa?: readonly string[];
  /** Where the devices send SNMP notifications, from their shard's own sender. */
  trapHosts?: readonly TrapTarget[];
  /** Messages the devices emitted since the last round (syslog lines, traps among them): the lab's metrics. */
  onMessages?: (syslog: number, traps: number) => void;
  /** Wraps the cloud's transport (lab network faults, which then run on this thread's clock). */
  transportLayer?: (transport: CloudTransport) => CloudTransport;
  onProblem?: (line: string) => void;
}

type Reply<T extends FromShard['type']> = Extract<FromShard, { type: T }>;
type Call = ToShard extends infer M ? (M extends ToShard ? Omit<M, 'call'> : never) : never;

class Shard {
  readonly worker: Worker;
  nextDue: number | undefined;
  told: string[] = [];
  eventCount = 0;
  trapCount = 0;
  /** Device faults for the next step. */
  actions: HostAction[] = [];
  readonly #calls = new Map<number, { resolve: (r: FromShard) => void; reject: (e: Error) => void }>();
  #next = 1;
  #broken: Error | undefined;

  constructor(init: ShardInit) {
    this.worker = new Worker(new URL('./shard-worker.ts', import.meta.url), { workerData: init });
    this.worker.on('message', (reply: FromShard) => {
      const call = this.#calls.get(reply.call);
      this.#calls.delete(reply.call);
      if (reply.type === 'failed') call?.reject(new Error(`[lab] shard ${init.shard}: ${reply.message}`));
      else call?.resolve(reply);
    });
    const fail = (err: Error) => {
      this.#broken = err;
      for (const call of this.#calls.values()) call.reject(err);
      this.#calls.clear();
    };
    this.worker.on('error', (err) => fail(new Error(`[lab] shard ${init.shard} crashed: ${err.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`[lab] shard ${init.shard} exited (code ${code})`)));
  }

  /** A message that wants no reply. */
  post(message: ShardDelivery): void {
    if (!this.#broken) this.worker.postMessage(message);
  }

  call<T extends FromShard['type']>(message: Call): Promise<Reply<T>> {
    if (this.#broken) return Promise.reject(this.#broken);
    const call = this.#next++;
    return new Promise<FromShard>((resolve, reject) => {
      this.#calls.set(call, { resolve, reject });
      this.worker.postMessage({ ...message, call } as ToShard);
    }) as Promise<Reply<T>>;
  }
}

const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Requests per cloud pass: big enough for group commits, small enough that shards start reading answers early. */
const PASS = 256;

export class ShardedFleet {
  readonly clock: LabClock;
  readonly nodes: readonly FleetNode[];
  readonly exchanges: MeteredTransport['counts'];
  readonly #shards: Shard[];
  readonly #transport: CloudTransport;
  readonly #metered: MeteredTransport;
  readonly #events: ShardEvent[] = [];
  readonly #onProblem: (line: string) => void;
  readonly #onMessages: ((syslog: number, traps: number) => void) | undefined;
  readonly #serials: readonly string[];
  /** Hostname → the shard that holds it. */
  readonly #shardOf = new Map<string, number>();
  readonly #byName = new Map<string, FleetNode>();
  readonly #watchers = new Map<string, Set<(line: string) => void>>();
  /** Answers that waited in lab time (a latency fault) and are due to their shard with the next step. */
  readonly #ready: ShardAnswer[][];
  #closed = false;

  private constructor(
    options: ShardedFleetOptions,
    shards: Shard[],
    metered: MeteredTransport,
    serials: readonly string[],
  ) {
    this.clock = options.clock;
    this.nodes = options.nodes;
    this.#serials = serials;
    this.#onMessages = options.onMessages;
    options.nodes.forEach((node, i) => {
      this.#shardOf.set(node.hostname, i % shards.length);
      if (!this.#byName.has(node.hostname.toLowerCase())) this.#byName.set(node.hostname.toLowerCase(), node);
    });
    this.#shards = shards;
    this.#transport = metered.transport;
    this.#metered = metered;
    this.exchanges = metered.counts;
    this.#onProblem = options.onProblem ?? ((line) => process.stderr.write(`${line}\n`));
    this.#ready = shards.map(() => []);
  }

  /** Starts the shards (each boots its devices) and runs the first round at the clock's now. */
  static async start(options: ShardedFleetOptions): Promise<ShardedFleet> {
    const { clock, cloud, nodes } = options;
    if (clock.mode !== 'stepped') throw new Error('[lab] a sharded fleet needs a stepped clock (rounds move it)');
    const count = Math.max(1, Math.min(options.shards ?? 2, nodes.length || 1));
    const firstStart = options.firstStart ?? clock.now();
    const serials = fleetSerials(nodes, firstStart);
    const shards: Shard[] = [];
    for (let shard = 0; shard < count; shard++) {
      // Round-robin: groups come in file order, so contiguous blocks would give one shard all of a kind.
      const indices = nodes.map((_, i) => i).filter((i) => i % count === shard);
      shards.push(
        new Shard({
          shard,
          nodes: indices.map((i) => nodes[i]!),
          indices,
          serials: indices.map((i) => serials[i]!),
          firstStart,
          start: clock.now(),
          caPem: cloud.caPem,
          told: [...(options.told ?? [])],
          storage: options.storage,
          events: options.keepEvents ?? false,
          syslogHosts: [...(options.syslogHosts ?? [])],
          syslogTlsCa: options.syslogTlsCa && [...options.syslogTlsCa],
          syslogRate: options.syslogRate === undefined ? undefined : options.syslogRate / count,
          trapHosts: [...(options.trapHosts ?? [])],
        }),
      );
    }
    const layer = options.transportLayer ?? ((t: CloudTransport) => t);
    const metered = meteredTransport(layer(createInProcessTransport((r) => cloud.app.handle(r))));
    const fleet = new ShardedFleet(options, shards, metered, serials);
    try {
      await fleet.#round(clock.now());
    } catch (err) {
      await fleet.close();
      throw err;
    }
    return fleet;
  }

  /** Moves lab time to `t`, round by round, firing every timer due on the way in every shard and here. */
  async advanceTo(t: number): Promise<void> {
    for (;;) {
      const due = this.#nextDue();
      if (due === undefined || due > t) break;
      await this.#round(Math.max(due, this.clock.now()));
    }
    await this.#round(Math.max(t, this.clock.now()));
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(this.clock.now() + ms);
  }

  /** Every device event kept (keepEvents), in lab time, then fleet order, then each device's sequence. */
  events(): DeviceEvent[] {
    return [...this.#events]
      .sort((a, b) => a.event.labTime - b.event.labTime || a.index - b.index || a.event.seq - b.event.seq)
      .map((e) => e.event);
  }

  eventCount(): number {
    return this.#shards.reduce((n, s) => n + s.eventCount, 0);
  }

  /** Each device's licensing state, in fleet order. */
  async states(): Promise<LicenseState[]> {
    const states: LicenseState[] = [];
    for (const reply of await Promise.all(this.#shards.map((s) => s.call<'states'>({ type: 'states' }))))
      for (const { index, state } of reply.states) states[index] = state;
    return states;
  }

  /** One IOS line on each selected device (lab exec): in fleet order. Throws SelectorError on a bad selector. */
  async exec(select: string, command: string): Promise<ExecResult[]> {
    const hit = selectNodes(
      this.nodes.map((node) => ({ node })),
      parseSelector(select),
    ).map(({ node }) => node.hostname);
    const replies = await Promise.all(
      this.#shards.map((s, k) =>
        s.call<'exec'>({ type: 'exec', hostnames: hit.filter((h) => this.#shardOf.get(h) === k), command }),
      ),
    );
    const results = new Map(replies.flatMap((r) => r.results).map((r) => [r.hostname, r]));
    return hit.map((h) => results.get(h)!);
  }

  /** Tab on a device's console; undefined for a hostname the fleet does not have. */
  async complete(hostname: string, line: string): Promise<(Completion & { prompt: string }) | undefined> {
    const held = this.#holder(hostname);
    if (!held) return undefined;
    return (await held.shard.call<'complete'>({ type: 'complete', hostname: held.hostname, line })).completion;
  }

  /** Calls `listener` with each line the device prints from now on (as rounds bring them); returns the stop. */
  watch(hostname: string, listener: (line: string) => void): (() => void) | undefined {
    const held = this.#holder(hostname);
    if (!held) return undefined;
    const { shard } = held;
    const listeners = this.#watchers.get(held.hostname) ?? new Set();
    if (listeners.size === 0) shard.post({ type: 'watch', hostname: held.hostname, on: true });
    listeners.add(listener);
    this.#watchers.set(held.hostname, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) shard.post({ type: 'watch', hostname: held.hostname, on: false });
    };
  }

  /** The device's MIB for an SNMP read with `community`, from its shard; undefined for a hostname not here. */
  async mib(hostname: string, community: string, labCommunity: string | undefined): Promise<MibTable | undefined> {
    const held = this.#holder(hostname);
    if (!held) return undefined;
    return (await held.shard.call<'mib'>({ type: 'mib', hostname: held.hostname, community, labCommunity })).table;
  }

  /** What lab faults act on: device faults happen in the devices' shards at the next round. */
  faultTargets(): FaultTargets {
    return {
      members: () => this.nodes.map((node, i) => ({ node, sn: this.#serials[i]! })),
      act: (hostnames, action) => {
        for (const hostname of hostnames)
          this.#shards[this.#shardOf.get(hostname)!]?.actions.push({ hostname, action });
      },
    };
  }

  /** Calls `observer` with every exchange the cloud answers from now on (operation, outcome, host ms). */
  onExchange(observer: ExchangeObserver): void {
    this.#metered.observe(observer);
  }

  /** Hostnames told to register so far, in fleet order. */
  told(): string[] {
    const told = new Set(this.#shards.flatMap((s) => s.told));
    return this.nodes.map((n) => n.hostname).filter((h) => told.has(h));
  }

  shardCount(): number {
    return this.#shards.length;
  }

  /** Stops every shard; what their senders did (a shard that broke counts nothing). */
  async close(): Promise<WireSendCounts> {
    if (this.#closed) return NO_WIRE_SENDS;
    this.#closed = true;
    const closed = await Promise.allSettled(this.#shards.map((s) => s.call<'closed'>({ type: 'close' })));
    await Promise.allSettled(this.#shards.map((s) => s.worker.terminate()));
    return sumWire(closed.flatMap((c) => (c.status === 'fulfilled' ? [c.value.wire] : [])));
  }

  /** The shard holding a device, by its topology hostname in any case (an SNMP walk asks per request). */
  #holder(hostname: string): { shard: Shard; hostname: string } | undefined {
    const node = this.#byName.get(hostname.toLowerCase());
    return node && { shard: this.#shards[this.#shardOf.get(node.hostname)!]!, hostname: node.hostname };
  }

  #nextDue(): number | undefined {
    // A shard with device faults queued is due now.
    const dues = [
      this.clock.nextDue(),
      ...this.#shards.map((s) => (s.actions.length > 0 ? this.clock.now() : s.nextDue)),
    ].filter((d) => d !== undefined);
    return dues.length ? Math.min(...dues) : undefined;
  }

  /** One instant: this thread's timers, then steps and cloud passes until every shard is quiet at `t`. */
  async #round(t: number): Promise<void> {
    await this.clock.advanceTo(t);
    let answers = this.#takeReady();
    for (;;) {
      const replies = await Promise.all(
        this.#shards.map((s, k) =>
          s.call<'stepped'>({ type: 'step', t, answers: answers[k]!, actions: s.actions.splice(0) }),
        ),
      );
      const requests: { shard: number; request: ShardRequest }[] = [];
      replies.forEach((reply, k) => {
        const shard = this.#shards[k]!;
        shard.nextDue = reply.nextDue;
        shard.told = reply.told;
        this.#onMessages?.(reply.eventCount - shard.eventCount, reply.trapCount - shard.trapCount);
        shard.eventCount = reply.eventCount;
        shard.trapCount = reply.trapCount;
        for (const { hostname, line } of reply.watched)
          for (const listener of this.#watchers.get(hostname) ?? []) listener(line);
        for (const e of reply.events) this.#events.push(e);
        for (const line of reply.problems) this.#onProblem(line);
        for (const request of reply.requests) requests.push({ shard: k, request });
      });
      if (requests.length === 0) break;
      // Stable: one device's requests keep the order it sent them.
      requests.sort((x, y) => x.request.index - y.request.index);
      for (let i = 0; i < requests.length; i += PASS) await this.#pass(requests.slice(i, i + PASS));
      answers = this.#takeReady();
    }
  }

  /**
   * Requests sent to the cloud together in fleet order: the store takes their transactions in the order
   * they arrive (one group commit) and nothing here depends on thread timing. The answers go to their
   * shards at once, so devices read them while the cloud works on the next pass. An answer held back in lab
   * time (a latency fault, a cloud fault's delay) arms one timer on this thread's clock: once every other
   * request has its answer, those left are handed over when a later round reaches their time.
   */
  async #pass(requests: { shard: number; request: ShardRequest }[]): Promise<void> {
    const pendingBefore = this.clock.pending();
    const answers: (ShardAnswer | undefined)[] = [];
    let open = requests.length;
    let late = false;
    requests.forEach(({ shard, request }, i) => {
      void this.#transport.send(toRequest(request)).then((result) => {
        open--;
        const answer = toAnswer(request.id, result);
        if (!late) answers[i] = answer;
        else this.#ready[shard]!.push(answer);
      });
    });
    while (open > 0 && this.clock.pending() - pendingBefore < open) await immediate();
    const byShard: ShardAnswer[][] = this.#shards.map(() => []);
    requests.forEach(({ shard }, i) => {
      if (answers[i] !== undefined) byShard[shard]!.push(answers[i]);
    });
    // From here on, an answer is late: ready for a later round.
    late = true;
    byShard.forEach((list, k) => {
      if (list.length > 0) this.#shards[k]!.post({ type: 'answers', answers: list });
    });
  }

  #takeReady(): ShardAnswer[][] {
    return this.#ready.map((list) => list.splice(0));
  }
}
