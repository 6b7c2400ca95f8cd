/**
 * `lab up <topology>`: the fleet a topology describes, on the embedded cloud (or another backend by URL),
 * with a live summary. Everything lives in the lab's directory; Ctrl-C or SIGTERM saves and stops, and the
 * next `lab up` of the same topology resumes at the same virtual time.
 */
import type { SyslogHost, TrapTarget } from '#devices';
import { parseSyslogHost } from './collectors/syslog-forwarding.ts';
import { SyslogCollector, TlsPortError } from './collectors/syslog-collector.ts';
import { collectorTls, pemCertificates, senderTrust } from './collectors/collector-tls.ts';
import { TrapCollector } from './collectors/trap-collector.ts';
import { FleetSnmpAgent, splitCommunity } from './snmp/fleet-snmp-agent.ts';
import { DEFAULT_LAB_COMMUNITY } from './snmp/device-community.ts';
import { listenPerDevice, MAX_DEVICE_PORTS, totalCounts } from './snmp/device-agents.ts';
import { parseTrapHost } from './collectors/trap-forwarding.ts';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { serve, type RunningServer } from '#cloud';
import { HOUR } from '#protocol';
import { DEFAULT_START, hostElapsedMs, hostSleep, LabClock, yieldToHost } from './clock/index.ts';
import { fleetSnapshot, summaryLine, summaryTable, type FleetSnapshot } from './fleet/fleet-summary.ts';
import { labFiles, readLabState, runningPid, writeJsonAtomic, type LabState } from './fleet/lab-state.ts';
import { parseDuration } from './fleet/duration.ts';
import { loadTopology, type Topology } from './fleet/topology.ts';
import { cloudLabKey } from './lab-key.ts';
import { serveControl, type ControlServer } from './control/control-server.ts';
import { checkFaultSpec, FaultSchedule } from './faults/fault-schedule.ts';
import { FaultTransportLayer } from './faults/fault-transport.ts';
import { resumeFaults, topologyFaults } from './faults/resumed-faults.ts';
import { createLabMetrics } from './metrics/lab-metrics.ts';
import type { InProcessCloudOptions } from './in-process-cloud.ts';
import { localFleet, shardedFleet, type UpFleet } from './up-fleet.ts';
import { portFlag } from './service-flags.ts';
import { UsageError } from './usage-error.ts';

/** Fleets from this size get worker threads by default: below it, a thread's start costs more than it saves. */
export const SHARD_FROM = 500;

/** Below the 44,205 messages/s the lab's UDP collector took with 0 loss in the wire bench (README). */
export const DEFAULT_SYSLOG_RATE = 40_000;

