/**
 * Which states and transitions of the licensing agents' machines a run exercised (`lab run --coverage`).
 * The universe is each machine's own definition (xstate/graph's toDirectedGraph, plus eventless
 * transitions); what was exercised comes from XState inspection of every device's agent: the state values
 * of its snapshots and the transitions of its microsteps. A QA team reads what its suite never reached.
 */
import type { AnyStateMachine, InspectionEvent } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';

interface StateNodeLike {
  path: string[];
}
interface TransitionLike {
  source: StateNodeLike;
  target?: readonly StateNodeLike[] | undefined;
  eventType: string;
  guard?: unknown;
}

interface MachineCoverage {
  states: Map<string, boolean>;
  transitions: Map<string, boolean>;
}

export interface MachineReport {
  machine: string;
  states: { covered: number; total: number; never: string[] };
  transitions: { covered: number; total: number; never: string[] };
}

const pathText = (n: StateNodeLike) => n.path.join('.') || '(root)';

/** `xstate.after.AUTH_RENEWAL.smart.enabled…` → `after AUTH_RENEWAL`; done/error events by their actor. */
function eventText(type: string): string {
  if (type === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (actor) return `${actor[1] === 'done' ? 'when done' : 'on error'}: ${actor[2]!.replace(/\.\d+$/, '')}`;
  return type;
}

function guardText(guard: unknown): string {
  if (typeof guard === 'string') return ` [${guard}]`;
  if (guard !== null && typeof guard === 'object' && 'type' in guard) return ` [${String(guard.type)}]`;
  return guard === undefined ? '' : ' [guarded]';
}

function transitionKeys(t: TransitionLike): string[] {
  const targets = t.target && t.target.length > 0 ? t.target : [t.source];
  return targets.map(
    (target) => `${pathText(t.source)} → ${pathText(target)} on ${eventText(t.eventType)}${guardText(t.guard)}`,
  );
}

/** Every state path of a machine value: `{ enabled: { registered: … } }` → `enabled`, `enabled.registered`, … */
function valuePaths(value: unknown, prefix: string[] = []): string[] {
  if (typeof value === 'string') return [[...prefix, value].join('.')];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    [...prefix, key].join('.'),
    ...valuePaths(child, [...prefix, key]),
  ]);
}

function universe(machine: AnyStateMachine): MachineCoverage {
  const states = new Map<string, boolean>();
  const transitions = new Map<string, boolean>();
  const walk = (node: DirectedGraphNode) => {
    const stateNode = node.stateNode as unknown as StateNodeLike & { always?: TransitionLike[] };
    if (stateNode.path.length > 0) states.set(pathText(stateNode), false);
    for (const edge of node.edges) for (const key of transitionKeys(edge.transition)) transitions.set(key, false);
    for (const t of stateNode.always ?? []) for (const key of transitionKeys(t)) transitions.set(key, false);
    node.children.forEach(walk);
  };
  walk(toDirectedGraph(machine));
  return { states, transitions };
}

const isMachine = (logic: unknown): logic is AnyStateMachine =>
  logic !== null && typeof logic === 'object' && 'root' in logic && 'idMap' in logic;

export class AgentCoverage {
  readonly #machines = new Map<string, MachineCoverage>();

  /** `machines`: listed from the start, so one no device ran shows as wholly uncovered. */
  constructor(machines: readonly AnyStateMachine[] = []) {
    for (const m of machines) this.#machines.set(m.id, universe(m));
  }

  /** For a device's `inspect`: counts what its agent's machine does. */
  readonly inspect = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.snapshot' && event.type !== '@xstate.microstep') return;
    const logic = (event.actorRef as unknown as { logic?: unknown }).logic;
    if (!isMachine(logic)) return;
    let coverage = this.#machines.get(logic.id);
    if (!coverage) this.#machines.set(logic.id, (coverage = universe(logic)));
    const mark = (map: Map<string, boolean>, key: string) => map.has(key) && map.set(key, true);
    // Transient states (left at once by an eventless transition) never show in a snapshot: a transition
    // taken covers its source and targets, and their parents.
    if (event.type === '@xstate.microstep')
      for (const t of event._transitions as unknown as TransitionLike[]) {
        for (const key of transitionKeys(t)) mark(coverage.transitions, key);
        for (const node of [t.source, ...(t.target ?? [])])
          node.path.forEach((_, i) => mark(coverage.states, node.path.slice(0, i + 1).join('.')));
      }
    for (const path of valuePaths((event.snapshot as { value?: unknown }).value)) mark(coverage.states, path);
  };

  report(): MachineReport[] {
    const part = (map: Map<string, boolean>) => {
      const never = [...map].filter(([, hit]) => !hit).map(([key]) => key);
      return { covered: map.size - never.length, total: map.size, never };
    };
    return [...this.#machines].map(([machine, c]) => ({
      machine,
      states: part(c.states),
      transitions: part(c.transitions),
    }));
  }
}

const percent = (p: { covered: number; total: number }) =>
  `${p.covered}/${p.total} (${p.total === 0 ? 100 : Math.floor((100 * p.covered) / p.total)} %)`;

/** The report as a person reads it: per machine the counts, then what was never covered. */
export function coverageText(reports: readonly MachineReport[]): string[] {
  if (reports.length === 0) return ['coverage: no licensing agent ran'];
  return reports.flatMap((r) => [
    `coverage of the ${r.machine} machine: states ${percent(r.states)}, transitions ${percent(r.transitions)}`,
    ...r.states.never.map((s) => `  never covered: state ${s}`),
    ...r.transitions.never.map((t) => `  never covered: ${t}`),
  ]);
}
