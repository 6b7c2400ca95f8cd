/**
 * The SLP cloud a lab's devices use: a stand-in when the lab gives one, else a client over the devices'
 * cloud transport (Smart transport) and a transport per CSLU host (default HTTP; `cslu-local`, the name a
 * device looks for with no CSLU URL, resolves nowhere, as on a network without that DNS entry).
 */
import type { SmartCloud } from '../cloud-exchange.ts';
import type { CloudResult } from './cloud-result.ts';
import { commFailureReason } from './failure-reasons.ts';
import { createHttpTransport } from './http-transport.ts';
import { SlpCloudClient, unresolvedTransport, type SlpCloud } from './slp-cloud-client.ts';
import type { CloudTransport } from './transport.ts';
import { CSLU_DISCOVERY_HOST } from '../slp-config.ts';

export interface SlpEnvironmentOptions {
  /** Answers every SLP exchange (unit tests, benchmarks); default the client over the cloud transport. */
  cloud?: SlpCloud;
  /** A transport to a CSLU origin (`http://cslu:8182`), e.g. the lab's in-process CSLU; default HTTP. */
  cslu?: (origin: string) => CloudTransport;
}

/** A lab whose cloud is a Smart stand-in has no SLP cloud: every exchange fails to start. */
const noSlpCloud: SlpCloud = {
  reportUsage: async () => notConfigured(),
  poll: async () => notConfigured(),
  trust: async () => notConfigured(),
  authRequest: async () => notConfigured(),
};
function notConfigured(): CloudResult<never> {
  return { ok: false, kind: 'comm', reason: commFailureReason('requestBuild', 'Smart') };
}

export function slpCloudOf(
  cloud: { transport: CloudTransport; trustAnchorPem: string } | { client: SmartCloud },
  options: SlpEnvironmentOptions = {},
  now: () => number,
): SlpCloud {
  if (options.cloud) return options.cloud;
  if ('client' in cloud) return noSlpCloud;
  const transports = new Map<string, CloudTransport>();
  const cslu = (origin: string): CloudTransport => {
    let t = transports.get(origin);
    if (t === undefined) {
      const host = new URL(origin).hostname;
      t =
        options.cslu?.(origin) ??
        (host === CSLU_DISCOVERY_HOST ? unresolvedTransport(host) : createHttpTransport({ url: origin }));
      transports.set(origin, t);
    }
    return t;
  };
  return new SlpCloudClient({ transport: cloud.transport, trustAnchorPem: cloud.trustAnchorPem, cslu, now });
}
