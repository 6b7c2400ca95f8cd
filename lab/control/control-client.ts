/**
 * How `lab exec` and `lab console` reach a running `lab up`: the lab's directory (named by its topology
 * file or its path, else the one lab running under ./.lab) holds the control API's URL and the lab key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LAB_KEY_HEADER } from '#cloud';
import { clientLabKey } from '../lab-key.ts';
import { labFiles, readLabState, runningPid } from '../fleet/lab-state.ts';
import { labDirOf, labDirs } from '../manage-command.ts';
import { UsageError } from '../usage-error.ts';

export interface RunningLab {
  name: string;
  dir: string;
  url: string;
  key: string | undefined;
}

export function findRunningLab(target: string | undefined, keyFlag: string | undefined): RunningLab {
  let dir: string;
  if (target !== undefined) dir = labDirOf(target);
  else {
    const running = labDirs().filter((d) => runningPid(d) !== undefined);
    if (running.length === 0) throw new UsageError('no lab is running under ./.lab; start one with lab up <topology>');
    if (running.length > 1)
      throw new UsageError(`${running.length} labs are running (${running.join(', ')}); name one with --lab`);
    dir = running[0]!;
  }
  const state = readLabState(dir);
  const name = state?.name ?? dir;
  if (runningPid(dir) === undefined) throw new UsageError(`lab "${name}" is not running; lab up starts it`);
  const file = labFiles(dir).control;
  if (!existsSync(file)) throw new UsageError(`lab "${name}" is still starting; try again in a moment`);
  return { name, dir, url: readFileSync(file, 'utf8').trim(), key: clientLabKey(keyFlag, process.env.LAB_KEY, dir) };
}

/** One call to the lab's control API; a refusal becomes a UsageError with the lab's own message. */
export async function callLab(
  lab: RunningLab,
  path: string,
  { body, method, signal }: { body?: unknown; method?: 'GET' | 'POST' | 'DELETE'; signal?: AbortSignal } = {},
): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${lab.url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...(lab.key !== undefined ? { [LAB_KEY_HEADER]: lab.key } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    throw new UsageError(`cannot reach lab "${lab.name}" at ${lab.url}: ${(err as Error).message}`);
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: the text itself
    }
    throw new UsageError(`lab "${lab.name}": ${message}`);
  }
  return res;
}
