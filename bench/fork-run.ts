/** Bench scripts in their own processes, so each run's peak RSS and event loop are its own. */
import { fork } from 'node:child_process';

/** Runs one bench script in its own process; its last stdout line is the run's JSON. */
export function forkRun<T>(script: string, args: (string | number)[], execArgv: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(script, import.meta.url), args.map(String), {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv,
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`[bench] ${script} ${args.join(' ')} exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}
