/**
 * `lab status`, `lab down` and `lab reset`: a lab run by `lab up`, named by its topology file or its
 * directory. They read the lab's directory only (lab-state.ts), so they work from any terminal.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostSleep } from './clock/index.ts';
import { LICENSE_STATES, type FleetSnapshot } from './fleet/fleet-summary.ts';
import { labFiles, readLabState, readStatus, runningPid } from './fleet/lab-state.ts';
import { loadTopology } from './fleet/topology.ts';
import { UsageError } from './usage-error.ts';

export const manageHelp = `Usage: lab status [<topology.yaml> | <lab dir>]
       lab down   <topology.yaml> | <lab dir>
       lab reset  <topology.yaml> | <lab dir> --yes

  status   whether the lab runs, its virtual time and its devices by licensing state (every lab under ./.lab
           when none is named)
  down     stops a running 'lab up' (SIGTERM: it saves its state first)
  reset    deletes the lab's directory (cloud database, device storage, virtual time); --yes confirms
`;

const LABS_ROOT = '.lab';

/** A topology file names the lab by its `name`; anything else is taken as the lab's directory. */
export function labDirOf(target: string): string {
  if (/\.ya?ml$/i.test(target)) return resolve(LABS_ROOT, loadTopology(target).name);
  if (!existsSync(target) || !statSync(target).isDirectory())
    throw new UsageError(`"${target}" is neither a topology file (.yaml) nor a lab directory`);
  return resolve(target);
}

/** Every lab directory under ./.lab. */
export function labDirs(): string[] {
  if (!existsSync(LABS_ROOT)) return [];
  return readdirSync(LABS_ROOT)
    .map((name) => resolve(LABS_ROOT, name))
    .filter((dir) => existsSync(labFiles(dir).state));
}

function describe(dir: string): string[] {
  const state = readLabState(dir);
  if (!state) return [`${dir}: no lab here (lab up <topology> makes one)`];
  const pid = runningPid(dir);
  const status = readStatus(dir) as FleetSnapshot | undefined;
  const lines = [
    `${state.name}: ${pid !== undefined ? `running (pid ${pid})` : 'stopped'} at ${new Date(state.labTime).toISOString()}` +
      ` · ${dir}`,
  ];
  if (status?.totals) {
    const states = LICENSE_STATES.filter((s) => status.totals[s]).map((s) => `${s} ${status.totals[s]}`);
    lines.push(`  ${status.devices} devices: ${states.join(', ')}`);
    lines.push(
      `  exchanges ${status.exchanges.sent} (${status.exchanges.failed} failed) · problems ${status.problems}`,
    );
  }
  return lines;
}

export function runStatus(target: string | undefined, log: (line: string) => void): void {
  const dirs = target === undefined ? labDirs() : [labDirOf(target)];
  if (dirs.length === 0) log(`no labs under ./${LABS_ROOT} (lab up <topology> makes one)`);
  for (const dir of dirs) for (const line of describe(dir)) log(line);
}

export async function runDown(target: string | undefined, log: (line: string) => void): Promise<void> {
  if (target === undefined) throw new UsageError('lab down needs the topology file or the lab directory');
  const dir = labDirOf(target);
  const pid = runningPid(dir);
  if (pid === undefined) {
    log(`${dir}: not running`);
    return;
  }
  process.kill(pid, 'SIGTERM');
  // `lab up` removes its pid file once everything is saved and closed; a big fleet takes a while.
  for (let i = 0; i < 1200 && runningPid(dir) !== undefined; i++) await hostSleep(100);
  log(runningPid(dir) === undefined ? `${dir}: stopped, state saved` : `${dir}: pid ${pid} did not stop`);
}

export function runReset(target: string | undefined, yes: boolean, log: (line: string) => void): void {
  if (target === undefined) throw new UsageError('lab reset needs the topology file or the lab directory');
  const dir = labDirOf(target);
  const pid = runningPid(dir);
  if (pid !== undefined) throw new UsageError(`lab in ${dir} is running (pid ${pid}); lab down first`);
  if (!existsSync(join(dir, 'lab.json')) && !existsSync(labFiles(dir).cloudDb))
    throw new UsageError(`${dir} is not a lab directory; nothing deleted`);
  if (!yes)
    throw new UsageError(
      `lab reset deletes ${dir} (cloud database, device storage, virtual time); add --yes to confirm`,
    );
  rmSync(dir, { recursive: true, force: true });
  log(`${dir}: deleted`);
}
