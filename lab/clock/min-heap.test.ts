import { describe, it, expect } from 'vitest';
import { MinHeap, type HeapEntry } from './min-heap.ts';

interface Entry extends HeapEntry {
  name: string;
}

const drain = (heap: MinHeap<Entry>): string[] => {
  const out: string[] = [];
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) out.push(e.name);
  return out;
};

describe('MinHeap', () => {
  it('pops by due, then by seq', () => {
    const heap = new MinHeap<Entry>();
    const input: Array<[number, string]> = [
      [5, 'e'],
      [1, 'a'],
      [3, 'c1'],
      [3, 'c2'],
      [2, 'b'],
      [3, 'c3'],
    ];
    input.forEach(([due, name], seq) => heap.push({ due, seq, name }));
    expect(heap.size).toBe(6);
    expect(heap.peek()?.name).toBe('a');
    expect(drain(heap)).toEqual(['a', 'b', 'c1', 'c2', 'c3', 'e']);
    expect(heap.size).toBe(0);
  });

  it('skips deleted entries, and compacts without losing order', () => {
    const heap = new MinHeap<Entry>();
    const entries: Entry[] = [];
    // Due times in a scrambled but fixed order.
    for (let seq = 0; seq < 5000; seq++) entries.push({ due: (seq * 7919) % 5000, seq, name: String(seq) });
    entries.forEach((e) => heap.push(e));
    const kept = entries.filter((e) => e.seq % 3 === 0);
    for (const e of entries) if (e.seq % 3 !== 0) heap.delete(e);
    heap.delete(entries[1] as Entry);
    expect(heap.size).toBe(kept.length);
    const expected = kept.sort((a, b) => a.due - b.due || a.seq - b.seq).map((e) => e.name);
    expect(drain(heap)).toEqual(expected);
  });
});
