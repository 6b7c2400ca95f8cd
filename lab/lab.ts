/**
 * The lab: the one object the `lab` command, the tests and the benchmarks drive. It holds the lab clock,
 * the cloud (in process, another backend by URL, or a stand-in), the devices, and what they emit; and it
 * answers the questions a test asks ("what did the cloud see from UDI X", "which events did device Y emit
 * between t1 and t2"). `Lab` is the interface; createLab() builds the local implementation. Everything that
 * crosses to the cloud is asynchronous, so a remote lab (a dashboard over WebSocket, a fleet shard in a
 * worker) can offer the same interface.
 */
import {
  createHttpTransport,
  createInProcessTransport,
  type CloudTransport,
  type DeviceEvent,
  type DeviceOptions,
  type SmartCloud,
  type StorageBackend,
  type SyslogWire,
  type TrapWire,
  type VirtualDevice,
} from '#devices';
import { httpSender, inProcessSender, type RequestSender } from '#cloud';
import { LabClock, type LabClockOptions } from './clock/index.ts';
import { openLabCslu, type LabCslu, type LabCsluOptions } from './lab-cslu.ts';
import { LAB_ONPREM_HOST, openLabOnPrem, type LabOnPrem, type LabOnPremOptions } from './lab-onprem.ts';
import { openInProcessCloud, type InProcessCloudOptions } from './in-process-cloud.ts';
import { standInCloud, type LabCloud } from './lab-cloud.ts';
import { LocalLab, type LocalLabParts } from './local-lab.ts';
import { meteredTransport } from './exchange-meter.ts';
import { clientLabKey } from './lab-key.ts';
import { RemoteCloud } from './remote-cloud.ts';

export type { LabCloud } from './lab-cloud.ts';

export type LabCloudOptions =
  /** The mock cloud in this process (the default): SQLite, seeded, on the lab clock. */
  | ({ kind?: 'in-process' } & InProcessCloudOptions)
  /**
   * Another backend over HTTP(S): ours (`lab cloud`) or theirs; `caPem` default: GET <url>/lab/ca; `labKey` (for
   * faults and events) default: LAB_KEY, else the key a `lab cloud` on this machine made in ./.lab.
   */
  | { kind: 'remote'; url: string; caPem?: string; labKey?: string }
  /** A stand-in that answers devices without a cloud (the benchmarks' bare XState run). */
  | { kind: 'stand-in'; client: SmartCloud }
  /**
   * A cloud reached through a given transport whose answers come in lab time (a fleet shard's link to the
   * cloud in the main thread); the lab cannot look inside it.
   */
  | { kind: 'transport'; transport: CloudTransport; trustAnchorPem: string; location: string };

export interface LabOptions {
  /** The lab clock, or how to make one; default stepped (time moves only when the caller says). */
  clock?: LabClock | LabClockOptions;
  /** Wraps the devices' transport to the cloud (lab faults aimed at devices); inside the exchange meter. */
  transportLayer?: (transport: CloudTransport) => CloudTransport;
  cloud?: LabCloudOptions;
  /** Where devices keep their trusted storage, one record per serial number; default each its own, in memory. */
  storage?: StorageBackend;
  /** Problems that are not a device's own (a failing sink, a crashed agent), `[hostname] …`; default stderr. */
  onProblem?: (line: string) => void;
  /** Where devices send syslog: their `logging host`s and the lab's collectors (collectors/syslog-forwarding.ts). */
  syslog?: SyslogWire;
  /** Where devices send SNMP notifications: their `snmp-server host`s and the lab's trap collectors. */
  traps?: TrapWire;
  /** A CSLU of the lab's own for SLP devices in CSLU mode (lab-cslu.ts); with the in-process or a remote cloud. */
  cslu?: LabCsluOptions;
  /** An SSM On-Prem of the lab's own at onprem.lab (lab-onprem.ts); with the in-process or a remote cloud. */
  onprem?: LabOnPremOptions;
  /** The Cisco.com account the operator answers traditional devices' `license call-home` prompts with. */
  callHomeLogin?: { username: string; password: string };
}

/** A device to add: DeviceOptions without what the lab supplies; default PID C9300-24P. */
export type DeviceSpec = Partial<Omit<DeviceOptions, 'environment'>>;

export type DeviceSelector =
  ((device: VirtualDevice) => boolean) | { pid?: string; hostname?: string; udi?: string; family?: string };

export interface EventQuery {
  /** One device (the device, its hostname or its `PID:…,SN:…`). */
  device?: VirtualDevice | string;
  /** Lab-time window, inclusive. */
  from?: number;
  to?: number;
  mnemonic?: string;
}

export interface Lab {
  readonly clock: LabClock;
  readonly cloud: LabCloud;
  /** Adds a device and boots it. An unknown PID throws UnknownPidError listing the known ones. */
  device(spec?: DeviceSpec): VirtualDevice;
  devices(selector?: DeviceSelector): VirtualDevice[];
  /** Every device's buffered events in lab-time order. */
  events(query?: EventQuery): DeviceEvent[];
  /** Calls `listener` with every event any device emits from now on; returns the unsubscribe. */
  onEvent(listener: (event: DeviceEvent) => void): () => void;
  /** Resolves once no exchange the lab tracks is in flight. */
  settled(): Promise<void>;
  /** Powers every device off (storage kept) and closes the cloud and the clock. */
  close(): Promise<void>;
}

/**
 * The lab's CSLU and On-Prem, and the devices' way to them (by host name, in process; any other CSLU URL
 * over HTTP), reporting to the cloud through `send`.
 */
