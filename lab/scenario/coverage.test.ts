/** Coverage of the agents' machines: the universe from the machine's definition, what a run reached. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agentMachines } from '#devices';
import { AgentCoverage, coverageText } from './coverage.ts';
import { runScenario } from './run-scenario.ts';
import { parseScenario } from './scenario.ts';

const FILE = fileURLToPath(new URL('../../scenarios/coverage.scenario.yaml', import.meta.url));

const scenario = (steps: string) =>
  parseScenario(
    `name: c
topology:
  name: c
  cloud: { seed: cloud-seed.example.yaml }
  defaults: { cloud: { account: example.com, virtualAccount: DEFAULT, token: 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D' } }
  nodes: { sw: { pid: C9300-24P } }
steps:
${steps}`,
    FILE,
  );

describe('agent coverage', () => {
  it('counts the states and transitions a run reached against the whole machine, and names the rest', async () => {
    const coverage = new AgentCoverage();
    await runScenario(scenario('  - runUntil: { on: sw, state: AUTHORIZED, within: 1h }\n'), { coverage });
    const [smart] = coverage.report();
    expect(smart!.machine).toBe('smart');
    expect(smart!.states.total).toBeGreaterThan(40);
    expect(smart!.transitions.total).toBeGreaterThan(80);
    // Reached: booting (a transient state, seen only by the transition out of it) into registration.
    const never = new Set(smart!.states.never);
    for (const state of ['agent.boot', 'agent.enabled.registered.authorization.authorized'])
      expect(never.has(state), state).toBe(false);
    for (const state of ['agent.disabled', 'agent.enabled.deregistering']) expect(never.has(state), state).toBe(true);
    expect(smart!.states.covered + smart!.states.never.length).toBe(smart!.states.total);
    const text = coverageText(coverage.report());
    expect(text[0]).toMatch(/^coverage of the smart machine: states \d+\/\d+ \(\d+ %\), transitions \d+\/\d+/);
    expect(text).toContain('  never covered: state agent.disabled');
    expect(text).toContain('  never covered: agent.enabled → agent.disabled on license.disable');
  });

  it('adds up over runs: a second scenario covers what the first did not', async () => {
    const coverage = new AgentCoverage();
    await runScenario(scenario('  - runUntil: { on: sw, state: AUTHORIZED, within: 1h }\n'), { coverage });
    const first = coverage.report()[0]!.transitions.covered;
    const disable = `  - cli: { on: sw, run: configure terminal }
  - cli: { on: sw, run: no license smart enable }
  - cli: { on: sw, run: end }
`;
    await runScenario(scenario(disable), { coverage });
    const [after] = coverage.report();
    expect(after!.transitions.covered).toBeGreaterThan(first);
    expect(after!.transitions.never).not.toContain('agent.enabled → agent.disabled on license.disable');
  });

  it('lists the machines it was given from the start: one no device ran is wholly uncovered', async () => {
    const coverage = new AgentCoverage(agentMachines({ now: () => 0 }));
    await runScenario(scenario('  - runUntil: { on: sw, state: AUTHORIZED, within: 1h }\n'), { coverage });
    const byMachine = Object.fromEntries(coverage.report().map((r) => [r.machine, r]));
    expect(Object.keys(byMachine).sort()).toEqual(['slp', 'smart', 'traditional']);
    expect(byMachine.smart!.states.covered).toBeGreaterThan(0);
    for (const idle of [byMachine.slp!, byMachine.traditional!]) {
      expect(idle.states.covered).toBe(0);
      expect(idle.states.never.length).toBe(idle.states.total);
    }
  });

  it('has nothing to report when no agent ran', () => {
    expect(coverageText(new AgentCoverage().report())).toEqual(['coverage: no licensing agent ran']);
  });
});
