import { describe, expect, it } from 'vitest';
import { MemoryBackend } from './memory-backend.ts';

describe('MemoryBackend', () => {
  it('keeps every byte value exactly', () => {
    const b = new MemoryBackend();
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    b.write('FOC1', bytes);
    expect(b.read('FOC1')!.equals(bytes)).toBe(true);
  });

  it('copies in and out: changing a written or a read buffer changes nothing stored', () => {
    const b = new MemoryBackend();
    const bytes = Buffer.from('LICLAB-STORE 1');
    b.write('FOC1', bytes);
    bytes[0] = 0;
    b.read('FOC1')![1] = 0;
    expect(b.read('FOC1')!.toString()).toBe('LICLAB-STORE 1');
  });
});
