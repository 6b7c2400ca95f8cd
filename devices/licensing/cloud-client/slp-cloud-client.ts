/**
 * The device side of SLP reporting (smart-licensing.md §9.4–9.6, slp.ts): the same swapi-shaped bodies
 * to the cloud directly (Smart transport: `slpDevicePaths`, over the device's cloud transport, answers
 * signed by the trust anchor) or to a CSLU (the configured URL plus the operation's suffix, over an HTTP
 * transport to that host; a CSLU signs no answers, the documents inside are signed by the portal).
 * Every request body is signed with the device key (`X-Lab-Signature`), as every device request is.
 * Never throws.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  headers,
  newNonce,
  parseSlpJson,
  signBytes,
  slpDevicePaths,
  slpPathsUnder,
  slpSchemas,
  stringifySlpJson,
  type DeviceRequest,
  type PollAccepted,
  type PollAction,
  type PollResponse,
  type RumReport,
  type SlpOperation,
  type Sudi,
  type TrustResponse,
} from '#protocol';
import type { CloudResult } from './cloud-result.ts';
import { commFailureReason } from './failure-reasons.ts';
import { readAnswerWith } from './read-answer.ts';
import type { CloudTransport, TransportResult } from './transport.ts';

/** One license of a SLAC request: `{ entitlement, count }` (slp.ts AuthRequest keys). */
export interface SlacKey {
  entitlement: string;
  count: number;
}

/** Where a device's SLP messages go: the cloud itself, or a CSLU at a URL (`…:8182/cslu/v1/pi`). */
export type SlpDestination = { kind: 'cssm' } | { kind: 'cslu'; url: string };

export interface SlpCaller {
  sudi: Sudi;
  hostname: string;
  key: KeyObject;
  publicKeySpkiB64: string;
  clockOffsetMs: number;
  destination: SlpDestination;
}

/** What the SLP agent needs of the cloud: SlpCloudClient, or a stand-in in unit tests. */
export interface SlpCloud {
  reportUsage(caller: SlpCaller, usage: readonly RumReport[], softwareTag?: string): Promise<CloudResult<PollAccepted>>;
  poll(caller: SlpCaller, pollId: string, action: PollAction): Promise<CloudResult<PollResponse>>;
  /** A SLAC for enforced / export-controlled licenses (`license smart authorization request`). */
  /** A SLAC asked for; with `keys: []` and the installed SLAC's confirm code as `removeCode`, its return. */
  authRequest(caller: SlpCaller, keys: readonly SlacKey[], removeCode?: string): Promise<CloudResult<PollAccepted>>;
  trust(caller: SlpCaller, idToken: string, force: boolean): Promise<CloudResult<TrustResponse>>;
}

export interface SlpCloudClientOptions {
  /** The device's transport to the cloud (Smart transport). */
  transport: CloudTransport;
  /** PEM of the cloud CA certificate; the cloud's answers must be signed by it. */
  trustAnchorPem: string;
  /** A transport to a CSLU origin (`http://host:8182`); default createCsluTransport's. */
  cslu: (origin: string) => CloudTransport;
  /** Lab clock; a request's timestamp is this plus the device's clock offset. */
  now: () => number;
}

const check = Object.fromEntries(
  Object.entries(slpSchemas).map(([op, s]) => [op, TypeCompiler.Compile(s.response)]),
) as { [Op in SlpOperation]: ReturnType<typeof TypeCompiler.Compile<(typeof slpSchemas)[Op]['response']>> };

/** A transport that fails every exchange as a name that does not resolve (`cslu-local` with no DNS entry). */
export function unresolvedTransport(host: string): CloudTransport {
  return {
    description: `${host} (unresolved)`,
    send: async (): Promise<TransportResult> => ({ ok: false, failure: { kind: 'dns', detail: `ENOTFOUND ${host}` } }),
    close: async () => {},
  };
}

export class SlpCloudClient implements SlpCloud {
  readonly #options: SlpCloudClientOptions;
  readonly #trustKey: KeyObject;

  constructor(options: SlpCloudClientOptions) {
    this.#options = options;
    this.#trustKey = new X509Certificate(options.trustAnchorPem).publicKey;
  }

  reportUsage(c: SlpCaller, usage: readonly RumReport[], softwareTag?: string): Promise<CloudResult<PollAccepted>> {
    const report = {
      sudi: c.sudi,
      hostname: c.hostname,
      ...(softwareTag ? { software_tag_identifier: softwareTag } : {}),
      usage,
    };
    return this.#call(c, 'reportUsage', { reports: [report] });
  }

  poll(c: SlpCaller, pollId: string, action: PollAction): Promise<CloudResult<PollResponse>> {
    return this.#call(c, 'poll', { poll_id: pollId, action });
  }

  authRequest(c: SlpCaller, keys: readonly SlacKey[], removeCode?: string): Promise<CloudResult<PollAccepted>> {
    const entry = {
      sudi: c.sudi,
      hostname: c.hostname,
      keys,
      ...(removeCode !== undefined ? { remove_code: removeCode } : {}),
    };
    return this.#call(c, 'authRequest', { licenses: [entry] });
  }

  trust(c: SlpCaller, idToken: string, force: boolean): Promise<CloudResult<TrustResponse>> {
    return this.#call(c, 'trust', {
      sudi: c.sudi,
      hostname: c.hostname,
      id_token: idToken,
      public_key: c.publicKeySpkiB64,
      force,
    });
  }

  async #call<Op extends SlpOperation, T>(c: SlpCaller, op: Op, data: object): Promise<CloudResult<T>> {
    const body = { data: { timestamp: this.#options.now() + c.clockOffsetMs, nonce: newNonce(), ...data } };
    let bytes: Buffer;
    let signature: string;
    try {
      bytes = Buffer.from(stringifySlpJson(body));
      signature = signBytes(bytes, c.key);
    } catch {
      return { ok: false, kind: 'comm', reason: commFailureReason('requestBuild', 'Smart') };
    }
    const { transport, path, trustKey } = this.#route(c.destination, op);
    const request: DeviceRequest = {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', [headers.signature]: signature },
      body: bytes,
    };
    const result = await transport
      .send(request)
      .catch((err: unknown): TransportResult => ({ ok: false, failure: { kind: 'reset', detail: String(err) } }));
    return readAnswerWith<T>(result, {
      ...(trustKey ? { trustKey } : {}),
      transport: 'Smart',
      check: check[op] as unknown as { Check(v: unknown): v is T },
      okStatuses: [200, 202],
      parse: parseSlpJson,
    });
  }

  #route(d: SlpDestination, op: SlpOperation): { transport: CloudTransport; path: string; trustKey?: KeyObject } {
    if (d.kind === 'cssm')
      return { transport: this.#options.transport, path: slpDevicePaths[op], trustKey: this.#trustKey };
    const url = new URL(d.url);
    return { transport: this.#options.cslu(url.origin), path: slpPathsUnder(url.pathname)[op] };
  }
}
