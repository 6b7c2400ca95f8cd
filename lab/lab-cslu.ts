/**
 * The lab's own CSLU (a topology's `cslu:`): the CSLU stand-in in this process, on the lab clock, where SLP
 * devices in CSLU mode find it — at `cslu-local` (the name a device with no CSLU URL looks up) and at
 * `cslu.lab` — with the same request bytes as over HTTP. Connected, it reports to the lab's cloud with an
 * API client of the cloud's seed, over the cloud's own routes; offline, usage leaves by export file. With
 * `pull:` it also pulls usage from the devices' on-box REST API over real HTTP and pushes their ACKs back.
 */
import {
  createCsluApp,
  CsluPull,
  CsluService,
  deviceHttpSender,
  upstreamFor,
  DEFAULT_VA_NAME,
  type CsluApp,
  type PullTargetInput,
  type RequestSender,
} from '#cloud';
import {
  createHttpTransport,
  createInProcessTransport,
  CSLU_DISCOVERY_HOST,
  type CloudTransport,
  type VirtualDevice,
} from '#devices';
import type { LabClock } from './clock/index.ts';
import { serveDeviceHttp, type DeviceHttpServer } from './device-http-server.ts';

/**
 * CSLU pull mode: the lab serves its devices' on-box REST API over real HTTP (device-http-server.ts) and
 * its CSLU pulls from the product instances it is given, on its schedule and on `pull.collect()`.
 */
export interface LabCsluPullOptions {
  /** How often CSLU pulls from every product instance; default DEFAULT_PULL_INTERVAL_MS (1 day); 0: on demand. */
  intervalMs?: number;
  /** Product instances to pull from (`host`: a device's management address or host name); more by pull.add(). */
  devices?: PullTargetInput[];
}

export type LabCsluOptions = { pull?: LabCsluPullOptions } & (
  | { offline: true }
  | {
      offline?: false;
      /** The smart account (domain) and virtual account CSLU reports for. */
      account: string;
      virtualAccount?: string;
      /** An API client of the cloud's seed (apiClients) CSLU signs in with. */
      clientId: string;
      clientSecret: string;
    }
);

/** Host names that reach the lab's CSLU. */
const LAB_CSLU_HOSTS: readonly string[] = [CSLU_DISCOVERY_HOST, 'cslu.lab'];

export interface LabCslu {
  readonly service: CsluService;
  readonly app: CsluApp;
  /** Pull mode: the product instances CSLU pulls from, and "Collect usage". */
  readonly pull: CsluPull | undefined;
  /** Pull mode: the lab's devices' HTTP servers (one gateway; `Host:` names the device). */
  readonly deviceHttp: DeviceHttpServer | undefined;
  /** The devices' transport to a CSLU origin: the lab's for its host names, HTTP for any other. */
  transport(origin: string): CloudTransport;
  /** Gives the device HTTP gateway the lab's devices (once the lab exists). */
  attach(devices: () => readonly VirtualDevice[]): void;
  close(): Promise<void>;
}

export async function openLabCslu(clock: LabClock, options: LabCsluOptions, cloud: RequestSender): Promise<LabCslu> {
  const upstream = options.offline
    ? undefined
    : upstreamFor(
        cloud,
        { clientId: options.clientId, clientSecret: options.clientSecret, smartAccount: options.account },
        clock,
        'the lab cloud',
      )(options.virtualAccount ?? DEFAULT_VA_NAME);
  const service = new CsluService({ clock, ...(upstream ? { upstream } : {}) });
  let devices: () => readonly VirtualDevice[] = () => [];
  let deviceHttp: DeviceHttpServer | undefined;
  let pull: CsluPull | undefined;
  try {
    if (options.pull) {
      deviceHttp = await serveDeviceHttp(() => devices());
      pull = new CsluPull({
        service,
        clock,
        send: deviceHttpSender({ gateway: deviceHttp.url }),
        ...(options.pull.intervalMs !== undefined ? { intervalMs: options.pull.intervalMs } : {}),
      });
      for (const d of options.pull.devices ?? []) {
        const added = pull.add(d);
        if (!added.ok) throw new Error(`[lab] cslu.pull.devices: ${JSON.stringify(d.host)}: ${added.reason}`);
      }
    }
  } catch (err) {
    pull?.close();
    await deviceHttp?.close();
    service.close();
    throw err;
  }
  const app = createCsluApp(service, pull ? { pull } : {});
  const local = createInProcessTransport((r) => app.handle(r));
  return {
    service,
    app,
    pull,
    deviceHttp,
    transport: (origin) =>
      LAB_CSLU_HOSTS.includes(new URL(origin).hostname) ? local : createHttpTransport({ url: origin }),
    attach: (list) => void (devices = list),
    close: async () => {
      pull?.close();
      await deviceHttp?.close();
      service.close();
    },
  };
}
