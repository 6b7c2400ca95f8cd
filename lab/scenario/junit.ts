/** JUnit XML of scenario results, the subset CI tools read (Jenkins, GitLab, GitHub test reporters). */
import type { ScenarioResult } from './run-scenario.ts';

const xml = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** One test suite per scenario file, one test case per step (those after a failure skipped); a file that did not
 * load is one error. */
export function junitXml(results: readonly (ScenarioResult | { file: string; error: string })[]): string {
  const suites = results.map((r) => {
    if ('error' in r)
      return (
        `  <testsuite name="${xml(r.file)}" tests="1" failures="0" errors="1">\n` +
        `    <testcase name="load" classname="${xml(r.file)}"><error message="${xml(r.error)}"/></testcase>\n` +
        `  </testsuite>`
      );
    const failures = r.steps.filter((s) => !s.ok && !s.skipped).length;
    const skipped = r.steps.filter((s) => s.skipped).length;
    const cases = r.steps.map((s) => {
      const head = `    <testcase name="${xml(`line ${s.line}: ${s.explain}`)}" classname="${xml(r.name)}" time="${s.ms / 1000}"`;
      if (s.ok) return `${head}/>`;
      if (s.skipped) return `${head}>\n      <skipped message="an earlier step failed"/>\n    </testcase>`;
      const body = [s.why ?? '', '', ...(r.timeline ?? [])].join('\n');
      return `${head}>\n      <failure message="${xml(s.why ?? 'failed')}">${xml(body)}</failure>\n    </testcase>`;
    });
    return (
      `  <testsuite name="${xml(r.name)}" file="${xml(r.file)}" tests="${r.steps.length}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
      `${cases.join('\n')}\n  </testsuite>`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}
