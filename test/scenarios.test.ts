/**
 * The scenario library runs in `npm test`, each scenario in virtual time; `lab run` as a user runs it:
 * exit codes, a failing expectation's timeline, and file:line:column errors that stop only their file.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runLab, tempDir } from '#test-support/cloud-process.ts';
import { loadScenario, runScenario } from '#lab';

const LIBRARY = join(REPO, 'scenarios');
const files = (readdirSync(LIBRARY, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.scenario.yaml'))
  .sort();
const TOPOLOGY = join(REPO, 'scenarios/topologies/branch-office.topology.yaml');

describe('the scenario library', () => {
  it.each(files)('%s passes, and opens with two lines saying what it demonstrates', async (file) => {
    const scenario = loadScenario(join(LIBRARY, file));
    expect(scenario.description.length).toBeGreaterThan(40);
    const result = await runScenario(scenario);
    expect(result.steps.filter((s) => !s.ok)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('gives the same event log byte for byte on every run', async () => {
    const scenario = loadScenario(join(LIBRARY, 'smart/year-of-renewals.scenario.yaml'));
    const [a, b] = [await runScenario(scenario), await runScenario(scenario)];
    expect(a.eventLog.length).toBeGreaterThan(30);
    expect(b.eventLog).toEqual(a.eventLog);
  });
});

describe('lab run', () => {
  const write = (dir: string, name: string, steps: string) => {
    const file = join(dir, name);
    writeFileSync(file, `name: ${name}\ntopology: ${TOPOLOGY}\nsteps:\n${steps}`);
    return file;
  };

  it('fails a broken expectation with exit 1 and a timeline of what the device did, and writes JUnit', async () => {
    const dir = tempDir('lab-run-');
    const file = write(
      dir,
      'broken.scenario.yaml',
      '  - runUntil: { on: all, state: AUTHORIZED, within: 1h }\n  - expect: { on: lyo-sw-01, state: AUTH EXPIRED }\n  - advance: 1d\n',
    );
    const junit = join(dir, 'junit.xml');
    const run = await runLab(['run', file, '--junit', junit], { cwd: dir, timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('✗ line 5 [2026-01-01T00:00:00.000Z] expect lyo-sw-01 to be AUTH EXPIRED\n');
    expect(run.stdout).toContain('        lyo-sw-01: is AUTHORIZED\n');
    expect(run.stdout).toMatch(/lyo-sw-01 \(C9300-24P, SN \w+\): now AUTHORIZED\n.*%SMART_LIC-6-AGENT_REG_SUCCESS/s);
    expect(run.stdout).toMatch(/\n {10}states: 2026-01-01T00:00:00\.000Z EVAL → .* AUTHORIZED\n/);
    expect(run.stdout).not.toMatch(/at .*\.ts:\d+/);
    const xml = readFileSync(junit, 'utf8');
    expect(run.stdout).toMatch(/\n {4}- line 6 advance .*\(not run\)\n/);
    expect(xml).toMatch(/<testsuite name="broken\.scenario\.yaml" [^>]*tests="3" failures="1" errors="0" skipped="1">/);
    expect(xml).toMatch(/<testcase name="line 6: [^"]*"[^>]*>\n\s*<skipped message="an earlier step failed"\/>/);
    expect(xml).toContain('<failure message="lyo-sw-01: is AUTHORIZED">');
  }, 60_000);

  it('reports coverage of the agents’ machines as text and in the JSON, with the run’s seed', async () => {
    const dir = tempDir('lab-run-');
    const json = join(dir, 'run.json');
    const file = join(LIBRARY, 'smart/first-registration.scenario.yaml');
    const run = await runLab(['run', file, '--coverage', '--seed', '3', '--json', json], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/coverage of the smart machine: states \d+\/\d+ \(\d+ %\), transitions/);
    expect(run.stdout).toContain('  never covered: state agent.disabled\n');
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      results: { seed: number; ok: boolean }[];
      coverage: { machine: string; states: { covered: number } }[];
    };
    expect(report.results.map((r) => [r.seed, r.ok])).toEqual([[3, true]]);
    expect(report.coverage[0]!.machine).toBe('smart');
    expect(report.coverage[0]!.states.covered).toBeGreaterThan(10);
    const bad = await runLab(['run', file, '--seed', 'x'], { cwd: dir, timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--seed must be a whole number ≥ 0, got "x"');
  }, 60_000);

  it('names file, line, column and the valid choices of a bad file, exits 2, and still runs the others', async () => {
    const dir = tempDir('lab-run-');
    const good = write(dir, 'good.scenario.yaml', '  - runUntil: { on: all, state: AUTHORIZED, within: 1h }\n');
    const bad = [
      ['  - advance: 30x\n', /:4:14: expected a duration like 30d, 12h, 15m or 90s, got "30x"/],
      [
        '  - wait: 30d\n',
        /:4:5: unknown step "wait"; valid steps: advance, runUntil, cli, reload, powerLoss, rma, upgrade, fault, clear, cloud, portal, slp, expect/,
      ],
      [
        '  - expect: { on: sw-99, state: AUTHORIZED }\n',
        /:4:19: "sw-99" matches no device; devices: lyo-sw-01, lyo-sw-02, wan-router/,
      ],
      ['  - expect: { on: all, state: happy }\n', /:4:31: state must be one of AUTHORIZED, .*, got "happy"/],
      ['  - advance: [1d\n', /:\d+:\d+: not valid YAML/],
    ] as const;
    const files = bad.map(([steps], i) => write(dir, `bad-${i}.scenario.yaml`, steps));
    const run = await runLab(['run', ...files, good, join(dir, 'none-*.scenario.yaml')], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(2);
    for (const [i, [, message]] of bad.entries()) {
      const line = run.stdout.split('\n').find((l) => l.includes(`bad-${i}.scenario.yaml:`));
      expect(line, run.stdout).toMatch(message);
    }
    expect(run.stdout).toContain('✓ good.scenario.yaml');
    expect(run.stdout).toMatch(/none-\*\.scenario\.yaml:1:1: cannot read the scenario \(no such file\)/);
    const empty = tempDir('lab-run-empty-');
    const none = await runLab(['run', empty], { cwd: dir, timeoutMs: 60_000 });
    expect([none.code, none.stdout]).toEqual([
      2,
      `✗ ${empty}:1:1: cannot read the scenario (a directory with no *.scenario.yaml below it)\n0 of 1 scenarios passed\n`,
    ]);
    expect(run.stdout).toContain('1 of 7 scenarios passed');
    const glob = await runLab(['run', join(dir, 'go*.scenario.yaml')], { cwd: dir, timeoutMs: 60_000 });
    expect([glob.code, glob.stdout.split('\n').at(-2)]).toEqual([0, '1 of 1 scenarios passed']);
  }, 60_000);
});