export const upHelp = `Usage: lab up <topology.yaml> [--speed N | --step] [--until DURATION] [--shards N] [--dir DIR] [--cloud URL [--ca FILE]] [--port N] [--control-port N] [--syslog-port N] [--syslog-tls-port N] [--syslog [udp:|tcp:|tls:]HOST:PORT [--syslog-ca FILE]] [--syslog-rate N] [--trap-port N] [--traps [inform:]HOST:PORT] [--snmp-port N] [--snmp-device-ports BASE] [--snmp-community NAME|none] [--plain]

Runs the fleet a topology describes (format: scenarios/topologies/topology.schema.json) against the
embedded mock cloud, seeded from the topology, and shows a live summary. Ctrl-C or SIGTERM saves and stops;
'lab up' of the same topology resumes at the same virtual time ('lab status', 'lab down', 'lab reset').

  --speed N        lab time runs N× real time (default: the topology's speed, else 86400, a day per second)
  --step           no real-time pacing: virtual time runs as fast as the lab computes it (with --until, for CI)
  --until D        stop after D of virtual time from now (90d, 12h, 30m)
  --shards N       run the devices in N worker threads under one virtual clock, the cloud in the main thread
                   (default: one per core for fleets of ${SHARD_FROM} devices or more, else 0: all in one thread)
  --dir DIR        the lab's directory (default ./.lab/<topology name>)
  --cloud URL      another licensing backend over HTTP(S) ('lab cloud', or theirs); its clock is real time
  --ca FILE        PEM of that backend's CA (default: fetched from URL/lab/ca)
  --port N         serve the embedded cloud's API here (default 8480, or a free port if taken; 0: a free port)
  --control-port N the lab's control API: GET /metrics (Prometheus), GET /status, and (with the lab key)
                   POST /exec, POST /complete, GET /devices/<hostname>/log (default 8481, or a free port if taken)
  --syslog-port N  the lab's syslog collector, UDP and TCP (default 5514, or a free port if taken; 0: a free port):
                   every device's messages arrive there in the IOS wire layout and are counted, gaps as loss
  --syslog-tls-port N
                   the collector's TLS port (RFC 5425; default the syslog port + 1000, 6514): its certificate
                   is issued by the CA in the lab directory (syslog-ca.pem), which the devices trust
  --syslog H:P     also send every device's messages to that host (udp: by default, tcp: with octet counting,
                   tls: over TLS)
  --syslog-ca FILE PEM of the CA a --syslog tls: host's certificate chains to (default: the system's CAs)
  --syslog-rate N  UDP syslog datagrams per real second from the whole fleet (default ${DEFAULT_SYSLOG_RATE}): a storm
                   waits in the senders' queues (65,536 each) instead of overflowing a collector; past that
                   it is dropped and counted
  --trap-port N    the lab's SNMP trap collector, UDP (default 1162, or a free port if taken; 0: a free port):
                   every device's notifications arrive there as SNMPv2c traps (community public)
  --traps H:P      also send every device's notifications to that manager (trap: by default, inform:)
  --snmp-port N    the lab's SNMP agent, UDP, v1/v2c read-only (default 1161, or a free port if taken; 0: a free
                   port): one port for the whole fleet, the device picked by community indexing,
                   snmpwalk -v2c -c public@<hostname> 127.0.0.1:1161
  --snmp-device-ports BASE
                   also one agent port per device, BASE, BASE+1, … in topology order, plain community (labs of
                   ${MAX_DEVICE_PORTS} devices at most): snmpwalk -v2c -c public 127.0.0.1:BASE
  --snmp-community NAME
                   the community every device answers besides its own 'snmp-server community' names (default
                   ${DEFAULT_LAB_COMMUNITY}; none: devices answer only their own)
  --plain          print a summary line every few seconds instead of redrawing (default when stdout is not
                   a terminal or CI is set)
`;

export interface UpFlags {
  speed?: string | undefined;
  step?: boolean | undefined;
  until?: string | undefined;
  dir?: string | undefined;
  cloud?: string | undefined;
  ca?: string | undefined;
  port?: string | undefined;
  'control-port'?: string | undefined;
  'syslog-port'?: string | undefined;
  'syslog-tls-port'?: string | undefined;
  syslog?: string | undefined;
  'syslog-ca'?: string | undefined;
  'syslog-rate'?: string | undefined;
  'trap-port'?: string | undefined;
  traps?: string | undefined;
  'snmp-port'?: string | undefined;
  'snmp-community'?: string | undefined;
  'snmp-device-ports'?: string | undefined;
  plain?: boolean | undefined;
  'lab-key'?: string | undefined;
  shards?: string | undefined;
}

export const DEFAULT_SPEED = 86_400;
/** Virtual time a stepped lab advances between looks at signals and the screen. */
const STEP_MS = HOUR;
/** Real ms between redraws, and between plain lines. */
const REDRAW_MS = 1000;
const PLAIN_EVERY_MS = 5000;
/** Real ms a paced lab that is ahead of its pace waits before it looks again. */
const PACE_SLEEP_MS = 20;

interface Plan {
  topology: Topology;
  dir: string;
  state: LabState | undefined;
  clock: LabClock;
  untilMs: number | undefined;
  shards: number;
  /** A sharded lab's clock is stepped (rounds move it), paced to this many lab ms per real ms. */
  pace: number | undefined;
}

