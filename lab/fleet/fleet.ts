/**
 * A fleet: the devices a topology describes, on one lab. Serial numbers come from each node's sequence and
 * the lab's first start, so every `lab up` of the same topology gives the same UDIs and each device finds
 * its trusted storage again. Registration is typed on each device at its arrival time, as an operator or
 * zero-touch provisioning would; a device the lab already told (or that is registered) is not told again.
 */
import { findPlatform, generateSerial, type VirtualDevice } from '#devices';
import { MINUTE } from '#protocol';
import type { DeviceSpec } from '../lab.ts';
import type { LocalLab } from '../local-lab.ts';
import type { FleetNode, Topology } from './topology.ts';

export interface FleetMember {
  readonly node: FleetNode;
  readonly device: VirtualDevice;
}

export interface FleetOptions {
  /** Lab time of the lab's first start: arrivals count from it, serials encode it. */
  firstStart: number;
  /** Hostnames already told to register in an earlier run. */
  told?: Iterable<string>;
  /** A registration command the device refused (`% …`), one line. */
  onProblem?: (line: string) => void;
  /** The nodes' serial numbers when the fleet is part of a larger one (a shard): fleetSerials() of the whole. */
  serials?: readonly string[];
  /** XState inspection of every device's agent (a scenario run's coverage). */
  inspect?: DeviceSpec['inspect'];
}

/** How long a device that is reloading at its arrival waits before the lab tries again. */
const BUSY_RETRY_MS = 5 * MINUTE;

/** Sequences that give distinct serials: models share factory prefixes, so one sequence can clash across PIDs. */
export function fleetSerials(nodes: readonly FleetNode[], firstStart: number): string[] {
  const taken = new Set<string>();
  return nodes.map((node) => {
    const platform = findPlatform(node.pid);
    for (let sequence = node.serialSequence; ; sequence++) {
      const sn = generateSerial(platform, { manufacturedAt: firstStart, sequence });
      if (!taken.has(sn)) {
        taken.add(sn);
        return sn;
      }
    }
  });
}

export class Fleet {
  readonly #members: FleetMember[];
  readonly #lab: LocalLab;
  readonly #told: Set<string>;
  readonly #options: FleetOptions;
  /** Serial numbers the fleet's chassis have had, replaced ones included: a new chassis gets another. */
  readonly #serials: Set<string>;

