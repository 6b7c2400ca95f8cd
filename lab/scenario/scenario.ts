/**
 * Scenario files (`scenarios/**\/*.scenario.yaml`): a QA test plan the lab runs in virtual time. The file
 * names a topology (relative to itself; its cloud seed comes with it) and lists steps; each step is a
 * mapping with one key naming its kind (step-kinds.ts). Everything is checked before anything runs, and
 * an error names file:line:column and the valid choices (ScenarioError).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadTopology, TopologyError, type Topology } from '../fleet/topology.ts';
import { readYaml, SourceError, type Fail } from '../fleet/yaml-source.ts';
import { STEP_KINDS, type Step } from './step-kinds.ts';

export interface Scenario {
  name: string;
  file: string;
  /** The first lines of comments: what the scenario demonstrates. */
  description: string;
  topology: Topology;
  steps: Step[];
  /** Where each step is written (line), for reports. */
  lines: number[];
}

export class ScenarioError extends SourceError {
  override readonly name = 'ScenarioError';
}

const KEYS = ['name', 'topology', 'steps'];

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, 1, 1, `cannot read the scenario (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  return parseScenario(text, resolve(file));
}

export function parseScenario(text: string, file: string): Scenario {
  const { value, fail } = readYaml(text, (line, column, what) => new ScenarioError(file, line, column, what));
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail([], `a scenario is a mapping with ${KEYS.join(', ')}`);
  const doc = value as Record<string, unknown>;
  for (const key of Object.keys(doc))
    if (!KEYS.includes(key)) fail([key], `unknown key "${key}"; valid keys: ${KEYS.join(', ')}`, 'key');
  if (typeof doc.name !== 'string' || doc.name === '') fail(['name'], 'a scenario needs a name');
  if (typeof doc.topology !== 'string') fail(['topology'], 'topology must be the path of a topology file');
  const topology = topologyOf(resolve(dirname(file), doc.topology as string), fail);
  if (!Array.isArray(doc.steps) || doc.steps.length === 0) fail(['steps'], 'a scenario needs a list of steps');
  const steps = (doc.steps as unknown[]).map((raw, i) => readStep(raw, i, topology, fail));
  return {
    name: doc.name as string,
    file,
    description: leadingComments(text),
    topology,
    steps,
    lines: steps.map((_, i) => lineOf(fail, i)),
  };
}

function topologyOf(path: string, fail: Fail): Topology {
  try {
    return loadTopology(path);
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    return fail(['topology'], `the topology does not load: ${err.message}`);
  }
}

function readStep(raw: unknown, i: number, topology: Topology, fail: Fail): Step {
  const kinds = Object.keys(STEP_KINDS);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || Object.keys(raw).length !== 1)
    fail(['steps', i], `a step is a mapping with one key, its kind: ${kinds.join(', ')}`);
  const [kind, value] = Object.entries(raw as object)[0]!;
  if (!(kind in STEP_KINDS))
    fail(['steps', i, kind], `unknown step "${kind}"; valid steps: ${kinds.join(', ')}`, 'key');
  return STEP_KINDS[kind as Step['kind']].read(value, ['steps', i, kind], { fail, nodes: topology.nodes }) as Step;
}

/** The line a step starts on: fail() knows positions, so ask it where the step is. */
function lineOf(fail: Fail, i: number): number {
  try {
    return fail(['steps', i], '');
  } catch (err) {
    return (err as ScenarioError).line;
  }
}

function leadingComments(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ').trim();
}
