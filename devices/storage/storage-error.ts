/**
 * A storage operation the disk refused (full, permission, a path that is not a directory…). The message is
 * one line naming the path and the operation, so the device layer can log it as it is. Problems with the
 * stored bytes themselves are never thrown: they are a `DecodeResult` (storage-codec.ts).
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/** One line from whatever was thrown underneath (Node's fs and node:sqlite messages are one line already). */
export function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0]!;
}
