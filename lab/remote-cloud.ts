/**
 * A cloud in another process, reached over HTTP(S): ours (`lab cloud`), whose /lab routes take faults and
 * give the event log, or any backend that speaks the device protocol. What only the in-process cloud can
 * answer (product instances, deposits) is refused with a clear message.
 */
import { LAB_KEY_HEADER, type CloudEvent, type FaultRule } from '#cloud';
import type { LabCloud } from './lab-cloud.ts';
import { UsageError } from './usage-error.ts';

const inProcessOnly = (what: string) => (): Promise<never> =>
  Promise.reject(
    new Error(`[lab] ${what} needs the in-process cloud; a remote cloud answers it through its management API`),
  );

export class RemoteCloud implements LabCloud {
  readonly location: string;
  readonly caPem: string;

  readonly #labKey: string | undefined;

  private constructor(url: string, caPem: string, labKey: string | undefined) {
    this.location = url;
    this.caPem = caPem;
    this.#labKey = labKey;
  }

  /** `caPem` default: the cloud's own CA from GET /lab/ca (a `lab cloud`); `labKey` for its /lab/ control. */
  static async connect(url: string, options: { caPem?: string; labKey?: string } = {}): Promise<RemoteCloud> {
    const { caPem, labKey } = options;
    if (caPem !== undefined) return new RemoteCloud(url, caPem, labKey);
    const res = await fetch(new URL('/lab/ca', url)).catch((err: Error) => {
      throw new UsageError(`cannot reach the cloud at ${url}: ${err.message}`);
    });
    if (!res.ok) throw new UsageError(`${url}/lab/ca answered ${res.status}; is it a 'lab cloud'? (else give its CA)`);
    return new RemoteCloud(url, ((await res.json()) as { certificate: string }).certificate, labKey);
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
