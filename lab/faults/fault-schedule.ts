/**
 * The lab's faults over virtual time: each added fault starts `at` after now (immediately by default),
 * picks its devices by selector when it starts, and ends after `for` (network faults without `for` last
 * until cleared). Every start and end is a lab event (FaultEvent), in lab-time order with the devices'.
 */
import { Value } from '@sinclair/typebox/value';
import type { TimerId } from '#protocol';
import type { LabClock } from '../clock/index.ts';
import { parseDuration } from '../fleet/duration.ts';
import type { FleetMember } from '../fleet/fleet.ts';
import type { FleetNode } from '../fleet/topology.ts';
import { parseSelector, selectNodes } from '../fleet/selector.ts';
import { UsageError } from '../usage-error.ts';
import type { LabCloud } from '../lab-cloud.ts';
import { faultLengthMs, FaultSpecSchema, ONCE_FAULTS, type Fault, type FaultSpec } from './fault-spec.ts';
import { applyDeviceAction, type DeviceAction } from './device-action.ts';
import type { FaultTransportLayer } from './fault-transport.ts';
import type { SavedFault } from './resumed-faults.ts';

export interface FaultEvent {
  labTime: number;
  type: 'fault.start' | 'fault.end';
  id: string;
  kind: FaultSpec['kind'];
  select: string;
  devices: number;
  /** One line for the lab's log. */
  line: string;
}

/** The devices faults act on: the fleet in this thread, or spread over shards. */
export interface FaultTargets {
  /** Every device with its node (selectors read it) and serial number (network faults key on it). */
  members(): readonly { node: FleetNode; sn: string }[];
  act(hostnames: readonly string[], action: DeviceAction): void;
}

/** The targets of a fleet in this thread. */
export function fleetTargets(members: () => readonly FleetMember[]): FaultTargets {
  const named = (hostnames: readonly string[]) => {
    const wanted = new Set(hostnames);
    return members().filter((m) => wanted.has(m.node.hostname));
  };
  return {
    members: () => members().map(({ node, device }) => ({ node, sn: device.udi.sn })),
    act: (hostnames, action) => named(hostnames).forEach(({ device }) => applyDeviceAction(device, action)),
  };
}

export interface FaultScheduleDeps {
  clock: LabClock;
  targets: FaultTargets;
  network: FaultTransportLayer;
  /** Where cloud faults act; without it they end at once, saying so. */
  cloud?: Pick<LabCloud, 'revokeToken' | 'removeLicenses' | 'restart'>;
  onEvent?: (event: FaultEvent) => void;
  /** Picks the devices of shares without their own seed (`10%`): a scenario run's `--seed`; default 0. */
  seed?: number;
}

interface Entry {
  fault: Fault;
  timer?: TimerId;
  /** What sets things right at the end: holds released, a skewed clock corrected. */
  undo?: () => void;
  /** Started before a resume: its start is not done again. */
  underWay: boolean;
  /** Added while the lab ran (not by its topology): kept in lab.json across a restart. */
  kept: boolean;
}

export interface AddOptions {
  /** A fault resumed after a restart that had started then (resumed-faults.ts): its start is not done again. */
  startedAt?: number;
  /** The topology's faults are not kept: the topology gives them again at every start. */
  fromTopology?: boolean;
}

const ms = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : parseDuration(v)!;