async function relayParts(
  clock: LabClock,
  options: LabOptions,
  send: RequestSender,
): Promise<{ relays: Relays; slp?: { cslu: (origin: string) => CloudTransport } }> {
  const cslu = options.cslu ? await openLabCslu(clock, options.cslu, send) : undefined;
  const onprem = options.onprem
    ? await openLabOnPrem(clock, options.onprem, send).catch(async (err: unknown) => {
        await cslu?.close();
        throw err;
      })
    : undefined;
  const relays: Relays = {
    cslu,
    onprem,
    close: async () => {
      await cslu?.close();
      await onprem?.close();
    },
  };
  if (!cslu && !onprem) return { relays };
  const toOnPrem = onprem && createInProcessTransport((r) => onprem.app.handle(r));
  const transport = (origin: string): CloudTransport =>
    toOnPrem && new URL(origin).hostname === LAB_ONPREM_HOST
      ? toOnPrem
      : (cslu?.transport(origin) ?? createHttpTransport({ url: origin }));
  return { relays, slp: { cslu: transport } };
}

interface Relays {
  cslu: LabCslu | undefined;
  onprem: LabOnPrem | undefined;
  close(): Promise<void>;
}

/** The lab with its relays, which close before the cloud they report to. */
function withRelays(parts: LocalLabParts, relays: Relays): LocalLab {
  const close = async () => (await relays.close(), parts.close());
  const lab = new LocalLab({ ...parts, close, cslu: relays.cslu, onprem: relays.onprem });
  relays.cslu?.attach(() => lab.devices());
  return lab;
}

/** A lab with its cloud open and no devices yet. */
export async function createLab(options: LabOptions = {}): Promise<LocalLab> {
  const kind = options.cloud?.kind;
  if ((options.cslu || options.onprem) && (kind === 'stand-in' || kind === 'transport'))
    throw new Error(`[lab] a lab CSLU or On-Prem reports to the in-process or a remote cloud, not a ${kind} one`);
  const ownsClock = !(options.clock instanceof LabClock);
  const clock =
    options.clock instanceof LabClock ? options.clock : LabClock.create(options.clock ?? { mode: 'stepped' });
  const cloud = options.cloud ?? {};
  const layer = options.transportLayer ?? ((t: CloudTransport) => t);
  try {
    if (cloud.kind === 'remote') {
      const labKey = cloud.labKey ?? clientLabKey(undefined, process.env.LAB_KEY);
      const remote = await RemoteCloud.connect(cloud.url, {
        ...(cloud.caPem !== undefined ? { caPem: cloud.caPem } : {}),
        ...(labKey !== undefined ? { labKey } : {}),
      });
      const metered = meteredTransport(layer(createHttpTransport({ url: cloud.url, caPem: remote.caPem })));
      const { transport } = metered;
      const { relays, slp } = await relayParts(clock, options, httpSender(cloud.url, remote.caPem)).catch(
        async (err: unknown) => {
          await transport.close();
          throw err;
        },
      );
      // Answers take real time: a stepped clock waits for each before it fires the next timer.
      const environment = {
        cloud: { transport, trustAnchorPem: remote.caPem },
        trackExchanges: true,
        ...(remote.licenseKeyPem !== undefined ? { licenseKeys: [remote.licenseKeyPem] } : {}),
        ...(slp ? { slp } : {}),
      };
      const close = () => transport.close();
      return withRelays({ clock, ownsClock, cloud: remote, environment, metered, options, close }, relays);
    }
    if (cloud.kind === 'stand-in') {
      const environment = { cloud: { client: cloud.client } };
      const close = async (): Promise<void> => {};
      const metered = { counts: { sent: 0, failed: 0 }, observe: () => () => false };
      return new LocalLab({ clock, ownsClock, cloud: standInCloud, environment, metered, options, close });
    }
    if (cloud.kind === 'transport') {
      const metered = meteredTransport(layer(cloud.transport));
      const { transport } = metered;
      const environment = { cloud: { transport, trustAnchorPem: cloud.trustAnchorPem }, trackExchanges: false };
      const labCloud = { ...standInCloud, location: cloud.location };
      return new LocalLab({
        clock,
        ownsClock,
        cloud: labCloud,
        environment,
        metered,
        options,
        close: () => transport.close(),
      });
    }
    const inProcess = await openInProcessCloud(clock, cloud);
    const metered = meteredTransport(layer(createInProcessTransport((r) => inProcess.app.handle(r))));
    const { transport } = metered;
    // A relay that cannot start (a bad On-Prem seed) closes the cloud it would have served.
    const { relays, slp } = await relayParts(
      clock,
      options,
      inProcessSender((r) => inProcess.app.handle(r)),
    ).catch(async (err: unknown) => {
      await inProcess.close();
      throw err;
    });
    // Tracked only off a stepped clock: a lab fault delays an in-process answer in lab time, and a stepped
    // clock waiting for it would never fire the timer that releases it.
    const environment = {
      cloud: { transport, trustAnchorPem: inProcess.caPem },
      trackExchanges: clock.mode !== 'stepped',
      licenseKeys: [inProcess.licenseKeyPem],
      ...(slp ? { slp } : {}),
    };
    const close = () => inProcess.close();
    return withRelays({ clock, ownsClock, cloud: inProcess, inProcess, environment, metered, options, close }, relays);
  } catch (err) {
    if (ownsClock) clock.dispose();
    throw err;
  }
}

export type { LocalLab } from './local-lab.ts';
