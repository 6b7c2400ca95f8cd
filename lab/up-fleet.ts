/**
 * The fleet `lab up` runs, in one of two places: in this thread on a LocalLab (small labs, a remote cloud),
 * or spread over worker threads under the same virtual clock (`--shards`, lab/shards/). Both offer what the
 * summary, the control API and the faults need, so `lab up` itself does not care which it has.
 */
import {
  findPlatform,
  SqliteBackend,
  SnmpTrapSender,
  SyslogSender,
  type Completion,
  type CloudTransport,
  type MibTable,
  type SyslogHost,
  type TrapTarget,
} from '#devices';
import { syslogWire } from './collectors/syslog-forwarding.ts';
import { trapWire } from './collectors/trap-forwarding.ts';
import type { WireSendCounts } from './collectors/wire-counts.ts';
import type { CloudApp } from '#cloud';
import { hostPace, type LabClock } from './clock/index.ts';
import type { ExchangeCounts, ExchangeObserver } from './exchange-meter.ts';
import { fleetTargets, type FaultTargets } from './faults/fault-schedule.ts';
import { Fleet } from './fleet/fleet.ts';
import { completeOn, execOn, memberNamed, type ExecResult } from './fleet/fleet-console.ts';
import { deviceRows, type DeviceRow, type LicenseState } from './fleet/fleet-summary.ts';
import type { FleetNode, Topology } from './fleet/topology.ts';
import { openInProcessCloud, type InProcessCloudOptions } from './in-process-cloud.ts';
import { createLab, type LabCloudOptions } from './lab.ts';
import type { LocalLab } from './local-lab.ts';
import type { LabCloud } from './lab-cloud.ts';
import { ShardedFleet } from './shards/sharded-fleet.ts';
import { UsageError } from './usage-error.ts';
import { memberMib } from './snmp/device-community.ts';

export interface UpFleet {
  readonly nodes: readonly FleetNode[];
  readonly exchanges: ExchangeCounts;
  /** The cloud's app when it runs in this process (lab up serves it), and where the cloud is. */
  readonly app: CloudApp | undefined;
  readonly cloudLocation: string;
  /** The cloud as lab faults reach it. */
  readonly cloud: LabCloud;
  /** Worker threads holding the devices; 0 when they run in this thread. */
  readonly shards: number;
  readonly targets: FaultTargets;
  /** Every device's state as of the last refresh(). */
  rows(): DeviceRow[];
  refresh(): Promise<void>;
  /** Moves a stepped clock to `t`. */
  advanceTo(t: number): Promise<void>;
  exec(select: string, command: string): ExecResult[] | Promise<ExecResult[]>;
  complete(hostname: string, line: string): Promise<(Completion & { prompt: string }) | undefined>;
  watch(hostname: string, listener: (line: string) => void): (() => void) | undefined;
  /** The device's MIB for an SNMP read with `community` (lab/snmp/device-community.ts), or undefined. */
  mib(hostname: string, community: string): MibTable | undefined | Promise<MibTable | undefined>;
  onExchange(observer: ExchangeObserver): void;
  /** Messages devices emitted: (syslog lines, traps among them). */
  onMessages(counter: (syslog: number, traps: number) => void): void;
  told(): string[];
  /** Stops the devices; what the devices' senders did, once they have sent what they held. */
  close(): Promise<WireSendCounts>;
}

export interface UpFleetOptions {
  clock: LabClock;
  topology: Topology;
  cloud: LabCloudOptions;
  /** The devices' trusted storage (SQLite file). */
  storage: string;
  firstStart: number;
  told: string[] | undefined;
  transportLayer: (transport: CloudTransport) => CloudTransport;
  onProblem: (line: string) => void;
  /** Where the devices send syslog (the lab's collector, `--syslog` hosts). */
  syslogHosts: readonly SyslogHost[];
  /** Where the devices send SNMP notifications (the lab's trap collector, `--traps` hosts). */
  trapHosts: readonly TrapTarget[];
  /** UDP syslog datagrams per host second, the whole fleet together (shards share it). */
  syslogRate: number;
  /** PEM of the CAs the devices' syslog sender trusts for TLS hosts (collector-tls.ts senderTrust). */
  syslogTlsCa: readonly string[];
  /** The community every device answers on the lab's SNMP agent besides its own; undefined: only its own. */
  labCommunity: string | undefined;
}

