/**
 * Durability under SIGKILL: a child process saves records in a loop to a DirectoryBackend and a
 * SqliteBackend, is killed mid-flight, and afterwards every record on both decodes, none older than the
 * last save the child reported done.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { DirectoryBackend } from './directory-backend.ts';
import { SqliteBackend } from './sqlite-backend.ts';
import type { StorageBackend } from './storage-backend.ts';
import { decodeRecord } from './storage-codec.ts';

const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const KEYS = 40;
const here = (file: string) => new URL(file, import.meta.url).href;

const CHILD = `
import { DirectoryBackend } from ${JSON.stringify(here('directory-backend.ts'))};
import { SqliteBackend } from ${JSON.stringify(here('sqlite-backend.ts'))};
import { encodeRecord } from ${JSON.stringify(here('storage-codec.ts'))};
const [dir, db] = process.argv.slice(2);
const backends = [new DirectoryBackend(dir), new SqliteBackend(db)];
const pad = 'x'.repeat(1500);
for (let seq = 1; ; seq++) {
  const bytes = encodeRecord({ kind: 'smart', version: 1, savedAt: seq, payload: { seq, pad } });
  for (const backend of backends) backend.write('FOC2041X' + String(seq % ${KEYS}).padStart(4, '0'), bytes);
  process.stdout.write(seq + '\\n');
}
`;

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

it('every record decodes after the writer is SIGKILLed, none older than its last finished save', async () => {
  root = mkdtempSync(join(tmpdir(), 'storage-sigkill-'));
  const script = join(root, 'writer.mjs');
  writeFileSync(script, CHILD);
  const dir = join(root, 'records');
  const db = join(root, 'devices.db');
  const child = spawn(NODE, [script, dir, db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  await new Promise<void>((started, failed) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Past the first round of every key, then at a moment the writer cannot choose.
      if (Number(out.slice(out.lastIndexOf('\n', out.length - 2) + 1)) > 2 * KEYS) {
        setTimeout(() => started(), Math.random() * 100);
      }
    });
    child.on('exit', () => failed(new Error(`writer exited before the kill: ${err}`)));
  });
  child.kill('SIGKILL');
  expect(await exit).toBe('SIGKILL');
  const finished = Number(out.trimEnd().split('\n').at(-1));

  const check = (backend: StorageBackend) => {
    expect(backend.keys()).toHaveLength(KEYS);
    for (const key of backend.keys()) {
      const result = decodeRecord(backend.read(key), { kind: 'smart', maxVersion: 1 });
      if (!result.ok) throw new Error(`${key}: ${result.problem}: ${result.detail}`);
      // The last finished save of this key: the highest seq <= finished with seq % KEYS === key number.
      const n = Number(key.slice(-4));
      const lastFinished = finished - ((((finished - n) % KEYS) + KEYS) % KEYS);
      expect(result.record.savedAt, key).toBeGreaterThanOrEqual(lastFinished);
    }
    backend.close();
  };
  check(new DirectoryBackend(dir));
  expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  check(new SqliteBackend(db));
});
