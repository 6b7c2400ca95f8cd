/**
 * Storage keys are device serial numbers (`LLLYYWWSSSS`) and their quarantine names
 * (`<serial>.corrupt-<time>`). Every backend accepts the same keys, so a fleet can move between backends;
 * the pattern also makes a key a safe single file name (no separator, no leading dot, no `..` escape).
 */
import { StorageError } from './storage-error.ts';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) {
    throw new StorageError(
      `invalid storage key ${JSON.stringify(key)}: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
}
