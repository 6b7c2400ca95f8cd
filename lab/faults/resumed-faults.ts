/**
 * Faults on a lab that may be resuming: a topology's (each `at` counts from the lab's first start) and
 * those added while it ran (kept in lab.json with their lab times). A fault that already ran is not run
 * again, one under way goes on for what is left of it without doing its start again (a skewed clock is
 * still skewed in the device's storage; the cloud already restarted), and one to come keeps its date.
 */
import { parseDuration } from '../fleet/duration.ts';
import { faultLengthMs, ONCE_FAULTS, type FaultSpec } from './fault-spec.ts';

/** A fault as lab.json keeps it: its spec without at/for, and when it starts and ends in lab time. */
export interface SavedFault {
  spec: Omit<FaultSpec, 'at' | 'for'>;
  startsAt: number;
  endsAt?: number;
}

/** What to add to the fault schedule now; `startedAt`: it started before the resume (its start is not done again). */
export interface ResumedFault {
  spec: FaultSpec;
  startedAt?: number;
}

export function resumeFaults(saved: readonly SavedFault[], now: number): ResumedFault[] {
  return saved.flatMap(({ spec, startsAt, endsAt }) => {
    const underWay = startsAt < now;
    if (underWay && ONCE_FAULTS.includes(spec.kind)) return [];
    if (endsAt !== undefined && endsAt <= now) return [];
    const at = Math.max(0, startsAt - now);
    return [
      {
        spec: { ...spec, at, ...(endsAt !== undefined ? { for: endsAt - Math.max(startsAt, now) } : {}) },
        ...(underWay ? { startedAt: startsAt } : {}),
      },
    ];
  });
}

/** A topology's `faults:` as saved faults of a lab first started at `firstStart`. */
export function topologyFaults(specs: readonly FaultSpec[], firstStart: number): SavedFault[] {
  return specs.map(({ at, for: length, ...spec }) => {
    const startsAt = firstStart + (at === undefined ? 0 : typeof at === 'number' ? at : parseDuration(at)!);
    const forMs = faultLengthMs({ kind: spec.kind, for: length });
    return { spec, startsAt, ...(forMs !== undefined ? { endsAt: startsAt + forMs } : {}) };
  });
}