/** The fleet in this thread. */
export async function localFleet(options: UpFleetOptions): Promise<UpFleet> {
  const { clock, topology, onProblem } = options;
  const storage = new SqliteBackend(options.storage);
  const syslog = new SyslogSender({
    onProblem: (line) => onProblem(`[lab] ${line}`),
    tlsCa: options.syslogTlsCa,
    pace: hostPace(options.syslogRate),
  });
  const traps = new SnmpTrapSender({ onProblem: (line) => onProblem(`[lab] ${line}`) });
  let lab: LocalLab;
  try {
    lab = await createLab({
      clock,
      cloud: options.cloud,
      storage,
      onProblem,
      transportLayer: options.transportLayer,
      syslog: syslogWire(syslog, options.syslogHosts),
      traps: trapWire(traps, options.trapHosts),
      ...(topology.cslu ? { cslu: topology.cslu } : {}),
      ...(topology.onprem ? { onprem: topology.onprem } : {}),
    });
  } catch (err) {
    storage.close();
    throw err;
  }
  const fleet = new Fleet(lab, topology, {
    firstStart: options.firstStart,
    ...(options.told ? { told: options.told } : {}),
    onProblem,
  });
  return {
    nodes: topology.nodes,
    exchanges: lab.exchanges,
    app: lab.inProcess?.app,
    cloudLocation: lab.cloud.location,
    cloud: lab.cloud,
    shards: 0,
    targets: fleetTargets(() => fleet.members),
    rows: () => deviceRows(fleet.members),
    refresh: async () => {},
    advanceTo: (t) => clock.advanceTo(t),
    exec: (select, command) => execOn(fleet.members, select, command),
    complete: async (hostname, line) => {
      const member = memberNamed(fleet.members, hostname);
      return member && completeOn(member, line);
    },
    watch: (hostname, listener) => {
      const member = memberNamed(fleet.members, hostname);
      if (!member) return undefined;
      const sink = (e: { line: string }) => listener(e.line);
      member.device.log.addSink(sink);
      return () => member.device.log.removeSink(sink);
    },
    mib: (hostname, community) => memberMib(fleet.members, hostname, community, options.labCommunity),
    onExchange: (observer) => void lab.onExchange(observer),
    onMessages: (counter) => void lab.onEvent((e) => counter(1, e.trap ? 1 : 0)),
    told: () => fleet.told(),
    close: async () => {
      try {
        await lab.close();
        await Promise.all([syslog.close(), traps.close()]);
        return { syslog: syslog.counts(), traps: traps.counts() };
      } finally {
        storage.close();
      }
    },
  };
}

/** The fleet over `shards` worker threads, the cloud in this thread (a stepped clock: rounds move it). */
export async function shardedFleet(
  options: UpFleetOptions & { cloud: InProcessCloudOptions; shards: number },
): Promise<UpFleet> {
  const { clock, topology } = options;
  // The lab CSLU lives with the devices it serves; shards would each need their own.
  if (topology.cslu) throw new UsageError("a topology with a lab CSLU ('cslu:') runs in one thread: use --shards 0");
  if (topology.onprem)
    throw new UsageError("a topology with a lab SSM On-Prem ('onprem:') runs in one thread: use --shards 0");
  const cloud = await openInProcessCloud(clock, options.cloud);
  let counter: (syslog: number, traps: number) => void = () => {};
  let fleet: ShardedFleet;
  try {
    fleet = await ShardedFleet.start({
      clock,
      cloud,
      nodes: topology.nodes,
      shards: options.shards,
      firstStart: options.firstStart,
      ...(options.told ? { told: options.told } : {}),
      storage: options.storage,
      transportLayer: options.transportLayer,
      onProblem: options.onProblem,
      onMessages: (syslog, traps) => counter(syslog, traps),
      syslogHosts: options.syslogHosts,
      syslogTlsCa: options.syslogTlsCa,
      syslogRate: options.syslogRate,
      trapHosts: options.trapHosts,
    });
  } catch (err) {
    await cloud.close();
    throw err;
  }
  const families = topology.nodes.map((node) => findPlatform(node.pid).family);
  let states: LicenseState[] = await fleet.states();
  return {
    nodes: topology.nodes,
    exchanges: fleet.exchanges,
    app: cloud.app,
    cloudLocation: cloud.location,
    cloud,
    shards: fleet.shardCount(),
    targets: fleet.faultTargets(),
    rows: () => topology.nodes.map((node, i) => ({ node, state: states[i]!, family: families[i]! })),
    refresh: async () => void (states = await fleet.states()),
    advanceTo: (t) => fleet.advanceTo(t),
    exec: (select, command) => fleet.exec(select, command),
    complete: (hostname, line) => fleet.complete(hostname, line),
    watch: (hostname, listener) => fleet.watch(hostname, listener),
    mib: (hostname, community) => fleet.mib(hostname, community, options.labCommunity),
    onExchange: (observer) => fleet.onExchange(observer),
    onMessages: (c) => void (counter = c),
    told: () => fleet.told(),
    close: async () => {
      try {
        return await fleet.close();
      } finally {
        await cloud.close();
      }
    },
  };
}
