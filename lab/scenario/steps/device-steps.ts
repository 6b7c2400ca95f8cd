/**
 * Steps a person does at the devices: a CLI command (`cli: { on, run }`), a reload with the configuration
 * saved (`reload: wan-router`) and a power loss (`powerLoss: lyo-sw-*`, nothing saved on the way down).
 * Reloads wait until the devices run again, so the next step finds them booted.
 */
import type { VirtualDevice } from '#devices';
import { HOUR } from '#protocol';
import { devicesOn, each, OK } from '../step-context.ts';
import { mapping, selector, selectorAt, text } from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

export type CliStep = { kind: 'cli'; on: string; run: string };
export type ReloadStep = { kind: 'reload' | 'powerLoss'; on: string };

/** Longer than any platform's boot: a device not back by then is a failed step, not a hang. */
const BOOT_LIMIT_MS = HOUR;

export const cli: StepKind<CliStep> = {
  read: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'run'], ['on', 'run']);
    return { kind: 'cli', on: selector(m, at, reader), run: text(m, 'run', at, reader.fail) };
  },
  explain: (s) => `on ${s.on}: ${s.run}`,
  // IOS prints errors as text; a refused command is a failed step, as a person at the console would see it.
  run: (s, ctx) =>
    each(ctx, s.on, (d) => {
      const out = d.exec(s.run);
      return /^% /m.test(out) ? `the device refused it: ${out.trim().split('\n')[0]}` : undefined;
    }),
};

const restart = (
  kind: ReloadStep['kind'],
  does: string,
  act: (d: VirtualDevice) => ReturnType<VirtualDevice['reload']>,
) =>
  ({
    read: (value, at, reader) => ({ kind, on: selectorAt(value, at, reader) }),
    explain: (s) => `${does} ${s.on}, and wait until it runs again`,
    run: async (s, ctx) => {
      const refused = await each(ctx, s.on, (d) => {
        const result = act(d);
        return result.ok ? undefined : result.error;
      });
      if (!refused.ok) return refused;
      const up = () => devicesOn(ctx, s.on).every((d) => d.state === 'running');
      if (await ctx.clock.runUntil(up, { limitMs: BOOT_LIMIT_MS })) return OK;
      return each(ctx, s.on, (d) => (d.state === 'running' ? undefined : `still ${d.state} after an hour`));
    },
  }) satisfies StepKind<ReloadStep>;

export const reload = restart('reload', 'reload', (d) => d.reload());
export const powerLoss = restart('powerLoss', 'cut the power of', (d) => d.powerLoss());
