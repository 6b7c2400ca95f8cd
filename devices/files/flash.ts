/**
 * The device's local file systems, `flash:` and `usbflash0:` (`flash0:` is the ISR G2 name of the same
 * flash), kept in its trusted record so they survive reload and lab restart like a real flash. Text files
 * only (license files, saved licenses). Bounded: the lab keeps the record small, so a device holds at most
 * FLASH_CAPACITY bytes over both file systems (real flash is far larger; big files are not what the lab
 * is about). Pure functions over the record's map.
 */

export interface StoredFile {
  text: string;
  /** Device time it was written (`dir` shows it), epoch ms. */
  at: number;
}

export const FILE_SYSTEMS = ['flash:', 'usbflash0:'] as const;
export type FileSystem = (typeof FILE_SYSTEMS)[number];
/** Lab choice: 4 MiB of text per device (a license file is ~1 KB; a 1 MiB+ file still fits, to be refused). */
export const FLASH_CAPACITY = 4 * 1024 * 1024;

const ALIASES: Record<string, FileSystem> = { 'flash:': 'flash:', 'flash0:': 'flash:', 'usbflash0:': 'usbflash0:' };
const NAME_RE = /^[A-Za-z0-9_.+-][A-Za-z0-9_.+-]{0,127}$/;

export type PathCheck = { ok: true; fs: FileSystem; name: string; path: string } | { ok: false; error: string };

/** `flash:x.lic`, `flash:/x.lic`, `flash0:x.lic` → `flash:x.lic`; other URLs are refused naming the valid ones. */
export function checkPath(url: string): PathCheck {
  const m = /^([A-Za-z0-9]+:)\/?(.*)$/.exec(url);
  const fs = m ? ALIASES[m[1]!.toLowerCase()] : undefined;
  if (!m || fs === undefined)
    return { ok: false, error: `%Error opening ${url} (Invalid file system; valid: flash:, usbflash0:)` };
  const name = m[2]!;
  if (!NAME_RE.test(name)) return { ok: false, error: `%Error opening ${url} (Invalid file name)` };
  return { ok: true, fs, name, path: `${fs}${name}` };
}

export const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8');

export function usedBytes(files: Readonly<Record<string, StoredFile>>, except?: string): number {
  return Object.entries(files).reduce((n, [p, f]) => (p === except ? n : n + bytesOf(f.text)), 0);
}

export type FileResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** The map with the file written; refused when it would not fit. */
export function writeFile(
  files: Readonly<Record<string, StoredFile>>,
  url: string,
  text: string,
  at: number,
): FileResult<Record<string, StoredFile>> {
  const p = checkPath(url);
  if (!p.ok) return p;
  const free = FLASH_CAPACITY - usedBytes(files, p.path);
  if (bytesOf(text) > free)
    return {
      ok: false,
      error: `%Error writing ${p.path} (No space left on device: ${bytesOf(text)} bytes, ${free} free)`,
    };
  return { ok: true, value: { ...files, [p.path]: { text, at } } };
}

export function readStoredFile(files: Readonly<Record<string, StoredFile>>, url: string): FileResult<string> {
  const p = checkPath(url);
  if (!p.ok) return p;
  const f = files[p.path];
  return f ? { ok: true, value: f.text } : { ok: false, error: `%Error opening ${p.path} (No such file or directory)` };
}

/** The files of one file system, by name, in name order. */
export function listFiles(
  files: Readonly<Record<string, StoredFile>>,
  fs: FileSystem,
): { name: string; file: StoredFile }[] {
  return Object.entries(files)
    .filter(([p]) => p.startsWith(fs))
    .map(([p, file]) => ({ name: p.slice(fs.length), file }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
