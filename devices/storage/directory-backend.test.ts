import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryBackend } from './directory-backend.ts';
import { decodeRecord, encodeRecord } from './storage-codec.ts';
import { StorageError } from './storage-error.ts';

const EXPECT = { kind: 'smart', maxVersion: 1 };
const OLD = encodeRecord({ kind: 'smart', version: 1, savedAt: 1000, payload: { evalUsedMs: 1 } });
const NEW = encodeRecord({ kind: 'smart', version: 1, savedAt: 2000, payload: { evalUsedMs: 2 } });

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'directory-backend-'));
  dir = join(root, 'records');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('DirectoryBackend', () => {
  it('creates its directory and keeps one file per key, named after it, with no temporary file left', () => {
    const backend = new DirectoryBackend(dir);
    backend.write('FOC2041X0AB', OLD);
    backend.write('FOC2041X0AB', NEW);
    expect(readdirSync(dir)).toEqual(['FOC2041X0AB']);
    expect(readFileSync(join(dir, 'FOC2041X0AB'))).toEqual(NEW);
  });

  it('a crash before the rename leaves the old record: the half-written temporary file is not a record', () => {
    const backend = new DirectoryBackend(dir);
    backend.write('FOC2041X0AB', OLD);
    // What a process killed mid-write leaves: its temporary file, never renamed.
    writeFileSync(join(dir, `.FOC2041X0AB.tmp-${process.pid}-0`), NEW.subarray(0, 40));
    expect(backend.keys()).toEqual(['FOC2041X0AB']);
    expect(decodeRecord(backend.read('FOC2041X0AB'), EXPECT)).toMatchObject({ ok: true, record: { savedAt: 1000 } });
    backend.write('FOC2041X0AB', NEW);
    expect(decodeRecord(backend.read('FOC2041X0AB'), EXPECT)).toMatchObject({ ok: true, record: { savedAt: 2000 } });
  });

  it("removes temporary files of other (dead) processes when opened, and keeps this process's", () => {
    mkdirSync(dir);
    const dead = `.FOC2041X0AB.tmp-${2 ** 31}-0`;
    const mine = `.FOC2041X0AC.tmp-${process.pid}-3`;
    writeFileSync(join(dir, dead), 'partial');
    writeFileSync(join(dir, mine), 'partial');
    writeFileSync(join(dir, 'FOC2041X0AB'), OLD);
    new DirectoryBackend(dir);
    expect(readdirSync(dir).sort()).toEqual([mine, 'FOC2041X0AB']);
  });

  it('a record truncated on disk reads as truncated, not as a crash', () => {
    const backend = new DirectoryBackend(dir);
    backend.write('FOC2041X0AB', NEW);
    truncateSync(join(dir, 'FOC2041X0AB'), NEW.length - 10);
    expect(decodeRecord(backend.read('FOC2041X0AB'), EXPECT)).toMatchObject({ ok: false, problem: 'truncated' });
    truncateSync(join(dir, 'FOC2041X0AB'), 0);
    expect(decodeRecord(backend.read('FOC2041X0AB'), EXPECT)).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('a key cannot escape the directory', () => {
    const backend = new DirectoryBackend(dir);
    expect(() => backend.write('../outside', OLD)).toThrow(/invalid storage key "..\/outside"/);
    expect(existsSync(join(root, 'outside'))).toBe(false);
  });

  it('turns disk errors into one-line StorageErrors naming the path', () => {
    const backend = new DirectoryBackend(dir);
    mkdirSync(join(dir, 'taken'));
    const file = join(dir, 'taken');
    expect(() => backend.read('taken')).toThrow(
      new StorageError(`cannot read ${file}: EISDIR: illegal operation on a directory, read`),
    );
    expect(() => backend.write('taken', OLD)).toThrow(
      new RegExp(`^cannot write ${file}: EISDIR: illegal operation on a directory, rename `),
    );
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(() => backend.delete('taken')).toThrow(new RegExp(`^cannot delete ${file}: EISDIR`));
    rmSync(dir, { recursive: true });
    expect(() => backend.write('k', OLD)).toThrow(new RegExp(`^cannot write ${join(dir, 'k')}: ENOENT`));
    expect(() => backend.keys()).toThrow(new RegExp(`^cannot list storage directory ${dir}: ENOENT`));
    writeFileSync(dir, 'a file where the directory should be');
    expect(() => new DirectoryBackend(dir)).toThrow(new RegExp(`^cannot open storage directory ${dir}: EEXIST`));
    expect(() => new DirectoryBackend(join(dir, 'sub'))).toThrow(
      new RegExp(`^cannot open storage directory ${join(dir, 'sub')}: ENOTDIR`),
    );
  });
});
