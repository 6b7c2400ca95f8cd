/**
 * Runs a scenario: its topology as a fleet on a stepped clock (so a year takes seconds and every run is
 * the same), against the in-process mock cloud seeded by the topology, step after step. A failing step
 * stops the run and carries a timeline of what the devices it names logged up to then, in virtual time,
 * which is what a QA engineer reads instead of a stack trace.
 */
import { DEFAULT_START } from '../clock/index.ts';
import { Fleet } from '../fleet/fleet.ts';
import { licenseStateOf } from '../fleet/fleet-summary.ts';
import { parseSelector, selectNodes } from '../fleet/selector.ts';
import { createLab } from '../lab.ts';
import type { Scenario } from './scenario.ts';
import { explainStep, runStep, type Step } from './step-kinds.ts';

export interface StepResult {
  explain: string;
  /** The line of the scenario file the step is on. */
  line: number;
  /** Lab time when the step ended. */
  at: number;
  ok: boolean;
  why?: string;
  /** Host ms the step took. */
  ms: number;
}

export interface ScenarioResult {
  name: string;
  file: string;
  ok: boolean;
  steps: StepResult[];
  /** On failure: the failing step's devices, their states, and their last messages. */
  timeline?: string[];
  /** Every device's event lines in order, for determinism checks and JSON reports. */
  eventLog: string[];
}

/** Lines of the timeline per failing device. */
const TIMELINE = 12;

export async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const { topology } = scenario;
  const problems: string[] = [];
  const lab = await createLab({
    clock: { mode: 'stepped', start: topology.start ?? DEFAULT_START },
    cloud: topology.seed ? { seed: topology.seed.text, seedSource: topology.seed.source } : {},
    onProblem: (line) => problems.push(line),
  });
  try {
    const fleet = new Fleet(lab, topology, { firstStart: lab.clock.now(), onProblem: (line) => problems.push(line) });
    const ctx = { clock: lab.clock, members: fleet.members };
    const steps: StepResult[] = [];
    let timeline: string[] | undefined;
    for (const [i, step] of scenario.steps.entries()) {
      const started = performance.now();
      const outcome = await runStep(step, ctx);
      await lab.settled();
      steps.push({
        explain: explainStep(step),
        line: scenario.lines[i]!,
        at: lab.clock.now(),
        ok: outcome.ok,
        ...(outcome.ok ? {} : { why: outcome.why }),
        ms: Math.round(performance.now() - started),
      });
      if (!outcome.ok) {
        timeline = timelineOf(step, fleet, problems);
        break;
      }
    }
    const eventLog = lab.events().map((e) => `${new Date(e.labTime).toISOString()} ${e.device} ${e.line}`);
    const ok = steps.length === scenario.steps.length && steps.every((s) => s.ok);
    return { name: scenario.name, file: scenario.file, ok, steps, ...(timeline ? { timeline } : {}), eventLog };
  } finally {
    await lab.close();
  }
}

function timelineOf(step: Step, fleet: Fleet, problems: readonly string[]): string[] {
  const on = 'on' in step ? step.on : 'all';
  const lines: string[] = [];
  for (const { node, device } of selectNodes(fleet.members, parseSelector(on)).slice(0, 3)) {
    lines.push(`${node.hostname} (${device.udi.pid}, SN ${device.udi.sn}): now ${licenseStateOf(device)}`);
    for (const e of device.events().slice(-TIMELINE)) lines.push(`  ${new Date(e.labTime).toISOString()}  ${e.line}`);
  }
  for (const p of problems.slice(-5)) lines.push(`lab: ${p}`);
  return lines;
}
