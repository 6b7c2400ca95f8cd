/** Steps that move lab time: `advance: 30d`, and `runUntil` a state holds on every selected device. */
import { licenseStateOf, type LicenseState } from '../../fleet/fleet-summary.ts';
import { devicesOn, each, OK } from '../step-context.ts';
import { duration, licenseState, mapping, selector } from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

export type AdvanceStep = { kind: 'advance'; ms: number; text: string };
export type RunUntilStep = { kind: 'runUntil'; on: string; state: LicenseState; withinMs: number; within: string };

export const advance: StepKind<AdvanceStep> = {
  read: (value, at, { fail }) => ({ kind: 'advance', ms: duration(value, at, fail), text: String(value) }),
  explain: (s) => `advance lab time by ${s.text}`,
  run: async (s, ctx) => {
    await ctx.clock.advance(s.ms);
    return OK;
  },
};

export const runUntil: StepKind<RunUntilStep> = {
  read: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'state', 'within'], ['on', 'state', 'within']);
    return {
      kind: 'runUntil',
      on: selector(m, at, reader),
      state: licenseState(m.state, [...at, 'state'], reader.fail),
      withinMs: duration(m.within, [...at, 'within'], reader.fail),
      within: String(m.within),
    };
  },
  explain: (s) => `run until ${s.on} is ${s.state}, within ${s.within}`,
  run: async (s, ctx) => {
    const holds = () => devicesOn(ctx, s.on).every((d) => licenseStateOf(d) === s.state);
    if (holds() || (await ctx.clock.runUntil(holds, { limitMs: s.withinMs }))) return OK;
    const outcome = await each(ctx, s.on, (d) =>
      licenseStateOf(d) === s.state ? undefined : `still ${licenseStateOf(d)}`,
    );
    return outcome.ok ? { ok: false, why: `never all ${s.state} at once within ${s.within}` } : outcome;
  },
};
