/**
 * Steps a person does at the devices: a CLI command (`cli: { on, run, refused?, contains? }`), a reload
 * with the configuration saved (`reload: wan-router`) and a power loss (`powerLoss: lyo-sw-*`, nothing
 * saved on the way down), and an RMA. Reloads wait until the devices run again, so the next step finds
 * them booted.
 */
import { findPlatform, refusalIn, UnknownPidError, type VirtualDevice } from '#devices';
import { HOUR, udiString } from '#protocol';
import { deviceNamed, devicesOn, each, OK } from '../step-context.ts';
import { hostnameAt, mapping, optionalText, selector, selectorAt, text, flag } from '../step-reader.ts';
import type { StepKind } from './step-kind.ts';

export type CliStep = { kind: 'cli'; on: string; run: string; refused: boolean; contains?: string };
export type ReloadStep = { kind: 'reload' | 'powerLoss'; on: string };

/** Longer than any platform's boot: a device not back by then is a failed step, not a hang. */
const BOOT_LIMIT_MS = HOUR;

export const cli: StepKind<CliStep> = {
  read: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'run', 'refused', 'contains'], ['on', 'run']);
    const contains = optionalText(m, 'contains', at, reader.fail);
    return {
      kind: 'cli',
      on: selector(m, at, reader),
      run: text(m, 'run', at, reader.fail),
      refused: flag(m, 'refused', at, reader.fail),
      ...(contains !== undefined ? { contains } : {}),
    };
  },
  explain: (s) =>
    `on ${s.on}: ${s.run}${s.refused ? ', which the device refuses' : ''}${s.contains ? `, printing "${s.contains}"` : ''}`,
  // IOS prints errors as text: a refused command is a failed step, as a person at the console would see it,
  // unless the step says the device should refuse it.
  run: (s, ctx) =>
    each(ctx, s.on, (d) => {
      const out = d.exec(s.run);
      const refusal = refusalIn(out);
      if (refusal !== undefined && !s.refused) return `the device refused it: ${refusal}`;
      if (refusal === undefined && s.refused)
        return `the device accepted it${out.trim() ? `: ${out.trim().split('\n')[0]}` : ''}`;
      return s.contains === undefined || out.includes(s.contains)
        ? undefined
        : `it printed no "${s.contains}": ${out.trim().split('\n')[0] ?? ''}`;
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

export type RmaStep = { kind: 'rma'; replace: string; pid: string | undefined; release: boolean };

/**
 * `rma: { replace: lyo-sw-01, pid?: C9300-48P, release?: true }`: the chassis fails for good and a new one
 * (new serial, so a new UDI) takes its hostname and settings and registers with the node's token. By
 * default the failed chassis's product instance is removed in the cloud first, its licenses back to the
 * pool, as the Smart Account administrator does for an RMA.
 */
export const rma: StepKind<RmaStep> = {
  read: (value, at, reader) => {
    const { fail } = reader;
    const m = mapping(value, at, fail, ['replace', 'pid', 'release'], ['replace']);
    const replace = hostnameAt(m.replace, [...at, 'replace'], reader);
    const pid = optionalText(m, 'pid', at, fail);
    if (pid !== undefined)
      try {
        findPlatform(pid);
      } catch (err) {
        if (!(err instanceof UnknownPidError)) throw err;
        fail([...at, 'pid'], err.message);
      }
    // Released unless the step says otherwise.
    return { kind: 'rma', replace, pid, release: m.release === undefined || flag(m, 'release', at, fail) };
  },
  explain: (s) =>
    `RMA: a new chassis (new serial${s.pid ? `, ${s.pid}` : ''}) in place of ${s.replace}` +
    `${s.release ? ", the failed one's product instance (if any) removed in CSSM" : ''}`,
  run: async (s, ctx) => {
    const old = deviceNamed(ctx, s.replace);
    const udi = udiString(old.udi);
    if (s.release && (await ctx.cloud.instance(udi)) !== undefined) await ctx.cloud.removeInstance(udi);
    ctx.replace(s.replace, s.pid);
    ctx.replaced.set(s.replace, old.udi);
    return OK;
  },
};

export type UpgradeStep = { kind: 'upgrade'; on: string; release: string };

/**
 * `upgrade: { on, release: 16.9.6 }`: a maintenance upgrade, another image of the same platform and
 * licensing mode for the next reload (saved, as `boot system` and `write memory`); licenses stay.
 */
export const upgrade: StepKind<UpgradeStep> = {
  read: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'release'], ['on', 'release']);
    return { kind: 'upgrade', on: selector(m, at, reader), release: text(m, 'release', at, reader.fail) };
  },
  explain: (s) => `on ${s.on}: install the ${s.release} image for the next reload`,
  run: (s, ctx) =>
    each(ctx, s.on, (d) => {
      const installed = d.installImage(s.release);
      return installed.ok ? undefined : `the device refused it: ${installed.error}`;
    }),
};
