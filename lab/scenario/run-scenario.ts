/**
 * Runs a scenario: its topology as a fleet on a stepped clock (so a year takes seconds and every run is
 * the same), against the in-process mock cloud seeded by the scenario, with the lab's faults between the
 * devices and the cloud, step after step. A failing step stops the run and carries a timeline of what
 * the devices it names logged up to then, in virtual time, which is what a QA engineer reads instead of a
 * stack trace; a step that throws (the cloud refusing an operation) is a failed step with the reason.
 */
import { DEFAULT_START, LabClock } from '../clock/index.ts';
import { FaultSchedule, fleetTargets, type FaultEvent } from '../faults/fault-schedule.ts';
import { FaultTransportLayer } from '../faults/fault-transport.ts';
import { Fleet } from '../fleet/fleet.ts';
import { licenseStateOf } from '../fleet/fleet-summary.ts';
import { parseSelector, selectNodes } from '../fleet/selector.ts';
import { udiString } from '#protocol';
import { createLab } from '../lab.ts';
import type { AgentCoverage } from './coverage.ts';
import type { Scenario } from './scenario.ts';
import type { StepContext, StepOutcome } from './step-context.ts';
import { explainStep, runStep, type Step } from './step-kinds.ts';
import { needsWire } from './steps/expect-step.ts';
import { iso } from './report-text.ts';
import { ScenarioLog } from './scenario-log.ts';
import { StateTrail } from './state-trail.ts';
import { WireTap } from './wire-tap.ts';

export interface StepResult {
  explain: string;
  /** The line of the scenario file the step is on. */
  line: number;
  /** Lab time when the step ended. */
  at: number;
  ok: boolean;
  why?: string;
  /** Not run: an earlier step failed (a scenario stops at its first failure). */
  skipped?: true;
  /** Host ms the step took. */
  ms: number;
}

export interface ScenarioResult {
  name: string;
  file: string;
  seed: number;
  ok: boolean;
  steps: StepResult[];
  /** On failure: the failing step's devices, their states, and their last messages. */
  timeline?: string[];
  /** Every device's event lines and the lab's fault lines, in lab-time order: what determinism is checked on. */
  eventLog: string[];
}

export interface RunOptions {
  /** Overrides the scenario's seed (`lab run --seed`). */
  seed?: number;
  /** Counts the states and transitions the devices' agents go through (`lab run --coverage`). */
  coverage?: AgentCoverage;
}

