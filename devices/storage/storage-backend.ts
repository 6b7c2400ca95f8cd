/**
 * Where device records live. Synchronous on purpose: a device saves on a state change in the middle of a
 * machine transition, and must not interleave with other work while it does. Implementations:
 * MemoryBackend (tests, throw-away labs), DirectoryBackend (one file per key), SqliteBackend (one table,
 * for fleets of 10,000-100,000 devices).
 *
 * Contract for every implementation: keys are checked by `assertStorageKey`; `write` replaces the whole
 * record atomically (a crash leaves the old or the new bytes, never a mix); `read` of an absent key is
 * `undefined`; `delete` of an absent key does nothing; `keys()` is sorted; disk failures and use after
 * `close()` throw a one-line `StorageError`.
 */
export interface StorageBackend {
  read(key: string): Buffer | undefined;
  write(key: string, bytes: Buffer): void;
  delete(key: string): void;
  keys(): string[];
  close(): void;
}
