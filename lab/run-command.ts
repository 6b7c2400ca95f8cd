/**
 * `lab run <files, directories or globs…> [--seed N] [--coverage] [--junit FILE] [--json FILE]`: runs
 * scenario files in virtual time and reports each step. Exit 0 when every expectation held, 1 when one
 * failed (with its timeline), 2 when a file could not be read or checked (file:line:column and the valid
 * choices); a bad file runs nothing of itself but the other files still run.
 */
import { globSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { agentMachines } from '#devices';
import { AgentCoverage, coverageText } from './scenario/coverage.ts';
import { loadScenario, ScenarioError, type Scenario } from './scenario/scenario.ts';
import { junitXml } from './scenario/junit.ts';
import { iso } from './scenario/report-text.ts';
import { runScenario, type ScenarioResult } from './scenario/run-scenario.ts';
import { UsageError } from './usage-error.ts';

export const runHelp = `Usage: lab run <scenario.yaml | directory | 'glob'>… [--seed N] [--coverage] [--junit FILE] [--json FILE]

Runs QA scenarios (scenarios/**/*.scenario.yaml) in virtual time against the in-process mock cloud, and
prints each step. A directory runs every *.scenario.yaml below it; a quoted glob
('scenarios/smart/*.yaml') runs what it matches.

  --seed N       which devices shares such as 10% pick (default each scenario's seed, else 0); the
                 same seed gives the same event log byte for byte
  --coverage     report which states and transitions of the licensing agents' machines the run
                 exercised, and which it never reached (also in --json)
  --junit FILE   write JUnit XML (one suite per scenario, one case per step) for CI
  --json FILE    write the results as JSON, with each scenario's event log

Exit status: 0 every expectation held, 1 an expectation failed, 2 a file could not be read or checked.
`;

export interface RunFlags {
  seed?: string | undefined;
  coverage?: boolean | undefined;
  junit?: string | undefined;
  json?: string | undefined;
}

/** Files as given, every *.scenario.yaml below a directory, and what a glob (quoted past the shell) matches. */
function scenarioFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (/[*?[{]/.test(path)) {
      // A glob as wide as `scenarios/*` also matches READMEs and seeds: only scenario files run.
      const matched = globSync(path)
        .filter((f) => f.endsWith('.scenario.yaml') && !statSync(f).isDirectory())
        .sort();
      // A glob that matches nothing, like a missing file, goes on as a file: loadScenario names it.
      return matched.length > 0 ? matched : [path];
    }
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return [path];
    const found = (readdirSync(path, { recursive: true }) as string[]).filter((f) => f.endsWith('.scenario.yaml'));
    // A directory with none goes on as itself: loadScenario says it holds no scenario.
    return found.length === 0 ? [path] : found.sort().map((f) => join(path, f));
  });
}

export async function runRun(paths: readonly string[], flags: RunFlags, log: (line: string) => void): Promise<number> {
  if (paths.length === 0) throw new UsageError('lab run needs scenario files or directories (lab run --help)');
  const files = scenarioFiles(paths);
  const coverage = flags.coverage ? new AgentCoverage(agentMachines({ now: () => 0 })) : undefined;
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && /^\d+$/.test(flags.seed!)))
    throw new UsageError(`--seed must be a whole number ≥ 0, got "${flags.seed}"`);
  const results: (ScenarioResult | { file: string; error: string })[] = [];
  let status = 0;
  for (const file of files) {
    let scenario: Scenario;
    try {
      scenario = loadScenario(file);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      log(`✗ ${err.message}`);
      results.push({ file, error: err.message });
      status = 2;
      continue;
    }
    let result: ScenarioResult;
    try {
      result = await runScenario(scenario, {
        ...(seed !== undefined ? { seed } : {}),
        ...(coverage ? { coverage } : {}),
      });
    } catch (err) {
      // The lab would not start for it (a seed the cloud refuses): the file's error, the others still run.
      const error = `${file}: the lab could not start: ${err instanceof Error ? err.message : String(err)}`;
      log(`✗ ${error}`);
      results.push({ file, error });
      status = 2;
      continue;
    }
    results.push(result);
    log(`${result.ok ? '✓' : '✗'} ${scenario.name} (${relative(process.cwd(), file)})`);
    for (const step of result.steps) {
      log(
        step.skipped
          ? `    - line ${step.line} ${step.explain} (not run)`
          : `    ${step.ok ? '✓' : '✗'} line ${step.line} [${iso(step.at)}] ${step.explain}`,
      );
      if (step.ok || step.skipped) continue;
      // What went wrong, then what happened around it, before the steps that did not run.
      for (const line of [...(step.why ?? '').split('\n'), ...(result.timeline ?? [])]) log(`        ${line}`);
    }
    if (!result.ok && status === 0) status = 1;
  }
  const failed = results.filter((r) => 'error' in r || !r.ok).length;
  log(`${results.length - failed} of ${results.length} scenarios passed`);
  const report = coverage?.report();
  if (report) for (const line of coverageText(report)) log(line);
  if (flags.junit) writeFileSync(flags.junit, junitXml(results));
  if (flags.json)
    writeFileSync(flags.json, `${JSON.stringify(report ? { results, coverage: report } : results, null, 2)}\n`);
  return status;
}