function plan(file: string | undefined, flags: UpFlags): Plan {
  if (file === undefined) throw new UsageError('lab up needs a topology file (lab up --help)');
  if (flags.step && flags.speed !== undefined) throw new UsageError('--step and --speed exclude each other');
  if (flags.cloud !== undefined && (flags.step || flags.speed !== undefined))
    throw new UsageError('--speed and --step need the embedded cloud: a remote cloud keeps its own clock');
  if (flags.cloud !== undefined && flags.shards !== undefined && flags.shards !== '0')
    throw new UsageError('--shards needs the embedded cloud: a remote cloud answers in real time, not in rounds');
  const topology = loadTopology(file);
  const dir = resolve(flags.dir ?? `.lab/${topology.name}`);
  const state = readLabState(dir);
  if (state && state.name !== topology.name)
    throw new UsageError(`${dir} holds lab "${state.name}", not "${topology.name}"; choose another --dir`);
  const pid = runningPid(dir);
  if (pid !== undefined)
    throw new UsageError(`lab "${topology.name}" is already running (pid ${pid}); lab down stops it`);
  const untilMs = flags.until === undefined ? undefined : durationFlag('--until', flags.until);
  const start = state?.labTime ?? topology.start ?? DEFAULT_START;
  const shards = shardsFlag(flags, topology.nodes.length);
  let clock: LabClock;
  let pace: number | undefined;
  if (flags.cloud !== undefined) clock = LabClock.create({ mode: 'real' });
  else if (flags.step) clock = LabClock.create({ mode: 'stepped', start });
  else {
    const speed = flags.speed === undefined ? (topology.speed ?? DEFAULT_SPEED) : Number(flags.speed);
    if (!(Number.isFinite(speed) && speed > 0))
      throw new UsageError(`--speed must be a number > 0, got "${flags.speed}"`);
    if (shards > 0) pace = speed;
    clock =
      shards > 0 ? LabClock.create({ mode: 'stepped', start }) : LabClock.create({ mode: 'scaled', speed, start });
  }
  return { topology, dir, state, clock, untilMs, shards, pace };
}

function shardsFlag(flags: UpFlags, devices: number): number {
  if (flags.shards === undefined)
    return flags.cloud === undefined && devices >= SHARD_FROM ? Math.min(availableParallelism(), devices) : 0;
  const n = Number(flags.shards);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(`--shards must be a whole number from 0 to 64, got "${flags.shards}"`);
  return Math.min(n, devices);
}

function durationFlag(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`${name} must be a duration like 90d, 12h or 30m, got "${value}"`);
  return ms;
}

/** The port asked for; without one the default, or a free port when the default is taken (another lab). */
async function listenOn<T>(
  listen: (port: number) => Promise<T>,
  what: { flag: string; port: number | undefined; fallback: number; name: string },
  log: (line: string) => void,
): Promise<T> {
  try {
    return await listen(what.port ?? what.fallback);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (what.port !== undefined)
      throw new UsageError(`port ${what.port} is in use; choose another with ${what.flag} (0 picks a free one)`);
    log(`[lab] port ${what.fallback} is in use; serving ${what.name} on a free port instead`);
    return listen(0);
  }
}

