/**
 * A cloud in another process, reached over HTTP(S): ours (`lab cloud`), whose /lab routes take faults and
 * give the event log, or any backend that speaks the device protocol. What only the in-process cloud can
 * answer (product instances, deposits) is refused with a clear message.
 */
import http from 'node:http';
import https from 'node:https';
import { LAB_KEY_HEADER, type CloudEvent, type FaultRule } from '#cloud';
import { callHomePaths } from '#protocol';
import type { LabCloud } from './lab-cloud.ts';
import { UsageError } from './usage-error.ts';

const inProcessOnly = (what: string) => (): Promise<never> =>
  Promise.reject(
    new Error(`[lab] ${what} needs the in-process cloud; a remote cloud answers it through its management API`),
  );

export class RemoteCloud implements LabCloud {
  readonly location: string;
  readonly caPem: string;
  /**
   * The portal's license signing key (PEM) from GET /swift/licensing/signing-key: traditional devices check
   * license lines with it, SLP devices their ACKs and policies. Undefined for a backend that does not serve
   * it (its documents are then refused as signed by an unknown key).
   */
  readonly licenseKeyPem: string | undefined;

  readonly #labKey: string | undefined;

  private constructor(url: string, caPem: string, labKey: string | undefined, licenseKeyPem: string | undefined) {
    this.location = url;
    this.caPem = caPem;
    this.#labKey = labKey;
    this.licenseKeyPem = licenseKeyPem;
  }

  /** `caPem` default: the cloud's own CA from GET /lab/ca (a `lab cloud`); `labKey` for its /lab/ control. */
  static async connect(url: string, options: { caPem?: string; labKey?: string } = {}): Promise<RemoteCloud> {
    const { labKey } = options;
    let caPem = options.caPem;
    if (caPem === undefined) {
      const res = await fetch(new URL('/lab/ca', url)).catch((err: Error) => {
        throw new UsageError(`cannot reach the cloud at ${url}: ${err.message}`);
      });
      if (!res.ok)
        throw new UsageError(`${url}/lab/ca answered ${res.status}; is it a 'lab cloud'? (else give its CA)`);
      caPem = ((await res.json()) as { certificate: string }).certificate;
    }
    const key = await getJson(new URL(callHomePaths.signingKey, url), caPem);
    const licenseKeyPem = typeof key?.publicKey === 'string' ? key.publicKey : undefined;
    return new RemoteCloud(url, caPem, labKey, licenseKeyPem);
  }

  readonly faults = {
    add: (rule: object) => this.#call<FaultRule>('POST', '/lab/faults', rule),
    remove: async (id: string) => void (await this.#call('DELETE', `/lab/faults/${encodeURIComponent(id)}`)),
    clear: async () => void (await this.#call('DELETE', '/lab/faults')),
  };

  async events(query: { afterSeq?: number; limit?: number } = {}): Promise<CloudEvent[]> {
    const q = new URLSearchParams({ after: String(query.afterSeq ?? 0), limit: String(query.limit ?? 1000) });
    return (await this.#call<{ events: CloudEvent[] }>('GET', `/lab/events?${q}`)).events;
  }

  instance = inProcessOnly('looking up a product instance');
  instances = inProcessOnly('listing product instances');
  pools = inProcessOnly('reading license pools');
  depositLicenses = inProcessOnly('depositing licenses');
  transferLicenses = inProcessOnly('transferring licenses');
  removeInstance = inProcessOnly('removing a product instance');
  revokeToken = inProcessOnly('revoking a token by its value');
  removeLicenses = inProcessOnly('removing licenses from a pool');
  readonly portal = {
    addPak: inProcessOnly('adding a PAK'),
    pak: inProcessOnly('looking up a PAK'),
    fulfil: inProcessOnly('fulfilling a PAK'),
    licenses: inProcessOnly('listing portal licenses'),
    resend: inProcessOnly('resending licenses'),
    rma: inProcessOnly('an RMA in the portal'),
    permissionTicket: inProcessOnly('a rehost permission ticket'),
    rehost: inProcessOnly('a rehost'),
  };
  readonly slp = {
    usageFile: inProcessOnly('uploading a usage file'),
    setPolicy: inProcessOnly('setting a policy'),
    reserve: inProcessOnly('reserving licenses'),
    returnReservation: inProcessOnly('returning a reservation'),
    satelliteSyncFile: inProcessOnly('uploading an SSM On-Prem synchronization file'),
  };
  restart = inProcessOnly('restarting the cloud');

  async #call<T>(method: string, path: string, body?: object): Promise<T> {
    const res = await fetch(new URL(path, this.location), {
      method,
      headers: {
        ...(this.#labKey !== undefined ? { [LAB_KEY_HEADER]: this.#labKey } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!res.ok) throw new Error(`[lab] ${method} ${path} answered ${res.status}: ${answer.error?.message ?? ''}`);
    return answer;
  }
}

/** A JSON GET over http(s) trusting `caPem`; undefined when it cannot be had. */
function getJson(url: URL, caPem: string): Promise<Record<string, unknown> | undefined> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.get(url, { ca: caPem, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(text) as Record<string, unknown>) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}
