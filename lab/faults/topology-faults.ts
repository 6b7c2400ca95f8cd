/**
 * A topology's faults on a lab that may be resuming: each `at` counts from the lab's first start, so a
 * fault that already ran is not run again, one under way goes on for what is left of it, and one to come
 * keeps its date.
 */
import { parseDuration } from '../fleet/duration.ts';
import { DEVICE_FAULTS, type FaultSpec } from './fault-spec.ts';

const ms = (v: string | number | undefined) =>
  v === undefined ? undefined : typeof v === 'number' ? v : parseDuration(v)!;

export function topologyFaultsFrom(specs: readonly FaultSpec[], firstStart: number, now: number): FaultSpec[] {
  return specs.flatMap((spec) => {
    const starts = firstStart + (ms(spec.at) ?? 0);
    const length = ms(spec.for);
    const ends = length === undefined ? undefined : starts + length;
    if (spec.kind in DEVICE_FAULTS ? starts < now : ends !== undefined && ends <= now) return [];
    const { at: _at, for: _for, ...rest } = spec;
    const at = Math.max(0, starts - now);
    return [{ ...rest, at, ...(ends !== undefined ? { for: ends - Math.max(starts, now) } : {}) }];
  });
}
