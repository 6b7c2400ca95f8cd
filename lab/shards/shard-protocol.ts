/**
 * What the main thread and a fleet shard (a worker thread holding part of the fleet) say to each other.
 * Everything is plain data (structured clone): requests and answers travel as bytes, never as objects.
 */
import type { Completion, DeviceEvent, MibTable, SyslogHost, TransportResult, TrapTarget } from '#devices';
import type { DeviceRequest } from '#protocol';
import type { WireSendCounts } from '../collectors/wire-counts.ts';
import type { DeviceAction } from '../faults/device-action.ts';
import type { ExecResult } from '../fleet/fleet-console.ts';
import type { LicenseState } from '../fleet/fleet-summary.ts';
import type { FleetNode } from '../fleet/topology.ts';

/** What a shard is started with (workerData). */
export interface ShardInit {
  shard: number;
  /** This shard's part of the fleet, in fleet order, with each node's index in the whole fleet. */
  nodes: FleetNode[];
  indices: number[];
  /** fleetSerials() of the whole fleet, for these nodes. */
  serials: string[];
  firstStart: number;
  /** Lab time the shard's clock starts at: the main clock's now. */
  start: number;
  /** The cloud's CA: devices verify every answer against it. */
  caPem: string;
  told: string[];
  /** SQLite file of the devices' trusted storage (one file, opened by every shard); default memory. */
  storage: string | undefined;
  /** Send every device event to the main thread (a lab that keeps or streams them); else only counts. */
  events: boolean;
  /** Where the shard's devices send syslog (lab/collectors/syslog-forwarding.ts). */
  syslogHosts: SyslogHost[];
  /** Its part of the fleet's UDP syslog budget, datagrams per host second; undefined: unpaced. */
  syslogRate: number | undefined;
  /** PEM of the CAs its syslog sender trusts for TLS hosts; undefined: the system's. */
  syslogTlsCa: string[] | undefined;
  /** Where the shard's devices send SNMP notifications besides their own hosts (trap-forwarding.ts). */
  trapHosts: TrapTarget[];
}

/** A device request on its way to the cloud; `id` is the shard's, `index` the sending device's fleet index. */
export interface ShardRequest {
  id: number;
  index: number;
  method: DeviceRequest['method'];
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export type ShardAnswer = { id: number } & (
  | { ok: true; status: number; headers: Record<string, string>; body: Uint8Array }
  | { ok: false; failure: Extract<TransportResult, { ok: false }>['failure'] }
);

/** A device event, with the fleet index of the device that emitted it. */
export interface ShardEvent {
  index: number;
  event: DeviceEvent;
}

/** A device fault for one device, done at the step's instant after the shard's own timers. */
export type HostAction = { hostname: string; action: DeviceAction };

/** Messages that want no reply: answers for the shard's devices as they arrive, and log watches. */
export type ShardDelivery =
  { type: 'answers'; answers: ShardAnswer[] } | { type: 'watch'; hostname: string; on: boolean };

export type ToShard =
  /** Deliver these answers, then fire every timer due up to `t`; answer with `stepped`. */
  | { type: 'step'; call: number; t: number; answers: ShardAnswer[]; actions: HostAction[] }
  | { type: 'states'; call: number }
  /** One IOS line on each named device of this shard (lab exec, lab console). */
  | { type: 'exec'; call: number; hostnames: string[]; command: string }
  | { type: 'complete'; call: number; hostname: string; line: string }
  /** A device's MIB for an SNMP read (lab/snmp/device-community.ts). */
  | { type: 'mib'; call: number; hostname: string; community: string; labCommunity: string | undefined }
  | { type: 'close'; call: number };

export type FromShard =
  | {
      type: 'stepped';
      call: number;
      requests: ShardRequest[];
      events: ShardEvent[];
      /** Messages emitted so far (counted even when not sent), and those with a trap. */
      eventCount: number;
      trapCount: number;
      /** Lines of watched devices since the last step. */
      watched: { hostname: string; line: string }[];
      /** Due time of the shard's next timer. */
      nextDue: number | undefined;
      told: string[];
      /** Problems that are not a device's own (`[hostname] …`), for the lab's log. */
      problems: string[];
    }
  | { type: 'states'; call: number; states: { index: number; state: LicenseState }[] }
  | { type: 'exec'; call: number; results: ExecResult[] }
  | { type: 'complete'; call: number; completion: (Completion & { prompt: string }) | undefined }
  | { type: 'mib'; call: number; table: MibTable | undefined }
  /** What the shard's senders did, once they have sent what they held. */
  | { type: 'closed'; call: number; wire: WireSendCounts }
  /** The shard could not do what it was asked: the lab stops with this message. */
  | { type: 'failed'; call: number; message: string };

export function toAnswer(id: number, result: TransportResult): ShardAnswer {
  return result.ok
    ? { id, ok: true, status: result.status, headers: result.headers, body: result.body }
    : { id, ok: false, failure: result.failure };
}

export function fromAnswer(answer: ShardAnswer): TransportResult {
  if (!answer.ok) return { ok: false, failure: answer.failure };
  const { body } = answer;
  return {
    ok: true,
    status: answer.status,
    headers: answer.headers,
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  };
}

export function toRequest(request: ShardRequest): DeviceRequest {
  const { body } = request;
  return {
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  };
}
