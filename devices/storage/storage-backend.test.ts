/** The StorageBackend contract, run on every implementation. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryBackend } from './directory-backend.ts';
import { MemoryBackend } from './memory-backend.ts';
import { SqliteBackend } from './sqlite-backend.ts';
import type { StorageBackend } from './storage-backend.ts';
import { StorageError } from './storage-error.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'device-storage-'));
  dirs.push(dir);
  return dir;
}

const backends: [string, () => StorageBackend][] = [
  ['MemoryBackend', () => new MemoryBackend()],
  ['DirectoryBackend', () => new DirectoryBackend(join(tempDir(), 'records'))],
  ['SqliteBackend', () => new SqliteBackend(join(tempDir(), 'db', 'devices.db'))],
];

describe.each(backends)('%s', (_name, open) => {
  it('reads back what it wrote, byte for byte, and replaces on rewrite', () => {
    const backend = open();
    const bytes = Buffer.from([0, 1, 2, 0x0a, 0xff, 0x80]);
    expect(backend.read('FOC2041X0AB')).toBeUndefined();
    backend.write('FOC2041X0AB', bytes);
    expect(backend.read('FOC2041X0AB')).toEqual(bytes);
    backend.write('FOC2041X0AB', Buffer.from('second'));
    expect(backend.read('FOC2041X0AB')?.toString()).toBe('second');
    backend.write('empty', Buffer.alloc(0));
    expect(backend.read('empty')).toEqual(Buffer.alloc(0));
    backend.close();
  });

  it('keeps its own copy: changing the buffers afterwards changes nothing stored', () => {
    const backend = open();
    const bytes = Buffer.from('abc');
    backend.write('k', bytes);
    bytes[0] = 0x7a;
    backend.read('k')![1] = 0x7a;
    expect(backend.read('k')?.toString()).toBe('abc');
  });

  it('lists keys sorted, deletes, and ignores deleting an absent key', () => {
    const backend = open();
    for (const key of ['b', 'a.corrupt-5', 'A', 'a']) backend.write(key, Buffer.from(key));
    expect(backend.keys()).toEqual(['A', 'a', 'a.corrupt-5', 'b']);
    backend.delete('a');
    backend.delete('never-written');
    expect(backend.keys()).toEqual(['A', 'a.corrupt-5', 'b']);
    expect(backend.read('a')).toBeUndefined();
  });

  it.each([
    '',
    '.',
    '..',
    '../escape',
    '..\\escape',
    'a/b',
    '/etc/passwd',
    '.hidden',
    '-flag',
    'nul\0byte',
    'new\nline',
    'x'.repeat(129),
    'sp ace',
    'é',
  ])('refuses the key %j on every operation', (key) => {
    const backend = open();
    const message = `invalid storage key ${JSON.stringify(key)}: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`;
    for (const op of [() => backend.read(key), () => backend.write(key, Buffer.from('x')), () => backend.delete(key)]) {
      expect(op).toThrow(new StorageError(message));
    }
    expect(backend.keys()).toEqual([]);
  });

  it('accepts the longest key (128 characters)', () => {
    const backend = open();
    backend.write('k'.repeat(128), Buffer.from('x'));
    expect(backend.keys()).toEqual(['k'.repeat(128)]);
  });

  it('refuses every operation after close, with a StorageError', () => {
    const backend = open();
    backend.write('k', Buffer.from('x'));
    backend.close();
    backend.close();
    for (const op of [
      () => backend.read('k'),
      () => backend.write('k', Buffer.from('x')),
      () => backend.delete('k'),
      () => backend.keys(),
    ]) {
      expect(op).toThrow(StorageError);
      expect(op).toThrow(/ is closed$/);
    }
  });
});
