/**
 * Network faults between chosen devices and the cloud: a layer over the devices' shared transport that
 * looks up the sending device (the serial number in the signed request body) and, when a fault holds it,
 * answers as the broken network would: no connection, a TLS failure, a proxy's error page, a 429, a slow
 * link, or the cloud's own answer with its signature stripped or its body cut. Devices without a fault
 * pass straight through, and the body is only read while some fault is active.
 */
import type { CloudTransport, TransportResult } from '#devices';
import { headers as h } from '#protocol';
import type { LabClock } from '../clock/index.ts';
import type { FaultSpec } from './fault-spec.ts';

/** What a device waits for before it calls an exchange with no answer timed out. */
export const FAULT_TIMEOUT_MS = 30_000;

export interface ActiveNetworkFault {
  id: string;
  spec: FaultSpec;
}

const page = (status: number, text: string) =>
  Buffer.from(`<html><head><title>${status} ${text}</title></head><body><h1>${text}</h1></body></html>\n`);

export class FaultTransportLayer {
  readonly #clock: LabClock;
  /** SN → the faults holding it, the latest last (it wins). */
  readonly #bySn = new Map<string, ActiveNetworkFault[]>();

  constructor(clock: LabClock) {
    this.#clock = clock;
  }

  hold(sn: string, fault: ActiveNetworkFault): void {
    const list = this.#bySn.get(sn) ?? [];
    list.push(fault);
    this.#bySn.set(sn, list);
  }

  release(sn: string, id: string): void {
    const list = (this.#bySn.get(sn) ?? []).filter((f) => f.id !== id);
    if (list.length) this.#bySn.set(sn, list);
    else this.#bySn.delete(sn);
  }

  wrap = (transport: CloudTransport): CloudTransport => ({
    description: transport.description,
    close: () => transport.close(),
    send: (req) => {
      const fault = this.#bySn.size === 0 ? undefined : this.#bySn.get(requestSn(req.body) ?? '')?.at(-1);
      return fault ? this.#apply(fault, () => transport.send(req)) : transport.send(req);
    },
  });

  #sleep(ms: number): Promise<void> {
    return new Promise((done) => this.#clock.setTimeout(done, ms));
  }

  async #apply(fault: ActiveNetworkFault, send: () => Promise<TransportResult>): Promise<TransportResult> {
    const { spec, id } = fault;
    const failed = (kind: 'refused' | 'timeout' | 'dns' | 'tls', detail: string): TransportResult => ({
      ok: false,
      failure: { kind, detail: `lab fault ${id}: ${detail}` },
    });
    switch (spec.kind) {
      case 'unreachable':
        if (spec.how === 'timeout') {
          await this.#sleep(FAULT_TIMEOUT_MS);
          return failed('timeout', `no answer within ${FAULT_TIMEOUT_MS / 1000} s`);
        }
        if (spec.how === 'dns') return failed('dns', 'getaddrinfo ENOTFOUND (the cloud name does not resolve)');
        return failed('refused', 'connect ECONNREFUSED');
      case 'cloud-restart':
        return failed('refused', 'connect ECONNREFUSED (the cloud is restarting)');
      case 'tls':
        return failed(
          'tls',
          spec.why === 'untrusted-ca'
            ? 'unable to get local issuer certificate (the server certificate chains to a root the device does not trust)'
            : 'certificate has expired',
        );
      case 'latency':
        await this.#sleep(Math.max(0, spec.ms ?? 0));
        return send();
      case 'http-error': {
        const status = spec.status ?? 503;
        return {
          ok: true,
          status,
          headers: { 'content-type': 'text/html' },
          body: page(status, 'Service Unavailable'),
        };
      }
      case 'rate-limited':
        return {
          ok: true,
          status: 429,
          headers: { 'content-type': 'text/html', 'retry-after': String(spec.retryAfter ?? 60) },
          body: page(429, 'Too Many Requests'),
        };
      case 'unsigned':
      case 'malformed': {
        const result = await send();
        if (!result.ok) return result;
        if (spec.kind === 'malformed')
          return { ...result, body: result.body.subarray(0, Math.floor(result.body.length / 2)) };
        const { [h.signature]: _dropped, ...rest } = result.headers;
        return { ...result, headers: rest };
      }
      default:
        return send();
    }
  }
}

/**
 * The serial number a device request carries, without parsing the body: `"udi":{"pid":…,"sn":…}` (classic),
 * or the first `"udi_serial_number"` (an SLP body's sudi, cloud-mock/protocol/slp.ts).
 */
export function requestSn(body: Buffer): string | undefined {
  return /"(?:sn|udi_serial_number)"\s*:\s*"([^"]+)"/.exec(body.toString('latin1'))?.[1];
}