  constructor(lab: LocalLab, topology: Pick<Topology, 'nodes'>, options: FleetOptions) {
    this.#lab = lab;
    this.#options = options;
    this.#told = new Set(options.told ?? []);
    const sns = options.serials ?? fleetSerials(topology.nodes, options.firstStart);
    this.#serials = new Set(sns);
    this.#members = topology.nodes.map((node, i) => ({
      node,
      device: this.#device(node, sns[i]!, options.firstStart),
    }));
    for (const member of this.#members) this.#prepare(member);
  }

  /** In topology order; a replaced chassis (replace()) takes its place, so one array stays current. */
  get members(): readonly FleetMember[] {
    return this.#members;
  }

  /**
   * An RMA: the chassis of `hostname` fails for good and a new one (another serial, built now; another PID
   * if given) takes its place with the node's settings, and registers with the node's token at once.
   */
  replace(hostname: string, pid?: string): FleetMember {
    const i = this.#members.findIndex((m) => m.node.hostname === hostname);
    if (i < 0) throw new Error(`no device ${hostname} in this fleet`);
    const old = this.#members[i]!;
    old.device.stop();
    const node = pid === undefined ? old.node : { ...old.node, pid };
    const builtAt = this.#lab.clock.now();
    const platform = findPlatform(node.pid);
    let sequence = node.serialSequence;
    let sn = generateSerial(platform, { manufacturedAt: builtAt, sequence });
    while (this.#serials.has(sn)) sn = generateSerial(platform, { manufacturedAt: builtAt, sequence: ++sequence });
    this.#serials.add(sn);
    const member = {
      node: { ...node, arrivalMs: builtAt - this.#options.firstStart },
      device: this.#device(node, sn, builtAt),
    };
    this.#members[i] = member;
    this.#told.delete(hostname);
    this.#prepare(member);
    return member;
  }

  #device(node: FleetNode, sn: string, manufacturedAt: number): VirtualDevice {
    const options = this.#options;
    return this.#lab.device({
      pid: node.pid,
      sn,
      hostname: node.hostname,
      manufacturedAt,
      ...(node.release !== undefined ? { release: node.release } : {}),
      ...(node.bootLevel !== undefined ? { bootLevel: node.bootLevel } : {}),
      ...(node.addon !== undefined ? { addon: node.addon } : {}),
      ...(Object.keys(node.timers).length > 0 ? { timers: node.timers } : {}),
      ...(node.logging ? { logging: node.logging } : {}),
      ...(node.snmp ? { snmp: node.snmp } : {}),
      address: fleetAddress(node.serialSequence),
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
  }

  /** Hostnames told to register so far (kept in the lab's state between runs). */
  told(): string[] {
    return [...this.#told];
  }

  /** A dual-mode image asked to run Smart Licensing: enabled, saved and reloaded once, as an operator would. */
  #prepare(member: FleetMember): void {
    const { node, device } = member;
    if (node.licensing === 'slp') return this.#prepareSlp(member);
    if (node.licensing === 'smart' && device.agentState()?.mode !== 'smart' && device.release.modes.includes('smart')) {
      device.license({ type: 'license.enable' });
      device.writeMemory();
      device.reload();
    }
    if (node.licensing !== 'smart' || node.cloud.token === undefined || this.#told.has(node.hostname)) return;
    const clock = this.#lab.clock;
    clock.setTimeout(
      () => this.#register(member),
      Math.max(0, this.#options.firstStart + node.arrivalMs - clock.now()),
    );
  }

  /**
   * An SLP device: its factory reporting configuration set and saved at its first start; on Smart transport
   * with a token, trust installed at its arrival (`license smart trust idtoken … local`).
   */
  #prepareSlp(member: FleetMember): void {
    const { node, device } = member;
    if (this.#told.has(node.hostname)) return;
    if (node.slp) {
      device.setSlpConfig(node.slp);
      device.writeMemory();
    }
    if (node.slp?.transport !== 'smart' || node.cloud.token === undefined) return void this.#told.add(node.hostname);
    const clock = this.#lab.clock;
    clock.setTimeout(() => this.#trust(member), Math.max(0, this.#options.firstStart + node.arrivalMs - clock.now()));
  }

  #register(member: FleetMember): void {
    this.#tell(member, 'smart', (device) =>
      device.smart().registration.status === 'registered'
        ? undefined
        : `license smart register idtoken ${member.node.cloud.token}`,
    );
  }

  #trust(member: FleetMember): void {
    this.#tell(member, 'slp', (device) =>
      device.slp()?.trust ? undefined : `license smart trust idtoken ${member.node.cloud.token} local`,
    );
  }

  /** Types `command` once the device runs its `mode` agent (retried while it reloads); a refusal is reported. */
  #tell(member: FleetMember, mode: 'smart' | 'slp', command: (device: VirtualDevice) => string | undefined): void {
    const { node, device } = member;
    if (device.state !== 'running' || device.agentState()?.mode !== mode) {
      this.#lab.clock.setTimeout(() => this.#tell(member, mode, command), BUSY_RETRY_MS);
      return;
    }
    this.#told.add(node.hostname);
    const line = command(device);
    if (line === undefined) return;
    const output = device.exec(line);
    // IOS marks a refused command with a `%` line (after a `^` marker line for bad input).
    if (/^%/m.test(output)) this.#options.onProblem?.(`[${node.hostname}] ${output.trim().replace(/\s*\n\s*/g, ' ')}`);
  }
}

/** The n-th device's management address (n from 1): 10.0.0.1, …, 10.0.0.254, 10.0.1.1, … (16 million of them). */
function fleetAddress(n: number): string {
  const block = Math.floor((n - 1) / 254);
  return `10.${(block >> 8) & 255}.${block & 255}.${((n - 1) % 254) + 1}`;
}
