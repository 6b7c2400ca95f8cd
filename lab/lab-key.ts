/**
 * The lab key that guards a served cloud's lab control (/lab/…). `lab cloud` takes it from `--lab-key VALUE|FILE`,
 * then `LAB_KEY`, else from `lab-key` in the lab directory, creating a random one there (mode 0600) on first start.
 * Clients on the same machine (`lab device --cloud`, tests) read the same file, so nothing changes for them.
 * The key itself is never logged; only where it lives.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LabKey } from '#cloud';
import { UsageError } from './usage-error.ts';

export const LAB_KEY_FILE = 'lab-key';
const DEFAULT_LAB_DIRECTORY = '.lab';
const KEY_TEXT = /^[\x21-\x7e]{16,512}$/;

/** Where a cloud keeps its own files (lab key, CA PEM): beside its SQLite file, else ./.lab. */
export function labDirectory(db: string): string {
  return /^postgres(ql)?:\/\//i.test(db) || db === ':memory:' ? resolve(DEFAULT_LAB_DIRECTORY) : dirname(resolve(db));
}

function checked(value: string, from: string): string {
  const key = value.trim();
  if (!KEY_TEXT.test(key))
    throw new UsageError(
      `the lab key from ${from} must be 16 to 512 visible ASCII characters without spaces (got ${key.length} characters)`,
    );
  return key;
}

function readKeyFile(file: string, from: string): string {
  try {
    return checked(readFileSync(file, 'utf8'), from);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the lab key file ${file}: ${(err as Error).message}`);
  }
}

/** `--lab-key` names a file when one exists there (or when it looks like a path), else it is the key. */
function fromFlag(value: string): { value: string; where: string } {
  if (existsSync(value)) return { value: readKeyFile(value, `--lab-key ${value}`), where: resolve(value) };
  if (/[/\\]/.test(value) || value.startsWith('.'))
    throw new UsageError(`--lab-key ${value}: no such file (give the key itself or the path of a file holding it)`);
  return { value: checked(value, '--lab-key'), where: 'the value given to lab cloud --lab-key' };
}

export interface CloudLabKey {
  key: LabKey;
  /** A line for the cloud's log: where the key lives, never the key. */
  describe: string;
  /** The user set no key (it was read from, or made in, the lab directory). */
  generated: boolean;
}

export function cloudLabKey(flag: string | undefined, env: string | undefined, dir: string): CloudLabKey {
  if (flag !== undefined) {
    const key = fromFlag(flag);
    return { key, describe: `lab control needs the lab key given by --lab-key`, generated: false };
  }
  if (env !== undefined && env !== '')
    return {
      key: { value: checked(env, 'LAB_KEY'), where: 'the LAB_KEY environment variable of lab cloud' },
      describe: 'lab control needs the lab key from LAB_KEY',
      generated: false,
    };
  const file = join(dir, LAB_KEY_FILE);
  let created = false;
  if (!existsSync(file)) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new UsageError(`cannot create the lab key file ${file}: ${(err as Error).message}`);
    }
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      // Another cloud made it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new UsageError(`cannot create the lab key file ${file}: ${(err as Error).message}`);
    }
  }
  const value = readKeyFile(file, file);
  const open = (statSync(file).mode & 0o077) !== 0;
  return {
    key: { value, where: file },
    describe: `lab control needs the lab key in ${file}${created ? ' (created now, mode 0600)' : ''}${open ? `; warning: others can read it, run chmod 600 ${file}` : ''}`,
    generated: true,
  };
}

/** What a client sends: `--lab-key`, `LAB_KEY`, or the file a cloud on this machine made in `dir`; else none. */
export function clientLabKey(
  flag: string | undefined,
  env: string | undefined,
  dir = DEFAULT_LAB_DIRECTORY,
): string | undefined {
  if (flag !== undefined) return fromFlag(flag).value;
  if (env !== undefined && env !== '') return checked(env, 'LAB_KEY');
  const file = join(resolve(dir), LAB_KEY_FILE);
  return existsSync(file) ? readKeyFile(file, file) : undefined;
}