export async function runUp(
  file: string | undefined,
  flags: UpFlags,
  out: NodeJS.WriteStream,
  stopSignal: Promise<string>,
): Promise<void> {
  const { topology, dir, state, clock, untilMs, shards, pace } = plan(file, flags);
  const port = portFlag('--port', flags.port);
  const controlPort = portFlag('--control-port', flags['control-port']);
  const syslogPort = portFlag('--syslog-port', flags['syslog-port']);
  const externalSyslog = flags.syslog === undefined ? [] : [syslogHostFlag(flags.syslog)];
  const syslogTlsPort = portFlag('--syslog-tls-port', flags['syslog-tls-port']);
  const syslogCa = flags['syslog-ca'] === undefined ? [] : readCa('--syslog-ca', flags['syslog-ca']);
  const syslogRate = rateFlag(flags['syslog-rate']);
  const trapPort = portFlag('--trap-port', flags['trap-port']);
  const snmpPort = portFlag('--snmp-port', flags['snmp-port']);
  const labCommunity = communityFlag(flags['snmp-community']);
  const devicePortsFrom = devicePortsFlag(flags['snmp-device-ports'], topology.nodes.length);
  const externalTraps = flags.traps === undefined ? [] : [usage(() => parseTrapHost(flags.traps!))];
  const files = labFiles(dir);
  // Checked before anything starts: a lab.json damaged by hand stops the lab and is left as it is.
  for (const { spec } of state?.faults ?? []) {
    try {
      checkFaultSpec({ ...spec, at: 0 });
    } catch (err) {
      throw new UsageError(`${files.state}: a saved ${(err as Error).message}; move the file away to start over`);
    }
  }
  mkdirSync(dir, { recursive: true });
  const live = out.isTTY === true && !process.env.CI && !flags.plain;
  const log = (line: string) => out.write(`${line}\n`);
  const problems: string[] = [];
  const onProblem = (line: string) => {
    problems.push(line);
    if (!live) log(`[lab] ${line}`);
  };

  const labKey = cloudLabKey(flags['lab-key'], process.env.LAB_KEY, dir);
  const embedded: InProcessCloudOptions = {
    db: files.cloudDb,
    labKey: labKey.key,
    ...(topology.seed ? { seed: topology.seed.text, seedSource: topology.seed.source } : {}),
  };
  const network = new FaultTransportLayer(clock);
  const firstStart = state?.firstStart ?? clock.now();
  const spinUp = hostElapsedMs();
  // Booting a large fleet takes seconds (a key check per device, worker threads starting): say so first.
  log(
    `[lab] ${topology.name}: starting ${topology.nodes.length} devices ` +
      `${shards > 0 ? `over ${shards} shards` : 'in one thread'}…`,
  );
  const tls = collectorTls(files);
  const collectorOn = (p: number, tlsPort: number) =>
    SyslogCollector.listen({
      udpPort: p,
      tcpPort: p,
      tls: { key: tls.key, cert: tls.cert, port: tlsPort },
      now: () => clock.now(),
    });
  // The TLS port has its own default (the syslog port + 1000) and its own fallback.
  const collector = await listenOn(
    async (p) => {
      const tlsPort = syslogTlsPort ?? (p === 0 || p > 64535 ? 0 : p + 1000);
      try {
        return await collectorOn(p, tlsPort);
      } catch (err) {
        if (!(err instanceof TlsPortError) || err.tlsCode !== 'EADDRINUSE') throw err;
        if (syslogTlsPort !== undefined)
          throw new UsageError(
            `port ${syslogTlsPort} is in use; choose another with --syslog-tls-port (0 picks a free one)`,
          );
        log(`[lab] port ${tlsPort} is in use; serving syslog over TLS on a free port instead`);
        return collectorOn(p, 0);
      }
    },
    { flag: '--syslog-port', port: syslogPort, fallback: 5514, name: 'the syslog collector' },
    log,
  );
  const traps = await listenOn(
    (p) => TrapCollector.listen({ port: p, now: () => clock.now() }),
    { flag: '--trap-port', port: trapPort, fallback: 1162, name: 'the trap collector' },
    log,
  );
  const trapHosts: TrapTarget[] = [
    { host: { address: '127.0.0.1', port: traps.port, kind: 'traps', version: '2c', securityName: 'public' } },
    ...externalTraps,
  ];
  const fleetOptions = {
    trapHosts,
    syslogTlsCa: senderTrust(tls.caPem, syslogCa),
    syslogRate,
    labCommunity,
    syslogHosts: [{ address: '127.0.0.1', port: collector.udpPort, transport: 'udp' as const }, ...externalSyslog],
    clock,
    topology,
    storage: files.devicesDb,
    firstStart,
    told: state?.told,
    transportLayer: network.wrap,
    onProblem,
  };
  let fleet: UpFleet;
  try {
    fleet =
      shards > 0
        ? await shardedFleet({ ...fleetOptions, cloud: embedded, shards })
        : await localFleet({
            ...fleetOptions,
            cloud:
              flags.cloud !== undefined
                ? {
                    kind: 'remote',
                    url: flags.cloud,
                    ...(flags.ca !== undefined ? { caPem: readCa('--ca', flags.ca).join('\n') } : {}),
                  }
                : embedded,
          });
  } catch (err) {
    await Promise.all([collector.close(), traps.close()]);
    clock.dispose();
    throw err;
  }
  let agent: FleetSnmpAgent | undefined;
  let deviceAgents: FleetSnmpAgent[] = [];
  writeFileSync(files.pid, `${process.pid}\n`);
  let server: RunningServer | undefined;
  let control: ControlServer | undefined;
  try {
    agent = await listenOn(
      (p) =>
        FleetSnmpAgent.listen({
          port: p,
          resolve: (indexed) => {
            const { community, context } = splitCommunity(indexed);
            return context === undefined ? undefined : fleet.mib(context, community);
          },
        }),
      { flag: '--snmp-port', port: snmpPort, fallback: 1161, name: 'the SNMP agent' },
      log,
    );
    if (devicePortsFrom !== undefined)
      deviceAgents = await listenPerDevice(
        fleet.nodes.map((n) => n.hostname),
        devicePortsFrom,
        (hostname, community) => fleet.mib(hostname, community),
      ).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE') throw err;
        throw new UsageError(`a port from ${devicePortsFrom} is in use; choose another --snmp-device-ports`);
      });
    const faults = new FaultSchedule({
      clock,
      targets: fleet.targets,
      cloud: fleet.cloud,
      network,
      onEvent: (e) => (live ? problems.push(`[lab] ${e.line}`) : log(`[lab] ${e.line}`)),
    });
    for (const { spec, startedAt } of resumeFaults(topologyFaults(topology.faults, firstStart), clock.now()))
      faults.add(spec, { ...(startedAt !== undefined ? { startedAt } : {}), fromTopology: true });
    for (const { spec, startedAt } of resumeFaults(state?.faults ?? [], clock.now()))
      faults.add(spec, startedAt !== undefined ? { startedAt } : {});
    const save = () =>
      writeJsonAtomic(files.state, {
        version: 1,
        name: topology.name,
        topologyFile: topology.file,
        firstStart,
        labTime: clock.now(),
        told: fleet.told(),
        faults: faults.saved(),
      } satisfies LabState);
    save();
    const { app } = fleet;
    if (app)
      server = await listenOn(
        (p) => serve(app, { port: p, host: '127.0.0.1' }),
        {
          flag: '--port',
          port,
          fallback: 8480,
          name: 'the embedded cloud',
        },
        log,
      );
    const { exchanges } = fleet;
    let last = { at: hostElapsedMs(), sent: exchanges.sent, plainAt: 0, perSecond: 0 };
    const snapshot = (): FleetSnapshot =>
      fleetSnapshot(fleet.rows(), {
        labTime: clock.now(),
        exchanges: { sent: exchanges.sent, failed: exchanges.failed, perSecond: last.perSecond },
        problems: problems.length,
        faultsActive: faults.active(),
      });
    const metrics = createLabMetrics(snapshot);
    fleet.onExchange(metrics.exchange);
    fleet.onMessages(metrics.messages);
    control = await listenOn(
      (p) =>
        serveControl(
          {
            metrics,
            snapshot,
            labKey: labKey.key,
            exec: (select, command) => fleet.exec(select, command),
            complete: (hostname, line) => fleet.complete(hostname, line),
            faults,
            watch: (hostname, listener) => fleet.watch(hostname, listener),
          },
          p,
        ),
      {
        flag: '--control-port',
        port: controlPort,
        fallback: 8481,
        name: 'the lab control API',
      },
      log,
    );
    log(
      `[lab] ${topology.name}: ${fleet.nodes.length} devices ${state ? 'resumed' : 'started'} in ` +
        `${Math.round(hostElapsedMs() - spinUp)} ms at ${new Date(clock.now()).toISOString()} ` +
        `(clock ${clockName(clock, pace)}; ${fleet.shards > 0 ? `${fleet.shards} shards` : 'one thread'}); ` +
        `state in ${dir}`,
    );
    if (server) log(`[lab] cloud API ${server.url} (/docs; ${labKey.describe})`);
    else log(`[lab] cloud: ${fleet.cloudLocation}`);
    log(
      `[lab] syslog collector udp+tcp 127.0.0.1:${collector.udpPort}, tls 127.0.0.1:${collector.tlsPort} ` +
        `(CA ${files.syslogCa})` +
        (externalSyslog.length > 0 ? ` · also sent to ${flags.syslog}` : ''),
    );
    log(
      `[lab] trap collector udp 127.0.0.1:${traps.port} (SNMPv2c, community public)` +
        (externalTraps.length > 0 ? ` · also sent to ${flags.traps}` : ''),
    );
    log(
      `[lab] SNMP agent udp 127.0.0.1:${agent.port} (v1/v2c read-only, community indexing: ` +
        `snmpwalk -v2c -c ${labCommunity ?? '<community>'}@${fleet.nodes[0]?.hostname ?? '<hostname>'} 127.0.0.1:${agent.port})`,
    );
    if (devicePortsFrom !== undefined)
      log(
        `[lab] SNMP agents per device udp 127.0.0.1:${devicePortsFrom}-${devicePortsFrom + fleet.nodes.length - 1} ` +
          `(${fleet.nodes[0]!.hostname} on ${devicePortsFrom}, in topology order; plain community)`,
      );
    log(`[lab] metrics ${control.url}/metrics · fleet summary ${control.url}/status`);
    const controlUrl = control.url;
    writeFileSync(files.control, `${controlUrl}\n`);
    const example = fleet.nodes[0]?.hostname ?? '<hostname>';
    log(
      `[lab] a device's console: lab console ${example} · one command on many: lab exec "site=… role=…" "show license summary"`,
    );
    if (flags.cloud !== undefined && topology.seed) log('[lab] the topology seed is not applied to a remote cloud');
    log(`[lab] stop with Ctrl-C (state saved; lab up ${file} resumes)`);

    const screen = new Screen(out);
    let spunUp = false;
    const show = async (final = false) => {
      await fleet.refresh();
      const now = hostElapsedMs();
      const perSecond = ((exchanges.sent - last.sent) * 1000) / Math.max(1, now - last.at);
      last = { ...last, at: now, sent: exchanges.sent, perSecond };
      const full = snapshot();
      writeJsonAtomic(files.status, { pid: process.pid, control: controlUrl, ...full });
      save();
      // The spin-up bar goes once the whole fleet has registered, and does not come back for a reload.
      const { registration, ...settled } = full;
      spunUp ||= registration !== undefined && registration.registered >= registration.expected;
      const snap: FleetSnapshot = spunUp ? settled : full;
      if (live) screen.draw([...summaryTable(snap, `License Lab · ${topology.name}`), ...problems.slice(-3)]);
      else if (final || now - last.plainAt >= PLAIN_EVERY_MS) {
        last.plainAt = now;
        log(summaryLine(snap));
      }
    };

    const stopAt = untilMs === undefined ? Infinity : clock.now() + untilMs;
    let stopped: string | undefined;
    void stopSignal.then((why) => (stopped ??= why));
    if (clock.mode === 'stepped') {
      // As fast as the lab computes, or (a sharded lab) paced to `pace` lab ms per real ms.
      let drawnAt = hostElapsedMs();
      const paced = { wall: hostElapsedMs(), lab: clock.now() };
      while (stopped === undefined && clock.now() < stopAt) {
        const due = pace === undefined ? Infinity : paced.lab + (hostElapsedMs() - paced.wall) * pace;
        const target = Math.min(clock.now() + STEP_MS, stopAt, due);
        if (target > clock.now()) await fleet.advanceTo(target);
        else await hostSleep(PACE_SLEEP_MS);
        await yieldToHost();
        if (hostElapsedMs() - drawnAt >= REDRAW_MS) {
          drawnAt = hostElapsedMs();
          await show();
        }
      }
      stopped ??= `--until ${flags.until} reached`;
    } else {
      const labPerRedraw = REDRAW_MS * (clock.speed ?? 1);
      const tick = () => {
        void show();
        clock.setTimeout(tick, labPerRedraw);
      };
      clock.setTimeout(tick, 0);
      const until = new Promise<string>((done) => {
        if (untilMs !== undefined) clock.setTimeout(() => done(`--until ${flags.until} reached`), untilMs);
      });
      stopped = await Promise.race([stopSignal, until]);
    }
    await show(true);
    log(`[lab] ${stopped}: saving and stopping at ${new Date(clock.now()).toISOString()}`);
    save();
  } finally {
    await Promise.all([agent?.close(), ...deviceAgents.map((a) => a.close())]);
    await control?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    const sent = await fleet.close();
    log(
      `[lab] devices' senders: syslog ${sent.syslog.sent} sent, ${sent.syslog.dropped} dropped (queue full), ` +
        `${sent.syslog.failed} failed; SNMP ${sent.traps.traps} traps and ${sent.traps.informsSent} informs sent ` +
        `(${sent.traps.informsAcked} acknowledged, ${sent.traps.informsFailed} unanswered), ${sent.traps.dropped} dropped`,
    );
    // What the senders handed over may still be in the kernel or a TLS stream: read until it stops coming.
    await settled(() => collector.counts().received + traps.counts().received);
    const wire = collector.counts();
    const by = (t: 'udp' | 'tcp' | 'tls') => Object.values(wire.devices).reduce((n, d) => n + d[t], 0);
    log(
      `[lab] syslog collector: ${wire.received} messages received (udp ${by('udp')}, tcp ${by('tcp')}, ` +
        `tls ${by('tls')}), ${wire.lost} lost, ${wire.malformed} malformed`,
    );
    if (agent) {
      const c = totalCounts([agent, ...deviceAgents]);
      log(
        `[lab] SNMP agent: ${c.requests} requests, ${c.responses} answered, ${c.unknownCommunity} unknown community, ` +
          `${c.v3Reports} SNMPv3 reports, ${c.malformed} malformed`,
      );
    }
    const trapCounts = traps.counts();
    log(
      `[lab] trap collector: ${trapCounts.received} notifications received, ` +
        `${trapCounts.duplicates} informs received again, ${trapCounts.refused} refused`,
    );
    await Promise.all([collector.close(), traps.close()]);
    // Scaled and real clocks arm host timers (the redraw tick re-arms itself); they must not outlive the lab.
    clock.dispose();
    rmSync(files.control, { force: true });
    rmSync(files.pid, { force: true });
  }
}

