/**
 * A fleet shard: a worker thread that runs part of a fleet on its own stepped clock, which follows the
 * main thread's. Its devices' requests do not go anywhere by themselves: they wait in an outbox until the
 * main thread collects them at the end of a step, runs them through the cloud in fleet order, and brings
 * the answers with the next step. So what a device sees depends on lab time and the fleet's order only,
 * never on which shard it lives in or how fast the threads run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  SnmpTrapSender,
  SqliteBackend,
  SyslogSender,
  type CloudTransport,
  type DeviceEvent,
  type TransportResult,
} from '#devices';
import { syslogWire } from '../collectors/syslog-forwarding.ts';
import { trapWire } from '../collectors/trap-forwarding.ts';
import { hostPace, LabClock } from '../clock/index.ts';
import { udiString } from '#protocol';
import { applyDeviceAction } from '../faults/device-action.ts';
import { requestSn } from '../faults/fault-transport.ts';
import { Fleet } from '../fleet/fleet.ts';
import { completeOn, execEach } from '../fleet/fleet-console.ts';
import { licenseStateOf } from '../fleet/fleet-summary.ts';
import { createLab } from '../lab.ts';
import { mibFor } from '../snmp/device-community.ts';
import {
  fromAnswer,
  type HostAction,
  type FromShard,
  type ShardAnswer,
  type ShardDelivery,
  type ShardEvent,
  type ShardInit,
  type ShardRequest,
  type ToShard,
} from './shard-protocol.ts';

const init = workerData as ShardInit;
const port = parentPort!;
const clock = LabClock.create({ mode: 'stepped', start: init.start });

/** SN → fleet index: requests carry the SN in their signed body. */
const indexOf = new Map(init.serials.map((sn, i) => [sn, init.indices[i]!]));

const outbox: ShardRequest[] = [];
const waiting = new Map<number, (result: TransportResult) => void>();
let nextId = 1;
const toMain: CloudTransport = {
  description: 'the lab cloud (main thread)',
  send(req) {
    const id = nextId++;
    outbox.push({
      id,
      index: indexOf.get(requestSn(req.body) ?? '') ?? -1,
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: req.body,
    });
    return new Promise((resolve) => waiting.set(id, resolve));
  },
  async close() {},
};

/** Kept events; their fleet index is looked up by UDI when a step hands them over (boot events come first). */
const events: DeviceEvent[] = [];
const problems: string[] = [];
let eventCount = 0;
const storage = init.storage === undefined ? undefined : new SqliteBackend(init.storage);
const syslog = new SyslogSender({
  onProblem: (line) => problems.push(`[lab] ${line}`),
  ...(init.syslogTlsCa ? { tlsCa: init.syslogTlsCa } : {}),
  ...(init.syslogRate ? { pace: hostPace(init.syslogRate) } : {}),
});
const traps = new SnmpTrapSender({ onProblem: (line) => problems.push(`[lab] ${line}`) });
const lab = await createLab({
  clock,
  cloud: { kind: 'transport', transport: toMain, trustAnchorPem: init.caPem, location: 'the lab cloud' },
  ...(storage ? { storage } : {}),
  onProblem: (line) => problems.push(line),
  syslog: syslogWire(syslog, init.syslogHosts),
  traps: trapWire(traps, init.trapHosts),
});
const watched: { hostname: string; line: string }[] = [];
let trapCount = 0;
lab.onEvent((event: DeviceEvent) => {
  eventCount++;
  if (event.trap) trapCount++;
  if (init.events) events.push(event);
});
const fleet = new Fleet(
  lab,
  { nodes: init.nodes },
  { firstStart: init.firstStart, told: init.told, serials: init.serials, onProblem: (line) => problems.push(line) },
);

const byHostname = new Map(fleet.members.map((m) => [m.node.hostname, m]));
const indexOfUdi = new Map(fleet.members.map((m, i) => [udiString(m.device.udi), init.indices[i]!]));
const handOver = (): ShardEvent[] => events.splice(0).map((event) => ({ index: indexOfUdi.get(event.udi)!, event }));
/** Watched devices' sinks, by the node's hostname (the device may have been renamed since). */
const watches = new Map<string, (event: DeviceEvent) => void>();

function watch(hostname: string, on: boolean): void {
  const device = byHostname.get(hostname)?.device;
  const sink = watches.get(hostname);
  if (sink) device?.log.removeSink(sink);
  watches.delete(hostname);
  if (!on || !device) return;
  const next = (event: DeviceEvent) => void watched.push({ hostname, line: event.line });
  device.log.addSink(next);
  watches.set(hostname, next);
}

function act(actions: readonly HostAction[]): void {
  for (const { hostname, action } of actions) {
    const device = byHostname.get(hostname)?.device;
    if (device) applyDeviceAction(device, action);
  }
}

function deliver(answers: readonly ShardAnswer[]): void {
  for (const a of answers) {
    const resolve = waiting.get(a.id);
    waiting.delete(a.id);
    resolve?.(fromAnswer(a));
  }
}

async function answer(message: ToShard): Promise<FromShard> {
  switch (message.type) {
    case 'step': {
      // Answers held back in lab time arrive at t: time gets there first, then they are read, then
      // whatever they armed for t fires.
      await clock.advanceTo(message.t);
      if (message.answers.length > 0 || message.actions.length > 0) {
        deliver(message.answers);
        act(message.actions);
        await clock.advanceTo(message.t);
      }
      const stepped: FromShard = {
        type: 'stepped',
        call: message.call,
        requests: outbox.splice(0),
        events: handOver(),
        eventCount,
        trapCount,
        watched: watched.splice(0),
        nextDue: clock.nextDue(),
        told: fleet.told(),
        problems: problems.splice(0),
      };
      return stepped;
    }
    case 'states':
      return {
        type: 'states',
        call: message.call,
        states: fleet.members.map((m, i) => ({ index: init.indices[i]!, state: licenseStateOf(m.device) })),
      };
    case 'exec': {
      const wanted = new Set(message.hostnames);
      const members = fleet.members.filter((m) => wanted.has(m.node.hostname));
      return { type: 'exec', call: message.call, results: execEach(members, message.command) };
    }
    case 'complete': {
      const member = byHostname.get(message.hostname);
      return { type: 'complete', call: message.call, completion: member && completeOn(member, message.line) };
    }
    case 'mib': {
      // The main thread names the device by its exact topology hostname.
      const device = byHostname.get(message.hostname)?.device;
      return {
        type: 'mib',
        call: message.call,
        table: device && mibFor(device.view(), message.community, message.labCommunity),
      };
    }
    case 'close':
      await lab.close();
      await Promise.all([syslog.close(), traps.close()]);
      storage?.close();
      clock.dispose();
      return { type: 'closed', call: message.call, wire: { syslog: syslog.counts(), traps: traps.counts() } };
  }
}

port.on('message', (message: ToShard | ShardDelivery) => {
  if (message.type === 'answers') return deliver(message.answers);
  if (message.type === 'watch') return watch(message.hostname, message.on);
  answer(message).then(
    (reply) => port.postMessage(reply),
    (err: unknown) =>
      port.postMessage({
        type: 'failed',
        call: message.call,
        message: err instanceof Error ? err.message : String(err),
      } satisfies FromShard),
  );
});
