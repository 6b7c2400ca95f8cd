/**
 * The steps a scenario is made of, as data, each kind with its reader (YAML value → step, with
 * file:line:column errors), its explain() (one line a person reads in a report) and its run (against the
 * running lab). The engine looks kinds up in STEP_KINDS and knows nothing of them.
 */
import type { VirtualDevice } from '#devices';
import { parseDuration } from '../fleet/duration.ts';
import type { FleetMember } from '../fleet/fleet.ts';
import { LICENSE_STATES, licenseStateOf, type LicenseState } from '../fleet/fleet-summary.ts';
import { parseSelector, selectNodes, SelectorError } from '../fleet/selector.ts';
import type { FleetNode } from '../fleet/topology.ts';
import type { Fail, Path } from '../fleet/yaml-source.ts';
import type { LabClock } from '../clock/index.ts';

export type Step =
  | { kind: 'advance'; ms: number; text: string }
  | { kind: 'cli'; on: string; run: string }
  | { kind: 'runUntil'; on: string; state: LicenseState; withinMs: number; within: string }
  | { kind: 'expect'; on: string; check: Check };

export type Check =
  { state: LicenseState } | { show: string; contains: string } | { syslog: string; count: number | undefined };

export interface StepContext {
  clock: LabClock;
  members: readonly FleetMember[];
}

/** What a step found: nothing wrong, or what was wrong in words. */
export type StepOutcome = { ok: true } | { ok: false; why: string };

interface StepKind<S extends Step> {
  /** Keys the step's mapping takes, for the error that names the valid ones. */
  read(value: unknown, at: Path, reader: StepReader): S;
  explain(step: S): string;
  run(step: S, ctx: StepContext): Promise<StepOutcome>;
}

/** What a kind reads its fields with: the scenario's fail(), and the topology's devices for selectors. */
export interface StepReader {
  fail: Fail;
  nodes: readonly FleetNode[];
}

const STATES: readonly LicenseState[] = LICENSE_STATES;

function mapping(value: unknown, at: Path, fail: Fail, keys: readonly string[], required: readonly string[]) {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(at, `expected a mapping with ${keys.join(', ')}`);
  const m = value as Record<string, unknown>;
  for (const key of Object.keys(m))
    if (!keys.includes(key)) fail([...at, key], `unknown key "${key}"; valid keys: ${keys.join(', ')}`, 'key');
  for (const key of required) if (m[key] === undefined) fail(at, `missing "${key}"`);
  return m;
}