/** Messages of the timeline per failing device. */
const TIMELINE = 12;
/** Fleets up to this size have their states sampled at every message, larger ones at every step's end. */
const TRAIL_ON_EVENTS = 500;

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const { topology } = scenario;
  const seed = options.seed ?? scenario.seed;
  const problems: string[] = [];
  const start = topology.start ?? DEFAULT_START;
  // The lab's clock is made here: the fault layer wraps the devices' transport before the lab exists.
  const clock = LabClock.create({ mode: 'stepped', start });
  const network = new FaultTransportLayer(clock);
  const wire = scenario.steps.some(needsWire) ? await WireTap.open(() => clock.now()) : undefined;
  const lab = await createLab({
    clock,
    cloud: topology.seed ? { seed: topology.seed.text, seedSource: topology.seed.source } : {},
    onProblem: (line) => problems.push(line),
    transportLayer: network.wrap,
    ...(wire ? { syslog: wire.syslog, traps: wire.traps } : {}),
    ...(topology.cslu ? { cslu: topology.cslu } : {}),
    ...(topology.onprem ? { onprem: topology.onprem } : {}),
  }).catch(async (err: unknown) => {
    await wire?.close();
    clock.dispose();
    throw err;
  });
  try {
    const log = new ScenarioLog();
    lab.onEvent(log.device);
    const fleet = new Fleet(lab, topology, {
      firstStart: lab.clock.now(),
      onProblem: (line) => problems.push(line),
      ...(options.coverage ? { inspect: options.coverage.inspect } : {}),
    });
    const faults = new FaultSchedule({
      clock: lab.clock,
      targets: fleetTargets(() => fleet.members),
      network,
      cloud: lab.cloud,
      seed,
      onEvent: log.fault,
    });
    // The topology's faults, `at` counting from the lab's first start, which is now.
    for (const spec of topology.faults) faults.add(spec, { fromTopology: true });
    const ctx: StepContext = {
      clock: lab.clock,
      members: fleet.members,
      faults,
      cloud: lab.cloud,
      cslu: lab.cslu?.service,
      wire,
      seed,
      faultIds: new Map(),
      replace: (hostname, pid) => fleet.replace(hostname, pid),
      replaced: new Map(),
      events: (d) => log.eventsOf(udiString(d.udi)),
    };
    const trail = new StateTrail(() => clock.now());
    const byHostname = (hostname: string) => fleet.members.find((m) => m.node.hostname === hostname)?.device;
    const sampleAll = () => fleet.members.forEach((m) => trail.sample(m.device));
    sampleAll();
    // Sampling costs a view of the device per message: a storm of thousands gets its states at step ends.
    if (fleet.members.length <= TRAIL_ON_EVENTS)
      lab.onEvent((e) => {
        const device = byHostname(e.device);
        if (device) trail.sample(device);
      });
    const steps: StepResult[] = [];
    let timeline: string[] | undefined;
    for (const [i, step] of scenario.steps.entries()) {
      const started = performance.now();
      const outcome = await attempt(step, ctx);
      await lab.settled();
      sampleAll();
      steps.push({
        explain: explainStep(step),
        line: scenario.lines[i]!,
        at: lab.clock.now(),
        ok: outcome.ok,
        ...(outcome.ok ? {} : { why: outcome.why }),
        ms: Math.round(performance.now() - started),
      });
      if (!outcome.ok) {
        timeline = timelineOf(step, ctx, trail, log.faults(), problems);
        break;
      }
    }
    for (const [i, step] of scenario.steps.entries())
      if (i >= steps.length)
        steps.push({
          explain: explainStep(step),
          line: scenario.lines[i]!,
          at: lab.clock.now(),
          ok: false,
          skipped: true,
          ms: 0,
        });
    const eventLog = log.lines();
    const ok = steps.every((s) => s.ok);
    return { name: scenario.name, file: scenario.file, seed, ok, steps, ...(timeline ? { timeline } : {}), eventLog };
  } finally {
    try {
      await lab.close();
    } finally {
      await wire?.close();
      clock.dispose();
    }
  }
}

async function attempt(step: Step, ctx: StepContext): Promise<StepOutcome> {
  try {
    return await runStep(step, ctx);
  } catch (err) {
    return { ok: false, why: err instanceof Error ? err.message : String(err) };
  }
}

/** The devices a step is about, as a selector: those its timeline shows. */
function devicesOf(step: Step): string {
  if ('on' in step) return step.on;
  if (step.kind === 'rma') return step.replace;
  if (step.kind === 'fault') return step.spec.select;
  if (step.kind === 'cloud' && 'removeInstance' in step.operation) return step.operation.removeInstance;
  if (step.kind === 'cloud' || step.kind === 'portal' || step.kind === 'slp') {
    const [args] = Object.values(step.operation) as unknown[];
    if (args !== null && typeof args === 'object' && 'on' in args && typeof args.on === 'string') return args.on;
  }
  return 'all';
}

/** The failing step's devices (three at most): each one's state changes, then its last messages. */
function timelineOf(
  step: Step,
  ctx: StepContext,
  trail: StateTrail,
  faults: readonly FaultEvent[],
  problems: readonly string[],
): string[] {
  const on = devicesOf(step);
  const lines: string[] = [];
  for (const { node, device } of selectNodes(ctx.members, parseSelector(on), ctx.seed).slice(0, 3)) {
    lines.push(`${node.hostname} (${device.udi.pid}, SN ${device.udi.sn}): now ${licenseStateOf(device)}`);
    const changes = trail.of(device).slice(-8);
    lines.push(`  states: ${changes.map((c) => `${iso(c.at)} ${c.state}`).join(' → ')}`);
    for (const e of ctx.events(device).slice(-TIMELINE)) lines.push(`  ${iso(e.labTime)}  ${e.line}`);
  }
  for (const f of faults.slice(-5)) lines.push(`lab: ${iso(f.labTime)}  ${f.line}`);
  for (const p of problems.slice(-5)) lines.push(`lab: ${p}`);
  return lines;
}
