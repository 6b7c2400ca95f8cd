/** What a step runs against: the lab's clock, its fleet, its faults and cloud, and the wire when asked for. */
import type { CsluService } from '#cloud';
import type { DeviceEvent, VirtualDevice } from '#devices';
import type { Udi } from '#protocol';
import type { LabClock } from '../clock/index.ts';
import type { FaultSchedule } from '../faults/fault-schedule.ts';
import type { FleetMember } from '../fleet/fleet.ts';
import { parseSelector, selectNodes } from '../fleet/selector.ts';
import type { LabCloud } from '../lab-cloud.ts';
import type { WireTap } from './wire-tap.ts';

export interface StepContext {
  clock: LabClock;
  members: readonly FleetMember[];
  faults: FaultSchedule;
  cloud: LabCloud;
  /** The lab's CSLU (`cslu:` of the topology). */
  cslu: CsluService | undefined;
  /** The collectors on the wire, for scenarios with `via: wire` expectations. */
  wire: WireTap | undefined;
  /** The run's seed (`lab run --seed`): which devices shares such as `10%` pick. */
  seed: number;
  /** Fault names (`fault: { name: … }`) to the lab's fault ids, for `clear`. */
  faultIds: Map<string, string>;
  /** An RMA: a new chassis in place of the device (Fleet.replace). */
  replace(hostname: string, pid?: string): FleetMember;
  /** Every message the chassis logged in this run (its `logging buffered` ring keeps only the last ones). */
  events(device: VirtualDevice): readonly DeviceEvent[];
  /** The UDI of the chassis the last `rma` step replaced, by hostname (the portal's RMA needs it). */
  replaced: Map<string, Udi>;
}

/** What a step found: nothing wrong, or what was wrong in words. */
export type StepOutcome = { ok: true } | { ok: false; why: string };

export const OK: StepOutcome = { ok: true };

export const membersOn = (ctx: StepContext, on: string): FleetMember[] =>
  selectNodes(ctx.members, parseSelector(on), ctx.seed);

/** The device of one hostname (the reader checked it exists). */
export const deviceNamed = (ctx: StepContext, hostname: string): VirtualDevice =>
  ctx.members.find((m) => m.node.hostname === hostname)!.device;

export const devicesOn = (ctx: StepContext, on: string): VirtualDevice[] => membersOn(ctx, on).map((m) => m.device);

/** The devices for which `test` says what is wrong, in words: `sw-01: is AUTH EXPIRED; …` (at most 5 named). */
export async function each(
  ctx: StepContext,
  on: string,
  test: (d: VirtualDevice) => string | undefined | Promise<string | undefined>,
): Promise<StepOutcome> {
  const wrong: string[] = [];
  for (const d of devicesOn(ctx, on)) {
    const why = await test(d);
    if (why !== undefined) wrong.push(`${d.hostname}: ${why}`);
  }
  if (wrong.length === 0) return OK;
  const more = wrong.length > 5 ? ` (and ${wrong.length - 5} more)` : '';
  // Whys of several lines (a show command's output) each start a line of their own.
  const joint = wrong.some((w) => w.includes('\n')) ? '\n' : '; ';
  return { ok: false, why: `${wrong.slice(0, 5).join(joint)}${more}` };
}
