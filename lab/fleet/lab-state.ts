/**
 * A lab's directory (`./.lab/<topology name>/` by default): the cloud's database, the devices' trusted
 * storage, `lab.json` (virtual time and arrivals, to resume), `status.json` (the last summary, for
 * `lab status`), and `lab.pid` and `control.url` while `lab up` runs. Files are replaced atomically
 * (write, then rename), so a power cut leaves the old state or the new one, never half of one.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SavedFault } from '../faults/resumed-faults.ts';
import { UsageError } from '../usage-error.ts';

export interface LabState {
  version: 1;
  /** The topology's name: a lab directory belongs to one topology. */
  name: string;
  topologyFile: string;
  /** Lab time of the first `lab up`: arrivals count from it, serial numbers encode it. */
  firstStart: number;
  /** Lab time when the state was last saved: the next `lab up` resumes here. */
  labTime: number;
  /** Hostnames already told to register. */
  told: string[];
  /** Faults added while the lab ran (`lab fault add`, the control API) and not over yet. */
  faults?: SavedFault[];
}

export const labFiles = (dir: string) => ({
  state: join(dir, 'lab.json'),
  status: join(dir, 'status.json'),
  pid: join(dir, 'lab.pid'),
  /** The control API's URL while `lab up` runs, for `lab exec` and `lab console`. */
  control: join(dir, 'control.url'),
  cloudDb: join(dir, 'cloud.db'),
  devicesDb: join(dir, 'devices.db'),
  /** The CA of the syslog collector's TLS certificate (PEM, for senders to trust) and its key. */
  syslogCa: join(dir, 'syslog-ca.pem'),
  syslogCaKey: join(dir, 'syslog-ca.key.pem'),
});

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not a readable ${what} (${(err as Error).message}); move it away to start over`);
  }
}

export function readLabState(dir: string): LabState | undefined {
  const file = labFiles(dir).state;
  if (!existsSync(file)) return undefined;
  const s = readJson(file, 'lab state') as Partial<LabState> | null;
  const valid =
    s !== null &&
    typeof s === 'object' &&
    s.version === 1 &&
    typeof s.name === 'string' &&
    typeof s.topologyFile === 'string' &&
    Number.isFinite(s.firstStart) &&
    Number.isFinite(s.labTime) &&
    Array.isArray(s.told) &&
    s.told.every((h) => typeof h === 'string') &&
    (s.faults === undefined ||
      (Array.isArray(s.faults) &&
        s.faults.every(
          (f: Partial<SavedFault> | null) =>
            f !== null &&
            typeof f === 'object' &&
            typeof f.spec === 'object' &&
            f.spec !== null &&
            Number.isFinite(f.startsAt) &&
            (f.endsAt === undefined || Number.isFinite(f.endsAt)),
        )));
  if (!valid) throw new UsageError(`${file} is not a lab state of this version; move it away to start over`);
  return s as LabState;
}

/** The pid of a `lab up` still running on this directory, or undefined (a stale pid file is removed). */
export function runningPid(dir: string): number | undefined {
  const file = labFiles(dir).pid;
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      return pid;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPERM') return pid;
    }
  }
  rmSync(file, { force: true });
  return undefined;
}

export function readStatus(dir: string): unknown {
  const file = labFiles(dir).status;
  return existsSync(file) ? readJson(file, 'lab status') : undefined;
}
