/**
 * Scenario files (`scenarios/**\/*.scenario.yaml`): a QA test plan the lab runs in virtual time. The file
 * gives a topology (a path relative to itself, or inline), optionally a cloud seed in place of the
 * topology's, a seed for the run's random choices, and steps; each step is a mapping with one key naming
 * its kind (step-kinds.ts). Everything is checked before anything runs, and an error names
 * file:line:column and the valid choices (ScenarioError). The same shape loads from TypeScript
 * (parseScenario) for programmatic use.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadTopology, parseTopology, readSeed, TopologyError, type Topology } from '../fleet/topology.ts';
import { readYaml, SourceError, type Fail } from '../fleet/yaml-source.ts';
import { STEP_KINDS, type Step } from './step-kinds.ts';
import { keyedBy, type StepReader } from './step-reader.ts';

export interface Scenario {
  name: string;
  file: string;
  /** The first lines of comments: what the scenario demonstrates. */
  description: string;
  topology: Topology;
  /** Picks the devices of shares without their own seed (`10%`); `lab run --seed` overrides it. */
  seed: number;
  steps: Step[];
  /** Where each step is written (line), for reports. */
  lines: number[];
}

export class ScenarioError extends SourceError {
  override readonly name = 'ScenarioError';
}

export const SCENARIO_KEYS = ['name', 'topology', 'cloud', 'seed', 'steps'];

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory with no *.scenario.yaml below it' : code;
    throw new ScenarioError(file, 1, 1, `cannot read the scenario (${why})`);
  }
  return parseScenario(text, resolve(file));
}

export function parseScenario(text: string, file: string): Scenario {
  const { value, fail, source, lineOf } = readYaml(
    text,
    (line, column, what) => new ScenarioError(file, line, column, what),
  );
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail([], `a scenario is a mapping with ${SCENARIO_KEYS.join(', ')}`);
  const doc = value as Record<string, unknown>;
  for (const key of Object.keys(doc))
    if (!SCENARIO_KEYS.includes(key))
      fail([key], `unknown key "${key}"; valid keys: ${SCENARIO_KEYS.join(', ')}`, 'key');
  if (typeof doc.name !== 'string' || doc.name === '') fail(['name'], 'a scenario needs a name');
  const given = topologyOf(doc.topology, file, fail, () => source(['topology']));
  const topology = doc.cloud === undefined ? given : { ...given, seed: seedOf(doc.cloud, file, fail) };
  if (doc.seed !== undefined && !(Number.isInteger(doc.seed) && (doc.seed as number) >= 0))
    fail(['seed'], `seed must be a whole number ≥ 0, got ${JSON.stringify(doc.seed)}`);
  if (!Array.isArray(doc.steps) || doc.steps.length === 0) fail(['steps'], 'a scenario needs a list of steps');
  const reader: StepReader = { fail, nodes: topology.nodes, faultNames: new Set() };
  const steps = (doc.steps as unknown[]).map((raw, i) => readStep(raw, i, reader));
  return {
    name: doc.name as string,
    file,
    description: leadingComments(text),
    topology,
    seed: (doc.seed as number | undefined) ?? 0,
    steps,
    lines: steps.map((_, i) => lineOf(['steps', i])),
  };
}

/** By path (its errors quoted at `topology`), or inline (its errors at their own place in this file). */
function topologyOf(value: unknown, file: string, fail: Fail, inline: () => string): Topology {
  const isMapping = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (typeof value !== 'string' && !isMapping)
    fail(['topology'], 'topology must be the path of a topology file, or a topology written here');
  try {
    return typeof value === 'string' ? loadTopology(resolve(dirname(file), value)) : parseTopology(inline(), file);
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    if (isMapping) throw new ScenarioError(err.file, err.line, err.column, err.what);
    return fail(['topology'], `the topology does not load: ${err.message}`);
  }
}

function seedOf(cloud: unknown, file: string, fail: Fail): Topology['seed'] {
  if (cloud === null || typeof cloud !== 'object' || Array.isArray(cloud) || Object.keys(cloud).join() !== 'seed')
    fail(['cloud'], "cloud takes one key, seed: a seed file's path or a seed written here");
  const { seed } = cloud as { seed: unknown };
  if (typeof seed !== 'string' && (seed === null || typeof seed !== 'object'))
    fail(['cloud', 'seed'], 'seed must be the path of a seed file, or a seed written here');
  return readSeed(seed as string | object, file, fail);
}

function readStep(raw: unknown, i: number, reader: StepReader): Step {
  const [kind, value] = keyedBy(raw, ['steps', i], reader.fail, STEP_KINDS, {
    shape: 'a step is a mapping with one key, its kind',
    one: 'step',
    many: 'steps',
  });
  return STEP_KINDS[kind as Step['kind']].read(value, ['steps', i, kind], reader) as Step;
}

/** The opening comment lines, without an editor's modeline (`# yaml-language-server: $schema=…`). */
function leadingComments(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    if (!line.startsWith('# yaml-language-server:')) lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ').trim();
}
