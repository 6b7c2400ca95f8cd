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
import { consoleHelp, runConsole, runExec } from './console-command.ts';
import { csluHelp, runCslu } from './cslu-command.ts';
import { onpremHelp, runOnPrem } from './onprem-command.ts';
import { deviceHelp, runDevice } from './device-command.ts';
import { faultHelp, runFault } from './fault-command.ts';
import { TopologyError } from './fleet/topology.ts';
import { manageHelp, runDown, runReset, runStatus } from './manage-command.ts';
import { runRun, runHelp } from './run-command.ts';
import { runUp, upHelp } from './up-command.ts';
import { UsageError } from './usage-error.ts';

const mainHelp = `Usage: lab <command> [options]

Commands:
  up        run the fleet a topology describes, with a live summary (npm start: the demo topology)
  status    whether a lab runs, its virtual time and its devices by licensing state
  down      stop a running lab (its state is saved; lab up resumes it)
  reset     delete a lab's directory (--yes)
  exec      run one IOS command on the devices a selector picks, in a running lab
  console   an interactive IOS console on one device of a running lab
  fault     add, list or clear faults (cloud unreachable, TLS, latency, 429, reload, …) on a running lab
  cloud     run the mock licensing cloud alone
  cslu      run a Cisco Smart License Utility stand-in (SLP devices report through it)
  onprem    run an SSM On-Prem stand-in (its own accounts; relays SLP usage to the cloud)
  device    an IOS console on one virtual device (its own cloud in process, or --cloud URL)
  bench     run the benchmarks and write JSON figures under bench/results/ (also npm run bench)

  run       run QA scenarios (scenarios/**/*.scenario.yaml) in virtual time, with JUnit/JSON reports
Run 'lab <command> --help' for a command's options.
`;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Ctrl-C or SIGTERM, as the name of the signal; armed before a command starts, so none is missed. */
const stopSignal = () =>
  new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

/**
 * A service command (`lab cloud`, `cslu`, `onprem`) until Ctrl-C or SIGTERM. The handlers are armed first: the
 * service prints "listening" before it returns, and a signal sent on seeing that line must still close it.
 */
/** The flags `lab cslu` and `lab onprem` share: where CSSM is, and how the relay serves. */
const RELAY_OPTIONS = {
  cloud: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  account: { type: 'string' },
  ca: { type: 'string' },
  offline: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  admin: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function serveUntilStopped(name: string, start: () => Promise<{ close(): Promise<void> }>): Promise<number> {
  const signal = stopSignal();
  const running = await start();
  log(`[${name}] ${await signal}: closing`);
  await running.close().catch((err: Error) => log(`[${name}] closing failed: ${err.message}`));
  return 0;
}

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
    return serveUntilStopped('cloud', () => runCloud(values, log));
  }
  if (command === 'cslu') {
    const options = {
      ...RELAY_OPTIONS,
      va: { type: 'string' },
      'pull-interval': { type: 'string' },
      'devices-via': { type: 'string' },
    } as const;
    const { values } = parseArgs({ args: rest, strict: true, options });
    if (values.help) return (log(csluHelp), 0);
    return serveUntilStopped('cslu', () => runCslu(values, log));
  }
  if (command === 'onprem') {
    const options = { ...RELAY_OPTIONS, seed: { type: 'string' }, http: { type: 'boolean' } } as const;
    const { values } = parseArgs({ args: rest, strict: true, options });
    if (values.help) return (log(onpremHelp), 0);
    return serveUntilStopped('onprem', () => runOnPrem(values, log));
  }
  if (command === 'device') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        pid: { type: 'string' },
        release: { type: 'string' },
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
  if (command === 'up') {
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        speed: { type: 'string' },
        step: { type: 'boolean' },
        until: { type: 'string' },
        dir: { type: 'string' },
        cloud: { type: 'string' },
        ca: { type: 'string' },
        port: { type: 'string' },
        'control-port': { type: 'string' },
        'syslog-port': { type: 'string' },
        'syslog-tls-port': { type: 'string' },
        syslog: { type: 'string' },
        'syslog-ca': { type: 'string' },
        'syslog-rate': { type: 'string' },
        'trap-port': { type: 'string' },
        traps: { type: 'string' },
        'snmp-port': { type: 'string' },
        'snmp-community': { type: 'string' },
        'snmp-device-ports': { type: 'string' },
        shards: { type: 'string' },
        plain: { type: 'boolean' },
        'lab-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      log(upHelp);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`lab up takes one topology file, got ${positionals.length}`);
    await runUp(positionals[0], values, process.stdout, stopSignal());
    return 0;
  }
  if (command === 'status' || command === 'down' || command === 'reset') {
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: { yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      log(manageHelp);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`lab ${command} takes one lab, got ${positionals.length}`);
    if (values.yes && command !== 'reset') throw new UsageError('--yes belongs to lab reset');
    if (command === 'status') runStatus(positionals[0], log);
    else if (command === 'down') await runDown(positionals[0], log);
    else runReset(positionals[0], values.yes === true, log);
    return 0;
  }
  if (command === 'fault') {
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        lab: { type: 'string' },
        'lab-key': { type: 'string' },
        at: { type: 'string' },
        for: { type: 'string' },
        how: { type: 'string' },
        why: { type: 'string' },
        ms: { type: 'string' },
        status: { type: 'string' },
        'retry-after': { type: 'string' },
        quantity: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      log(faultHelp);
      return 0;
    }
    await runFault(positionals, values, log);
    return 0;
  }
  if (command === 'exec' || command === 'console') {
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: { lab: { type: 'string' }, 'lab-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      log(consoleHelp);
      return 0;
    }
    if (command === 'exec') return runExec(positionals, values, process.stdout);
    if (positionals.length > 1) throw new UsageError(`lab console takes one device, got ${positionals.length}`);
    await runConsole(positionals[0], values, process.stdout);
    return 0;
  }
  if (command === 'run') {
    const { values, positionals } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        coverage: { type: 'boolean' },
        junit: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      log(runHelp);
      return 0;
    }
    return runRun(positionals, values, log);
  }
  if (command === 'bench') {
    // The benchmarks sit beside the lab, not inside it: run them as their own process.
    const run = spawnSync(process.execPath, [fileURLToPath(new URL('../bench/run.ts', import.meta.url))], {
      stdio: 'inherit',
    });
    return run.status ?? 1;
  }
  throw new UsageError(
    `unknown command "${command}"; valid commands: up, run, status, down, reset, exec, console, fault, cloud, cslu, onprem, device, bench (lab --help)`,
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known =
      err instanceof UsageError ||
      err instanceof TopologyError ||
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