/** Waits (1 s at most) until `count` holds still for 50 ms of host time. */
async function settled(count: () => number): Promise<void> {
  let last = count();
  for (let waited = 0, still = 0; waited < 1000 && still < 50; waited += 10) {
    await hostSleep(10);
    const now = count();
    still = now === last ? still + 10 : 0;
    last = now;
  }
}

function clockName(clock: LabClock, pace: number | undefined): string {
  if (pace !== undefined) return `stepped, paced ×${pace}`;
  return clock.mode === 'scaled' ? `scaled ×${clock.speed}` : clock.mode;
}

function syslogHostFlag(value: string): SyslogHost {
  return usage(() => parseSyslogHost(value));
}

/** A flag parser's error as a usage error (one line, exit 2). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The certificates of a PEM file, each checked. */
function readCa(flag: string, file: string): string[] {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${flag} ${file}: ${(err as Error).message}`);
  }
  try {
    return pemCertificates(pem);
  } catch (err) {
    throw new UsageError(`${flag} ${file} ${(err as Error).message}`);
  }
}

function rateFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SYSLOG_RATE;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000)
    throw new UsageError(`--syslog-rate must be a whole number from 1 to 10000000, got "${value}"`);
  return n;
}

function devicePortsFlag(value: string | undefined, devices: number): number | undefined {
  if (value === undefined) return undefined;
  const base = Number(value);
  if (!Number.isInteger(base) || base < 1 || base + devices - 1 > 65535)
    throw new UsageError(`--snmp-device-ports must be a port from 1 with room for ${devices} ports, got "${value}"`);
  if (devices > MAX_DEVICE_PORTS)
    throw new UsageError(
      `--snmp-device-ports serves ${MAX_DEVICE_PORTS} devices at most, this lab has ${devices}: ` +
        'use the fleet port with community indexing (--snmp-port)',
    );
  return base;
}

function communityFlag(value: string | undefined): string | undefined {
  if (value === undefined) return DEFAULT_LAB_COMMUNITY;
  if (value === 'none') return undefined;
  // The agent splits at the last '@': a community with one could not be indexed.
  if (!/^[\x21-\x7e]{1,32}$/.test(value) || value.includes('@'))
    throw new UsageError(`--snmp-community must be 1 to 32 printable characters without '@' or spaces, got "${value}"`);
  return value;
}

/** Redraws a block of lines in place (cursor up, clear to end), like `docker compose up`'s progress. */
class Screen {
  readonly #out: NodeJS.WriteStream;
  #height = 0;
  constructor(out: NodeJS.WriteStream) {
    this.#out = out;
  }

  draw(lines: readonly string[]): void {
    const up = this.#height > 0 ? `\x1b[${this.#height}A` : '';
    this.#out.write(`${up}\x1b[0J${lines.join('\n')}\n`);
    this.#height = lines.length;
  }
}
