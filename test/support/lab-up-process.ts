/**
 * A running `lab up` child process (CI=1, so it prints plain lines), for tests that act on a live lab.
 * Both pipes are read: an unread pipe keeps 'close' from ever firing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cloud-process.ts';

export interface LabUpProcess {
  child: ChildProcess;
  /** The exit code, once the child has exited and its output is read. */
  closed: Promise<number | null>;
  /** Resolves once the lab printed its "stop with Ctrl-C" line (everything is listening). */
  ready: Promise<void>;
  out(): string;
  err(): string;
}

export function startLabUp(args: string[], cwd: string, children: ChildProcess[]): LabUpProcess {
  const child = spawn(process.execPath, [CLI, 'up', ...args], {
    cwd,
    env: { ...process.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const closed = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const ready = new Promise<void>((ok, fail) => {
    child.stdout.on('data', () => (/stop with Ctrl-C/.test(out) ? ok() : undefined));
    void closed.then(() => fail(new Error(`lab up exited early: ${out}${err}`)));
  });
  return { child, closed, ready, out: () => out, err: () => err };
}
