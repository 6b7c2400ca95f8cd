import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '#protocol';
import { topologyFaultsFrom } from './topology-faults.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('topologyFaultsFrom', () => {
  const specs = [
    { kind: 'unreachable' as const, select: 'all', at: '10d', for: '5d' },
    { kind: 'reload' as const, select: 'all', at: '20d' },
    { kind: 'latency' as const, select: 'all', ms: 100 },
  ];

  it('on a new lab, every fault keeps its date, counted from the first start', () => {
    expect(topologyFaultsFrom(specs, T0, T0)).toEqual([
      { kind: 'unreachable', select: 'all', at: 10 * DAY, for: 5 * DAY },
      { kind: 'reload', select: 'all', at: 20 * DAY },
      { kind: 'latency', select: 'all', ms: 100, at: 0 },
    ]);
  });

  it('on a resumed lab, a fault under way goes on for what is left; one that ran does not run again', () => {
    expect(topologyFaultsFrom(specs, T0, T0 + 12 * DAY)).toEqual([
      { kind: 'unreachable', select: 'all', at: 0, for: 3 * DAY },
      { kind: 'reload', select: 'all', at: 8 * DAY },
      { kind: 'latency', select: 'all', ms: 100, at: 0 },
    ]);
    expect(topologyFaultsFrom(specs, T0, T0 + 20 * DAY + HOUR)).toEqual([
      { kind: 'latency', select: 'all', ms: 100, at: 0 },
    ]);
  });
});
