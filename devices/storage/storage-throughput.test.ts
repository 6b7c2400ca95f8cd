import { expect, it } from 'vitest';
import { measureStorageThroughput } from './storage-throughput.ts';

it('measures every backend and mode on a small run (figures are reported, not asserted)', () => {
  const figures = measureStorageThroughput(50, 1_500);
  expect(figures.map((f) => `${f.backend} ${f.mode}`)).toEqual([
    'memory single writes',
    'memory reads + decode',
    'directory single writes',
    'directory reads + decode',
    'sqlite single writes',
    'sqlite reads + decode',
    'sqlite one transaction',
  ]);
  for (const f of figures) expect(f).toMatchObject({ records: 50, perSecond: expect.any(Number) });
});
