/**
 * Keeps the timers tables and the charts in devices/README.md equal to smart-timers.ts, traditional-timers.ts,
 * slp-timers.ts and the three machines.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { chartFlowchart } from './licensing/chart-diagram.test-support.ts';
import { createSmartMachine } from './licensing/smart.machine.ts';
import { smartTimerTable } from './licensing/smart-timers.ts';
import type { TimerDefinition } from './licensing/timer-table.ts';
import { createTraditionalMachine } from './licensing/traditional.machine.ts';
import { traditionalTimerTable } from './licensing/traditional-timers.ts';
import { MINUTE, HOUR, DAY } from '#protocol';
import { KeyRing } from './licensing/device-key.ts';
import { createSlpMachine } from './licensing/slp.machine.ts';
import { slpTimerTable } from './licensing/slp-timers.ts';

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

const block = (name: string): string | undefined =>
  new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme)?.[1];

const timerTable = (table: Record<string, TimerDefinition>): string =>
  [
    '| timer | value | source |',
    '| --- | --- | --- |',
    ...Object.entries(table).map(
      ([name, t]) => `| \`${name}\` | ${duration(t.ms)} | ${t.source.replaceAll('|', '\\|')} |`,
    ),
  ].join('\n');

it('the README lists every smart licensing timer with its value and source', () => {
  expect(block('smart-timers')).toBe(timerTable(smartTimerTable));
});

it('the README lists every traditional licensing timer with its value and source', () => {
  expect(block('traditional-timers')).toBe(timerTable(traditionalTimerTable));
});

it('the README shows the traditional chart as the machine defines it', () => {
  const chart = chartFlowchart(createTraditionalMachine({ now: () => 0 }));
  expect(block('traditional-chart')).toBe(`\`\`\`mermaid\n${chart}\n\`\`\``);
});

it('the README shows the Smart chart as the machine defines it', () => {
  const block = /<!-- smart-chart:start -->\n```mermaid\n([\s\S]*?)\n```\n<!-- smart-chart:end -->/.exec(readme)?.[1];
  expect(block).toBe(chartFlowchart(createSmartMachine({ now: () => 0 })));
});

it('the README lists every SLP timer with its value and source', () => {
  expect(block('slp-timers')).toBe(timerTable(slpTimerTable));
});

it('the README shows the SLP chart as the machine defines it', () => {
  const chart = chartFlowchart(createSlpMachine({ now: () => 0 }, new KeyRing()));
  expect(block('slp-chart')).toBe(`\`\`\`mermaid\n${chart}\n\`\`\``);
});
