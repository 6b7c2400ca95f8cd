/**
 * `lab device`: one virtual device with an IOS console on this terminal, for trainers and for trying
 * things by hand. The device keeps its trusted storage under --storage (default ./.lab/devices), so it
 * comes back registered after a restart. Without --cloud it brings its own cloud in process (SQLite,
 * seeded with the example seed, so `license smart register idtoken LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D`
 * works); with --cloud it talks to a running `lab cloud` over HTTP(S).
 * Lines from a pipe run one after another (`echo "show license status" | lab device`).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DirectoryBackend, findPlatform, findRelease, type VirtualDevice } from '#devices';
import { LabClock } from './clock/index.ts';
import { createLab, type LabCloudOptions } from './lab.ts';
import { UsageError } from './usage-error.ts';

export const deviceHelp = `Usage: lab device [--pid PID] [--release VERSION] [--sn SN] [--hostname NAME] [--cloud URL [--ca FILE]] [--db PATH] [--storage DIR] [--speed N]

An IOS console on one virtual device (type 'show license status', 'license smart register idtoken …', '?').

  --pid PID       platform (default C9300-24P); an unknown PID lists the known ones
  --release V     software release, as show version prints it (17.9.4 runs Smart Licensing Using Policy,
                  16.12.4 classic Smart Licensing); default the platform's; an unknown one lists the valid ones
  --sn SN         serial number (default generated in the LLLYYWWSSSS format); one device per SN in --storage
  --hostname NAME hostname of a factory-fresh device
  --cloud URL     a running 'lab cloud' (http(s)://host:port); default: a cloud in this process
  --ca FILE       PEM of the cloud CA to trust over https (default: fetched from URL/lab/ca)
  --db PATH       the in-process cloud's SQLite file (default ./.lab/device-cloud.db)
  --storage DIR   where devices keep their trusted storage (default ./.lab/devices)
  --speed N       lab time runs N× real time (86400: a day per second); in-process cloud only
Ctrl-D (or 'exit' at the exec prompt) powers the device off; its storage is kept.
`;

export interface DeviceFlags {
  pid?: string | undefined;
  release?: string | undefined;
  sn?: string | undefined;
  hostname?: string | undefined;
  cloud?: string | undefined;
  ca?: string | undefined;
  db?: string | undefined;
  storage?: string | undefined;
  speed?: string | undefined;
}

const EXAMPLE_SEED = new URL('../scenarios/cloud-seed.example.yaml', import.meta.url);

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --ca ${file}: ${(err as Error).message}`);
  }
}

function clockOf(speed: string | undefined): LabClock {
  if (speed === undefined) return LabClock.create({ mode: 'real' });
  const n = Number(speed);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--speed must be a number > 0, got "${speed}"`);
  return LabClock.create({ mode: 'scaled', speed: n, start: LabClock.create({ mode: 'real' }).now() });
}

/** The release asked for, checked before anything starts. */
function releaseOf(pid: string, version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  try {
    return findRelease(findPlatform(pid), version).version;
  } catch (err) {
    throw new UsageError(`--release: ${(err as Error).message}`);
  }
}

export async function runDevice(flags: DeviceFlags, out: NodeJS.WritableStream): Promise<void> {
  const pid = flags.pid ?? 'C9300-24P';
  const release = releaseOf(pid, flags.release);
  if (flags.cloud !== undefined && flags.speed !== undefined)
    throw new UsageError('--speed needs the in-process cloud: a remote cloud keeps its own clock');
  const clock = clockOf(flags.speed);
  const storageDir = resolve(flags.storage ?? '.lab/devices');
  mkdirSync(storageDir, { recursive: true });
  const storage = new DirectoryBackend(storageDir);
  let cloud: LabCloudOptions;
  if (flags.cloud !== undefined) {
    cloud = { kind: 'remote', url: flags.cloud, ...(flags.ca !== undefined ? { caPem: readCa(flags.ca) } : {}) };
  } else {
    const db = resolve(flags.db ?? '.lab/device-cloud.db');
    mkdirSync(dirname(db), { recursive: true });
    cloud = { db, seed: readFileSync(EXAMPLE_SEED, 'utf8'), seedSource: 'cloud-seed.example.yaml' };
  }
  const lab = await createLab({ clock, cloud, storage });
  const interactive = process.stdin.isTTY === true;
  let rl: ReturnType<typeof createInterface> | undefined = undefined;
  const device: VirtualDevice = lab.device({
    pid,
    ...(release !== undefined ? { release } : {}),
    ...(flags.sn !== undefined ? { sn: flags.sn } : {}),
    ...(flags.hostname !== undefined ? { hostname: flags.hostname } : {}),
    // The console shows log lines as they happen, like a terminal on the console port.
    sinks: [(e) => (interactive && rl ? (out.write(`\n${e.line}\n`), rl.prompt(true)) : out.write(`${e.line}\n`))],
  });
  out.write(
    `[lab] ${device.platform.pid} SN ${device.udi.sn}, trusted storage in ${storageDir}; cloud: ${flags.cloud ?? 'in process (example seed)'}\n`,
  );
  if (flags.cloud === undefined)
    out.write(`[lab] try: license smart register idtoken LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D\n`);
  rl = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
  });
  rl.setPrompt(device.shell.prompt());
  if (interactive) rl.prompt();
  for await (const line of rl) {
    if (!interactive) out.write(`${device.shell.prompt()}${line}\n`);
    if (device.state === 'running' && device.shell.mode === 'exec' && /^\s*(exit|logout|quit)\s*$/i.test(line)) break;
    out.write(device.exec(line));
    rl.setPrompt(device.shell.prompt());
    if (interactive) rl.prompt();
  }
  rl.close();
  // A piped session ends at EOF: let a registration or renewal it started finish before powering off.
  if (!interactive) await lab.settled();
  await lab.close();
  storage.close();
}
