import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '#protocol';
import { resumeFaults, topologyFaults } from './resumed-faults.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('faults on a resumed lab', () => {
  const specs = [
    { kind: 'unreachable' as const, select: 'all', at: '10d', for: '5d' },
    { kind: 'reload' as const, select: 'all', at: '20d' },
    { kind: 'latency' as const, select: 'all', ms: 100 },
    { kind: 'clock-skew' as const, select: 'sw-1', ms: HOUR, at: '1d', for: '2d' },
    { kind: 'cloud-restart' as const, select: 'all', at: '2d' },
  ];
  const resumed = (now: number) => resumeFaults(topologyFaults(specs, T0), now);

  it('a topology fault counts from the first start; a cloud restart lasts 30 s unless told', () => {
    expect(topologyFaults(specs, T0)).toEqual([
      { spec: { kind: 'unreachable', select: 'all' }, startsAt: T0 + 10 * DAY, endsAt: T0 + 15 * DAY },
      { spec: { kind: 'reload', select: 'all' }, startsAt: T0 + 20 * DAY },
      { spec: { kind: 'latency', select: 'all', ms: 100 }, startsAt: T0 },
      { spec: { kind: 'clock-skew', select: 'sw-1', ms: HOUR }, startsAt: T0 + DAY, endsAt: T0 + 3 * DAY },
      { spec: { kind: 'cloud-restart', select: 'all' }, startsAt: T0 + 2 * DAY, endsAt: T0 + 2 * DAY + 30_000 },
    ]);
  });

  it('on a new lab, every fault keeps its date', () => {
    expect(resumed(T0)).toEqual([
      { spec: { kind: 'unreachable', select: 'all', at: 10 * DAY, for: 5 * DAY } },
      { spec: { kind: 'reload', select: 'all', at: 20 * DAY } },
      { spec: { kind: 'latency', select: 'all', ms: 100, at: 0 } },
      { spec: { kind: 'clock-skew', select: 'sw-1', ms: HOUR, at: DAY, for: 2 * DAY } },
      { spec: { kind: 'cloud-restart', select: 'all', at: 2 * DAY, for: 30_000 } },
    ]);
  });

  it('a fault under way goes on for what is left, without doing its start again; one that ran does not run again', () => {
    expect(resumed(T0 + 2 * DAY + 10_000)).toEqual([
      { spec: { kind: 'unreachable', select: 'all', at: 8 * DAY - 10_000, for: 5 * DAY } },
      { spec: { kind: 'reload', select: 'all', at: 18 * DAY - 10_000 } },
      { spec: { kind: 'latency', select: 'all', ms: 100, at: 0 }, startedAt: T0 },
      { spec: { kind: 'clock-skew', select: 'sw-1', ms: HOUR, at: 0, for: DAY - 10_000 }, startedAt: T0 + DAY },
      { spec: { kind: 'cloud-restart', select: 'all', at: 0, for: 20_000 }, startedAt: T0 + 2 * DAY },
    ]);
    expect(resumed(T0 + 20 * DAY + MINUTE)).toEqual([
      { spec: { kind: 'latency', select: 'all', ms: 100, at: 0 }, startedAt: T0 },
    ]);
  });

  it('a once fault that started is gone; one to come is kept', () => {
    const saved = [
      { spec: { kind: 'licenses-removed' as const, select: 'all' }, startsAt: T0 },
      { spec: { kind: 'token-revoked' as const, select: 'all' }, startsAt: T0 + HOUR },
    ];
    expect(resumeFaults(saved, T0 + MINUTE)).toEqual([
      { spec: { kind: 'token-revoked', select: 'all', at: HOUR - MINUTE } },
    ]);
  });
});
