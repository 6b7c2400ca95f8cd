import { describe, expect, it } from 'vitest';
import { ReceivedLog } from './received-log.ts';

describe('ReceivedLog', () => {
  it('keeps the last items oldest first once it wraps, and filters them', () => {
    const log = new ReceivedLog<number>(3);
    for (let n = 1; n <= 5; n++) log.add(n);
    expect(log.filter(() => true)).toEqual([3, 4, 5]);
    expect(log.filter((n) => n % 2 === 1)).toEqual([3, 5]);
  });

  it('tells every listener, past one that throws, until it unsubscribes', () => {
    const log = new ReceivedLog<string>(10);
    const seen: string[] = [];
    log.listen(() => {
      throw new Error('bad listener');
    });
    const stop = log.listen((s) => seen.push(s));
    log.add('a');
    stop();
    log.add('b');
    expect(seen).toEqual(['a']);
    expect(log.filter(() => true)).toEqual(['a', 'b']);
  });
});
