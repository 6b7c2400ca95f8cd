/**
 * One file per key in one directory. A write goes to a temporary file, is fsynced, then renamed over the
 * record: rename is atomic, so a process killed mid-write leaves the old record or the new one, never a
 * torn one. The directory itself is not fsynced after the rename: after a power cut the last rename may
 * be lost (the old record comes back), which keeps "old or new" at half the fsyncs.
 *
 * Temporary files are `.<key>.tmp-<pid>-<thread>`: never a valid key, so `keys()` skips them, and worker
 * threads of one process never share one. Those left by a dead process are removed when the directory is
 * opened; a directory belongs to one lab process at a time.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { StorageBackend } from './storage-backend.ts';
import { reason, StorageError } from './storage-error.ts';
import { assertStorageKey, isStorageKey } from './storage-key.ts';

const TEMP = /^\..+\.tmp-(\d+)-\d+$/;

/** Clean-up after a failed write: the error worth reporting is the one that made the write fail. */
function bestEffort(cleanUp: () => void): void {
  try {
    cleanUp();
  } catch {
    /* the write's own error is thrown */
  }
}

export class DirectoryBackend implements StorageBackend {
  readonly dir: string;
  private closed = false;

  constructor(dir: string) {
    this.dir = resolve(dir);
    try {
      mkdirSync(this.dir, { recursive: true });
      for (const name of readdirSync(this.dir)) {
        const temp = TEMP.exec(name);
        if (temp && Number(temp[1]) !== process.pid) rmSync(join(this.dir, name), { force: true });
      }
    } catch (err) {
      throw new StorageError(`cannot open storage directory ${this.dir}: ${reason(err)}`);
    }
  }

  read(key: string): Buffer | undefined {
    const file = this.file(key);
    try {
      return readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StorageError(`cannot read ${file}: ${reason(err)}`);
    }
  }

  write(key: string, bytes: Buffer): void {
    const file = this.file(key);
    const temp = join(this.dir, `.${key}.tmp-${process.pid}-${threadId}`);
    let fd: number | undefined;
    try {
      fd = openSync(temp, 'w');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(temp, file);
    } catch (err) {
      if (fd !== undefined) bestEffort(() => closeSync(fd!));
      bestEffort(() => rmSync(temp, { force: true }));
      throw new StorageError(`cannot write ${file}: ${reason(err)}`);
    }
  }

  delete(key: string): void {
    const file = this.file(key);
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new StorageError(`cannot delete ${file}: ${reason(err)}`);
    }
  }

  keys(): string[] {
    this.open();
    try {
      return readdirSync(this.dir).filter(isStorageKey).sort();
    } catch (err) {
      throw new StorageError(`cannot list storage directory ${this.dir}: ${reason(err)}`);
    }
  }

  close(): void {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new StorageError(`storage directory ${this.dir} is closed`);
  }

  private file(key: string): string {
    this.open();
    assertStorageKey(key);
    return join(this.dir, key);
  }
}
