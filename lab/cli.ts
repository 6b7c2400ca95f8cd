/**
 * The `lab` command. Exit codes: 0 success, 1 failed expectations, 2 usage or input errors.
 * Errors are one line naming the bad value; no stack traces reach the user.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DomainError, StoreError } from '#cloud';
import { UnknownPidError } from '#devices';
import { cloudHelp, runCloud } from './cloud-command.ts';
import { deviceHelp, runDevice } from './device-command.ts';
import { UsageError } from './usage-error.ts';

const mainHelp = `Usage: lab <command> [options]

Commands:
  cloud     run the mock licensing cloud alone (the default of npm start)
  device    an IOS console on one virtual device (its own cloud in process, or --cloud URL)
  bench     run the benchmarks and write JSON figures under bench/results/ (also npm run bench)

Fleets (lab up), scenarios (lab run) and consoles on fleet devices (lab console / lab exec) arrive with the issues that build them.
Run 'lab <command> --help' for a command's options.
`;

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    log(mainHelp);
    return command === undefined ? 2 : 0;
  }
  if (command === 'cloud') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        tls: { type: 'boolean' },
        db: { type: 'string' },
        seed: { type: 'string' },
        step: { type: 'boolean' },
        speed: { type: 'string' },
        'rate-limit': { type: 'string' },
        'lab-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      log(cloudHelp);
      return 0;
    }
    // Handlers first: runCloud prints "listening" before it returns, and a signal sent on seeing that
    // line must still close the cloud cleanly.
    const signal = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const running = await runCloud(values, log);
    log(`[cloud] ${await signal}: closing`);
    await running.close().catch((err: Error) => log(`[cloud] closing failed: ${err.message}`));
    return 0;
  }
  if (command === 'device') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        pid: { type: 'string' },
        sn: { type: 'string' },
        hostname: { type: 'string' },
        cloud: { type: 'string' },
        ca: { type: 'string' },
        db: { type: 'string' },
        storage: { type: 'string' },
        speed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      log(deviceHelp);
      return 0;
    }
    await runDevice(values, process.stdout);
    return 0;
  }
  if (command === 'bench') {
    // The benchmarks sit beside the lab, not inside it: run them as their own process.
    const run = spawnSync(process.execPath, [fileURLToPath(new URL('../bench/run.ts', import.meta.url))], {
      stdio: 'inherit',
    });
    return run.status ?? 1;
  }
  throw new UsageError(`unknown command "${command}"; valid commands: cloud, device, bench (lab --help)`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known =
      err instanceof UsageError ||
      err instanceof UnknownPidError ||
      err instanceof DomainError ||
      err instanceof StoreError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = err instanceof Error ? err.message : String(err);
    // One line, whatever the source (parseArgs writes several).
    process.stderr.write(
      `lab: ${message
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' ')}\n`,
    );
    if (!known) process.stderr.write('lab: this is a defect; please report it with the command you ran\n');
    process.exitCode = known ? 2 : 1;
  },
);
