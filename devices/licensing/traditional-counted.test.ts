import { describe, expect, it } from 'vitest';
import { newTraditionalRecord } from './traditional-record.ts';
import { allocateUsage, usageCrossing } from './traditional-counted.ts';
import type { License } from './traditional-licenses.ts';

const line = (key: string, count: number | null): License => ({
  key,
  feature: 'cme-srst',
  version: '1.0',
  type: 'permanent',
  store: 'primary',
  storeIndex: 1,
  lock: null,
  count,
  priority: 'medium',
  eulaRequired: false,
  comment: '',
});

describe('counted usage', () => {
  it('notifies once when 80 % is reached and once when the count is, never on the way down', () => {
    expect(usageCrossing(19, 20, 25)).toBe('aboutToExceed');
    expect(usageCrossing(20, 21, 25)).toBeUndefined();
    expect(usageCrossing(10, 25, 25)).toBe('exceeded');
    expect(usageCrossing(25, 19, 25)).toBeUndefined();
    expect(usageCrossing(0, 1, 0)).toBeUndefined();
    // 80 % of 4 is 3.2: the fourth unit is both; the count wins.
    expect(usageCrossing(3, 4, 4)).toBe('exceeded');
    expect(usageCrossing(2, 3, 4)).toBeUndefined();
  });

  it('fills licenses in preference order; usage beyond every count is the violation of the last', () => {
    const record = newTraditionalRecord();
    const licenses = [line('a', 25), line('b', 10), line('builtin', 0)];
    expect([...allocateUsage(licenses, record, 0, 'cme-srst', 30)]).toEqual([
      ['a', { countInUse: 25, countViolation: 0 }],
      ['b', { countInUse: 5, countViolation: 0 }],
    ]);
    expect(allocateUsage(licenses, record, 0, 'cme-srst', 38).get('b')).toEqual({ countInUse: 13, countViolation: 3 });
    // Nothing licensed any more (the line cleared): the built-in license shows the violation.
    expect(allocateUsage([line('builtin', 0)], record, 0, 'cme-srst', 2).get('builtin')).toEqual({
      countInUse: 2,
      countViolation: 2,
    });
  });
});