function text(m: Record<string, unknown>, key: string, at: Path, fail: Fail): string {
  const v = m[key];
  if (typeof v !== 'string' || v === '')
    fail([...at, key], `${key} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v as string;
}

function duration(value: unknown, at: Path, fail: Fail): number {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0)
    fail(at, `expected a duration like 30d, 12h, 15m or 90s, got ${JSON.stringify(value)}`);
  return ms!;
}

/** `on`: a lab selector that must match at least one device of the topology. */
function selector(m: Record<string, unknown>, at: Path, reader: StepReader): string {
  const on = text(m, 'on', at, reader.fail);
  try {
    if (
      selectNodes(
        reader.nodes.map((node) => ({ node })),
        parseSelector(on),
      ).length === 0
    )
      reader.fail(
        [...at, 'on'],
        `"${on}" matches no device; devices: ${reader.nodes.map((n) => n.hostname).join(', ')}`,
      );
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    reader.fail([...at, 'on'], err.message);
  }
  return on;
}

function state(value: unknown, at: Path, fail: Fail): LicenseState {
  if (!STATES.includes(value as LicenseState))
    fail(at, `state must be one of ${STATES.join(', ')}, got ${JSON.stringify(value)}`);
  return value as LicenseState;
}

const devices = (ctx: StepContext, on: string): VirtualDevice[] =>
  selectNodes(ctx.members, parseSelector(on)).map((m) => m.device);

/** The devices that fail `test`, in words: `sw-01: AUTH EXPIRED` … (at most 5 named). */
function each(ctx: StepContext, on: string, test: (d: VirtualDevice) => string | undefined): StepOutcome {
  const wrong = devices(ctx, on).flatMap((d) => {
    const why = test(d);
    return why === undefined ? [] : [`${d.hostname}: ${why}`];
  });
  if (wrong.length === 0) return { ok: true };
  const more = wrong.length > 5 ? ` (and ${wrong.length - 5} more)` : '';
  return { ok: false, why: `${wrong.slice(0, 5).join('; ')}${more}` };
}

const count = (d: VirtualDevice, mnemonic: string): number =>
  d.events().filter((e) => e.syslog.mnemonic === mnemonic).length;

const advance: StepKind<Extract<Step, { kind: 'advance' }>> = {
  read: (value, at, { fail }) => ({ kind: 'advance', ms: duration(value, at, fail), text: String(value) }),
  explain: (s) => `advance lab time by ${s.text}`,
  run: async (s, ctx) => {
    await ctx.clock.advance(s.ms);
    return { ok: true };
  },
};

const cli: StepKind<Extract<Step, { kind: 'cli' }>> = {
  read: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'run'], ['on', 'run']);
    return { kind: 'cli', on: selector(m, at, reader), run: text(m, 'run', at, reader.fail) };
  },
  explain: (s) => `on ${s.on}: ${s.run}`,
  run: async (s, ctx) => {
    // IOS prints errors as text; a refused command is a failed step, as a person at the console would see it.
    return each(ctx, s.on, (d) => {
      const out = d.exec(s.run);
      return /^% /m.test(out) ? `the device refused it: ${out.trim().split('\n')[0]}` : undefined;
    });
  },
};

const runUntil: StepKind<Extract<Step, { kind: 'runUntil' }>> = {
  read: (value, at, reader) => {
    const m = mapping(value, at, reader.fail, ['on', 'state', 'within'], ['on', 'state', 'within']);
    return {
      kind: 'runUntil',
      on: selector(m, at, reader),
      state: state(m.state, [...at, 'state'], reader.fail),
      withinMs: duration(m.within, [...at, 'within'], reader.fail),
      within: String(m.within),
    };
  },
  explain: (s) => `run until ${s.on} is ${s.state}, within ${s.within}`,
  run: async (s, ctx) => {
    const holds = () => devices(ctx, s.on).every((d) => licenseStateOf(d) === s.state);
    if (holds() || (await ctx.clock.runUntil(holds, { limitMs: s.withinMs }))) return { ok: true };
    const outcome = each(ctx, s.on, (d) => (licenseStateOf(d) === s.state ? undefined : `still ${licenseStateOf(d)}`));
    return outcome.ok ? { ok: false, why: `never all ${s.state} at once within ${s.within}` } : outcome;
  },
};

const expect: StepKind<Extract<Step, { kind: 'expect' }>> = {
  read: (value, at, reader) => {
    const { fail } = reader;
    const m = mapping(value, at, fail, ['on', 'state', 'show', 'contains', 'syslog', 'count'], ['on']);
    const on = selector(m, at, reader);
    if (m.state !== undefined) return { kind: 'expect', on, check: { state: state(m.state, [...at, 'state'], fail) } };
    if (m.show !== undefined)
      return {
        kind: 'expect',
        on,
        check: { show: text(m, 'show', at, fail), contains: text(m, 'contains', at, fail) },
      };
    if (m.syslog !== undefined) {
      const c = m.count;
      if (c !== undefined && !(Number.isInteger(c) && (c as number) >= 0))
        fail([...at, 'count'], `count must be a whole number ≥ 0, got ${JSON.stringify(c)}`);
      return { kind: 'expect', on, check: { syslog: text(m, 'syslog', at, fail), count: c as number | undefined } };
    }
    return fail(at, 'an expectation needs one of state, show (with contains) or syslog (with count)');
  },
  explain: ({ on, check }) =>
    'state' in check
      ? `expect ${on} to be ${check.state}`
      : 'show' in check
        ? `expect "${check.show}" on ${on} to contain "${check.contains}"`
        : `expect ${on} to have logged ${check.syslog} ${check.count === undefined ? 'at least once' : `${check.count} times`}`,
  run: async ({ on, check }, ctx) =>
    each(ctx, on, (d) => {
      if ('state' in check) return licenseStateOf(d) === check.state ? undefined : `is ${licenseStateOf(d)}`;
      if ('show' in check) return d.exec(check.show).includes(check.contains) ? undefined : `"${check.show}" lacks it`;
      const n = count(d, check.syslog);
      const ok = check.count === undefined ? n > 0 : n === check.count;
      return ok ? undefined : `logged ${check.syslog} ${n} times`;
    }),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const STEP_KINDS: Record<Step['kind'], StepKind<any>> = { advance, cli, runUntil, expect };

export function explainStep(step: Step): string {
  return STEP_KINDS[step.kind].explain(step);
}

export function runStep(step: Step, ctx: StepContext): Promise<StepOutcome> {
  return STEP_KINDS[step.kind].run(step, ctx);
}
