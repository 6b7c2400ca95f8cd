/** Keeps the timers table and the chart in devices/README.md equal to smart-timers.ts and the Smart chart. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { chartFlowchart } from './licensing/chart-diagram.test-support.ts';
import { createSmartMachine } from './licensing/smart.machine.ts';
import { smartTimerTable } from './licensing/smart-timers.ts';
import { MINUTE, HOUR, DAY } from '#protocol';

const UNITS: [number, string][] = [
  [DAY, 'd'],
  [HOUR, 'h'],
  [MINUTE, 'min'],
  [1000, 's'],
];
const duration = (ms: number): string => {
  const unit = UNITS.find(([size]) => ms % size === 0);
  return unit ? `${ms / unit[0]} ${unit[1]}` : `${ms} ms`;
};

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

it('the README lists every smart licensing timer with its value and source', () => {
  const block = /<!-- smart-timers:start -->\n([\s\S]*?)\n<!-- smart-timers:end -->/.exec(readme)?.[1];
  const expected = [
    '| timer | value | source |',
    '| --- | --- | --- |',
    ...Object.entries(smartTimerTable).map(
      ([name, t]) => `| \`${name}\` | ${duration(t.ms)} | ${t.source.replaceAll('|', '\\|')} |`,
    ),
  ].join('\n');
  expect(block).toBe(expected);
});

it('the README shows the Smart chart as the machine defines it', () => {
  const block = /<!-- smart-chart:start -->\n```mermaid\n([\s\S]*?)\n```\n<!-- smart-chart:end -->/.exec(readme)?.[1];
  expect(block).toBe(chartFlowchart(createSmartMachine({ now: () => 0 })));
});
