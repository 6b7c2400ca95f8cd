/**
 * Runs the real `lab` command as a child process on the pinned Node (vitest's process.execPath):
 * `startCloud` waits for `lab cloud` to print its "listening on" line; `runLab` runs a command to its exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(REPO, 'lab/cli.ts');
export const EXAMPLE_SEED = join(REPO, 'scenarios/cloud-seed.example.yaml');

export interface StartOptions {
  /** Extra environment (merged over process.env, with DATABASE_URL removed unless given here). */
  env?: Record<string, string>;
  /** Directory for the default SQLite file; a fresh mkdtemp directory when absent. */
  dir?: string;
  /** Do not add `--db <dir>/cloud.db` (e.g. the store comes from DATABASE_URL). */
  noDb?: boolean;
  timeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CloudProcess extends ListeningProcess {
  /** The temp directory (holds cloud.db unless noDb, and cloud-ca.pem with --tls). */
  dir: string;
  dbPath: string;
  /** The lab key the cloud uses (the file it made beside its database, or the LAB_KEY it was given). */
  labKey: string;
  /** `{ 'x-lab-key': labKey }`, for /lab/ control requests. */
  labHeaders: Record<string, string>;
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  return { ...env, ...extra };
}

export function tempDir(prefix = 'lab-cloud-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const randomLabKey = () => randomBytes(24).toString('base64url');

/**
 * The child's end, once its output is all read: 'close', not 'exit', which can come while stdout and stderr
 * still hold data (on a loaded machine a test then saw an empty stderr from a command that had printed its
 * error). Called right after spawn.
 */
function closed(child: ChildProcess): Promise<Exit> {
  return new Promise((done) => child.once('close', (code, signal) => done({ code, signal })));
}

/** A `lab <command>` process that has printed its `[<command>] listening on <url>` line. */
export interface ListeningProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<Exit>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<Exit>;
}

export async function startListening(
  command: string,
  args: string[],
  options: { env?: Record<string, string> | undefined; timeoutMs?: number | undefined } = {},
): Promise<ListeningProcess> {
  const child = spawn(process.execPath, [CLI, command, ...args], {
    cwd: REPO,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exit = closed(child);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const what = `lab ${command} ${args.join(' ')}`;
  const listening = new RegExp(`\\[${command}\\] listening on (\\S+?);?(\\s|$)`);

  const url = await new Promise<string>((ok, fail) => {
    const check = () => {
      const m = listening.exec(out);
      if (m) finish(() => ok(m[1]!));
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          fail(
            new Error(`${what} printed no "listening on" line within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`),
          ),
        ),
      timeoutMs,
    );
    const onExit = ({ code, signal }: Exit) =>
      finish(() =>
        fail(
          new Error(`${what} exited (code ${code}, signal ${signal}) before listening\nstdout: ${out}\nstderr: ${err}`),
        ),
      );
    let done = false;
    function finish(then: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      then();
    }
    child.stdout!.on('data', check);
    void exit.then(onExit);
  }).catch((e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  return {
    url,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exit;
    },
  };
}

export async function startCloud(flags: string[] = [], options: StartOptions = {}): Promise<CloudProcess> {
  const dir = options.dir ?? tempDir();
  const dbPath = join(dir, 'cloud.db');
  // On PostgreSQL the key file would land in the repository's .lab: give the cloud one instead.
  const env = options.noDb && !options.env?.LAB_KEY ? { ...options.env, LAB_KEY: randomLabKey() } : options.env;
  const started = await startListening('cloud', ['--port', '0', ...(options.noDb ? [] : ['--db', dbPath]), ...flags], {
    env,
    timeoutMs: options.timeoutMs,
  });

  const flagged = flags.includes('--lab-key') ? flags[flags.indexOf('--lab-key') + 1] : undefined;
  const labKey = flagged ?? env?.LAB_KEY ?? readFileSync(join(dir, 'lab-key'), 'utf8').trim();
  return { ...started, dir, dbPath, labKey, labHeaders: { 'x-lab-key': labKey } };
}

export interface RunResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs `lab <args>` to its exit (killed after timeoutMs). */
/** `input` is written to the command's standard input (then closed); without it stdin is /dev/null. */
export function runLab(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO,
    env: childEnv(options.env),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  return closed(child).then((e) => {
    clearTimeout(timer);
    return { ...e, stdout, stderr };
  });
}
