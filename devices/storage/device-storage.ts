/**
 * One device's trusted storage: a backend and the device's key (its serial number). Saving frames and
 * checksums the payload (storage-codec.ts); loading never throws over the bytes, it says what is wrong so
 * the device can log it and boot clean. Disk failures are thrown as `StorageError` for the device to log.
 */
import type { StorageBackend } from './storage-backend.ts';
import { decodeRecord, encodeRecord, type DecodeResult } from './storage-codec.ts';
import { assertStorageKey } from './storage-key.ts';

export class DeviceStorage {
  readonly backend: StorageBackend;
  readonly key: string;

  constructor(backend: StorageBackend, key: string) {
    assertStorageKey(key);
    this.backend = backend;
    this.key = key;
  }

  /** `savedAt` is lab time (epoch ms) from the caller's clock. */
  save(kind: string, version: number, payload: unknown, savedAt: number): void {
    this.backend.write(this.key, encodeRecord({ kind, version, savedAt, payload }));
  }

  load(kind: string, maxVersion: number): DecodeResult {
    return decodeRecord(this.backend.read(this.key), { kind, maxVersion });
  }

  /**
   * Moves the stored record aside to `<key>.corrupt-<at>` (`-2`, `-3`… if that name is taken), keeping the
   * evidence while the device boots clean. `at` is the caller's lab time. Returns the new key, or
   * `undefined` when there was nothing stored.
   */
  quarantine(at: number): string | undefined {
    if (!Number.isFinite(at)) throw new RangeError(`quarantine time ${at} must be a finite number (epoch ms)`);
    const bytes = this.backend.read(this.key);
    if (bytes === undefined) return undefined;
    const base = `${this.key}.corrupt-${Math.trunc(at)}`;
    let aside = base;
    for (let n = 2; this.backend.read(aside) !== undefined; n++) aside = `${base}-${n}`;
    // Written before the original is deleted: a crash in between leaves two copies, never none.
    this.backend.write(aside, bytes);
    this.backend.delete(this.key);
    return aside;
  }

  /** Flips one byte in the middle of the stored record (bit rot, for faults); false when nothing is stored. */
  flipByte(): boolean {
    const bytes = this.backend.read(this.key);
    if (bytes === undefined) return false;
    const damaged = Buffer.from(bytes);
    const at = Math.floor(damaged.length / 2);
    damaged[at] = damaged[at]! ^ 0xff;
    this.backend.write(this.key, damaged);
    return true;
  }
}