/** A spec from any source (CLI flags, the control API, a topology), checked; throws UsageError naming the problem. */
export function checkFaultSpec(value: unknown): FaultSpec {
  const first = Value.Errors(FaultSpecSchema, value).First();
  if (first) {
    const field = first.path.slice(1).replace(/\//g, '.');
    throw new UsageError(
      `fault${field ? ` ${field}` : ''}: ${first.message.toLowerCase()}${first.value !== undefined ? `, got ${JSON.stringify(first.value)}` : ''}`,
    );
  }
  const spec = value as FaultSpec;
  try {
    parseSelector(spec.select);
  } catch (err) {
    throw new UsageError(`fault select: ${(err as Error).message}`);
  }
  if (ONCE_FAULTS.includes(spec.kind) && spec.for !== undefined)
    throw new UsageError(
      `fault ${spec.kind} happens once; "for" belongs to network faults, clock-skew and cloud-restart`,
    );
  if ((spec.kind === 'clock-jump' || spec.kind === 'clock-skew') && !spec.ms)
    throw new UsageError(`fault ${spec.kind} needs ms (negative: back in time)`);
  if (spec.kind === 'cloud-restart' && spec.select.trim() !== 'all')
    throw new UsageError('fault cloud-restart stops the cloud for every device: select all');
  if (spec.quantity !== undefined && spec.kind !== 'licenses-removed')
    throw new UsageError(`fault ${spec.kind} takes no quantity; licenses-removed does`);
  return spec;
}

export class FaultSchedule {
  readonly #deps: FaultScheduleDeps;
  readonly #faults = new Map<string, Entry>();
  readonly #events: FaultEvent[] = [];
  #next = 1;

  constructor(deps: FaultScheduleDeps) {
    this.#deps = deps;
  }

  add(value: unknown, options: AddOptions = {}): Fault {
    const spec = checkFaultSpec(value);
    const { clock } = this.#deps;
    const at = ms(spec.at) ?? 0;
    const length = faultLengthMs(spec);
    const fault: Fault = {
      id: `f${this.#next++}`,
      spec,
      startsAt: options.startedAt ?? clock.now() + at,
      endsAt: length === undefined ? undefined : clock.now() + at + length,
      state: 'scheduled',
      devices: [],
    };
    const entry: Entry = { fault, underWay: options.startedAt !== undefined, kept: options.fromTopology !== true };
    this.#faults.set(fault.id, entry);
    // A fault for now starts now, before any exchange already on its way in this tick.
    if (at === 0) this.#start(entry, length);
    else entry.timer = clock.setTimeout(() => this.#start(entry, length), at);
    return { ...fault };
  }

  /** The faults added while the lab ran and not over yet, as lab.json keeps them. */
  saved(): SavedFault[] {
    return [...this.#faults.values()]
      .filter((e) => e.kept && e.fault.state !== 'ended')
      .map(({ fault: { spec, startsAt, endsAt } }) => {
        const { at: _at, for: _for, ...rest } = spec;
        return { spec: rest, startsAt, ...(endsAt !== undefined ? { endsAt } : {}) };
      });
  }

  list(): Fault[] {
    return [...this.#faults.values()].map((e) => ({ ...e.fault, devices: [...e.fault.devices] }));
  }

  /** Faults active now (for the metrics). */
  active(): number {
    return [...this.#faults.values()].filter((e) => e.fault.state === 'active').length;
  }

  events(): readonly FaultEvent[] {
    return this.#events;
  }

  /** Ends (or cancels) one fault, or every fault; returns how many. */
  clear(id?: string): number {
    const entries =
      id === undefined ? [...this.#faults.values()] : [this.#faults.get(id)].filter((e) => e !== undefined);
    if (id !== undefined && entries.length === 0) throw new UsageError(`no fault ${id}; lab fault list shows them`);
    for (const entry of entries) {
      if (entry.timer !== undefined) this.#deps.clock.clearTimeout(entry.timer);
      if (entry.fault.state === 'active') this.#end(entry);
      this.#faults.delete(entry.fault.id);
    }
    return entries.length;
  }

  #start(entry: Entry, length: number | undefined): void {
    const { fault } = entry;
    const { spec } = fault;
    const { targets } = this.#deps;
    const hit = selectNodes(targets.members(), parseSelector(spec.select), this.#deps.seed);
    fault.devices = hit.map((m) => m.node.hostname);
    fault.state = 'active';
    this.#emit(
      'fault.start',
      fault,
      `fault ${fault.id} ${spec.kind} started on ${hit.length} devices (${spec.select})`,
    );
    const hold = () => {
      const sns = hit.map((m) => m.sn);
      for (const sn of sns) this.#deps.network.hold(sn, { id: fault.id, spec });
      entry.undo = () => sns.forEach((sn) => this.#deps.network.release(sn, fault.id));
    };
    const lastFor = () => {
      if (length !== undefined) entry.timer = this.#deps.clock.setTimeout(() => this.#finish(entry), length);
    };
    switch (spec.kind) {
      case 'reload':
      case 'power-loss':
      case 'storage-corruption':
        targets.act(fault.devices, { kind: spec.kind });
        return this.#finish(entry);
      case 'clock-jump':
        targets.act(fault.devices, { kind: 'clock-jump', ms: spec.ms! });
        return this.#finish(entry);
      case 'clock-skew': {
        const devices = fault.devices;
        if (!entry.underWay) targets.act(devices, { kind: 'clock-jump', ms: spec.ms! });
        entry.undo = () => targets.act(devices, { kind: 'clock-jump', ms: -spec.ms! });
        return lastFor();
      }
      case 'token-revoked': {
        const tokens = [...new Set(hit.flatMap(({ node }) => (node.cloud.token ? [node.cloud.token] : [])))];
        return this.#inCloud(entry, async (cloud) => {
          await Promise.all(tokens.map((t) => cloud.revokeToken(t)));
          return `${tokens.length} tokens revoked`;
        });
      }
      case 'licenses-removed': {
        const udis = hit.map(({ node, sn }) => `PID:${node.pid},SN:${sn}`);
        return this.#inCloud(entry, async (cloud) => {
          const { licenses, pools } = await cloud.removeLicenses(udis, spec.quantity);
          return `${licenses} licenses removed from ${pools} pools`;
        });
      }
      case 'cloud-restart':
        // Down for everyone at once; the restart itself (store closed, reopened) happens behind that.
        hold();
        lastFor();
        if (!entry.underWay) this.#inCloud(entry, async (cloud) => void (await cloud.restart()), true);
        return;
      default:
        hold();
        return lastFor();
    }
  }

  /**
   * A cloud fault's work; the fault ends when it is done (saying how it went), or, for one that lasts,
   * only says so on failure and ends early.
   */
  #inCloud(
    entry: Entry,
    work: (cloud: NonNullable<FaultScheduleDeps['cloud']>) => Promise<string | void>,
    lasting = false,
  ): void {
    const { cloud } = this.#deps;
    if (!cloud) return this.#finish(entry, ': this lab has no cloud of its own to act on');
    work(cloud).then(
      (detail) => {
        if (!lasting) this.#finish(entry, detail ? `: ${detail}` : '');
      },
      (err: unknown) => {
        if (entry.timer !== undefined) this.#deps.clock.clearTimeout(entry.timer);
        this.#finish(entry, `: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  /** A fault that has run its course: ended and forgotten. */
  #finish(entry: Entry, detail = ''): void {
    if (entry.fault.state !== 'active') return;
    this.#end(entry, detail);
    this.#faults.delete(entry.fault.id);
  }

  #end(entry: Entry, detail = ''): void {
    entry.undo?.();
    entry.fault.state = 'ended';
    this.#emit('fault.end', entry.fault, `fault ${entry.fault.id} ${entry.fault.spec.kind} ended${detail}`);
  }

  #emit(type: FaultEvent['type'], fault: Fault, line: string): void {
    const event: FaultEvent = {
      labTime: this.#deps.clock.now(),
      type,
      id: fault.id,
      kind: fault.spec.kind,
      select: fault.spec.select,
      devices: fault.devices.length,
      line,
    };
    this.#events.push(event);
    try {
      this.#deps.onEvent?.(event);
    } catch {
      // A failing listener (a closed log) never stops the faults.
    }
  }
}
