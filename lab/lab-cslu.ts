/**
 * The lab's own CSLU (a topology's `cslu:`): the CSLU stand-in in this process, on the lab clock, where SLP
 * devices in CSLU mode find it — at `cslu-local` (the name a device with no CSLU URL looks up) and at
 * `cslu.lab` — with the same request bytes as over HTTP. Connected, it reports to the lab's cloud with an
 * API client of the cloud's seed, over the cloud's own routes; offline, usage leaves by export file.
 */
import { createCsluApp, CsluService, upstreamFor, DEFAULT_VA_NAME, type CsluApp, type RequestSender } from '#cloud';
import { createHttpTransport, createInProcessTransport, CSLU_DISCOVERY_HOST, type CloudTransport } from '#devices';
import type { LabClock } from './clock/index.ts';

export type LabCsluOptions =
  | { offline: true }
  | {
      offline?: false;
      /** The smart account (domain) and virtual account CSLU reports for. */
      account: string;
      virtualAccount?: string;
      /** An API client of the cloud's seed (apiClients) CSLU signs in with. */
      clientId: string;
      clientSecret: string;
    };

/** Host names that reach the lab's CSLU. */
const LAB_CSLU_HOSTS: readonly string[] = [CSLU_DISCOVERY_HOST, 'cslu.lab'];

export interface LabCslu {
  readonly service: CsluService;
  readonly app: CsluApp;
  /** The devices' transport to a CSLU origin: the lab's for its host names, HTTP for any other. */
  transport(origin: string): CloudTransport;
  close(): void;
}

export function openLabCslu(clock: LabClock, options: LabCsluOptions, cloud: RequestSender): LabCslu {
  const upstream = options.offline
    ? undefined
    : upstreamFor(
        cloud,
        { clientId: options.clientId, clientSecret: options.clientSecret, smartAccount: options.account },
        clock,
        'the lab cloud',
      )(options.virtualAccount ?? DEFAULT_VA_NAME);
  const service = new CsluService({ clock, ...(upstream ? { upstream } : {}) });
  const app = createCsluApp(service);
  const local = createInProcessTransport((r) => app.handle(r));
  return {
    service,
    app,
    transport: (origin) =>
      LAB_CSLU_HOSTS.includes(new URL(origin).hostname) ? local : createHttpTransport({ url: origin }),
    close: () => service.close(),
  };
}
