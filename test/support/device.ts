/**
 * A tiny test device speaking the device protocol: a P-256 key, a UDI, and one method per operation,
 * built with the protocol's own buildDeviceRequest. Every answer's X-Lab-Signature is checked against
 * the cloud CA (from the registration answer or GET /lab/ca); an answer that does not verify throws.
 */
import { generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import {
  buildDeviceRequest,
  headers as h,
  newNonce,
  verifyBytes,
  type DeviceOperation,
  type EntitlementRequest,
  type Udi,
} from '#protocol';

export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Where requests go: a base URL (global fetch) or a function (e.g. an in-process cloud app). */
export type Target = string | ((req: WireRequest) => Promise<WireResponse>);

export interface Answer<T = Record<string, unknown>> {
  status: number;
  json: T;
  headers: Record<string, string>;
}

export async function send(target: Target, req: WireRequest): Promise<WireResponse> {
  if (typeof target !== 'string') return target(req);
  const res = await fetch(`${target}${req.path}`, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined && req.method !== 'GET' ? { body: req.body } : {}),
  });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) };
}

/** The CA's public key from its certificate PEM. */
export function caKeyOf(certPem: string): KeyObject {
  return new X509Certificate(certPem).publicKey;
}

export async function fetchCaKey(target: Target): Promise<KeyObject> {
  const res = await send(target, { method: 'GET', path: '/lab/ca', headers: {} });
  if (res.status !== 200) throw new Error(`GET /lab/ca answered ${res.status}: ${res.body.toString('utf8')}`);
  const key = caKeyOf((JSON.parse(res.body.toString('utf8')) as { certificate: string }).certificate);
  assertSigned(res, key);
  return key;
}

/** Throws unless the answer carries an X-Lab-Signature over its exact body bytes by `caKey`. */
export function assertSigned(res: WireResponse, caKey: KeyObject): void {
  const signature = res.headers[h.signature];
  if (!signature)
    throw new Error(`answer ${res.status} has no ${h.signature} header: ${res.body.toString('utf8').slice(0, 200)}`);
  if (!verifyBytes(res.body, signature, caKey))
    throw new Error(
      `answer ${res.status} has an ${h.signature} that does not verify with the cloud CA: ${res.body.toString('utf8').slice(0, 200)}`,
    );
}

let counter = 0;

export function randomUdi(pid = 'C9300-24T'): Udi {
  counter += 1;
  return {
    pid,
    sn: `T${process.pid.toString(36)}${counter.toString(36)}${randomBytes(4).toString('hex')}`
      .toUpperCase()
      .slice(0, 64),
  };
}

export interface DeviceOptions {
  udi?: Udi;
  hostname?: string;
  /** The device clock (epoch ms) stamped into requests; default the host clock. */
  now?: () => number;
}

export class TestDevice {
  readonly udi: Udi;
  readonly hostname: string;
  readonly privateKey: KeyObject;
  readonly publicKeyB64: string;
  certificateSerial: string | undefined;
  caKey: KeyObject | undefined;
  private readonly now: () => number;

  constructor(options: DeviceOptions = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKeyB64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    this.udi = options.udi ?? randomUdi();
    this.hostname = options.hostname ?? `sw-${this.udi.sn.toLowerCase().slice(-12)}`;
    this.now = options.now ?? (() => Date.now());
  }

  private fresh(): { udi: Udi; timestamp: number; nonce: string } {
    return { udi: this.udi, timestamp: this.now(), nonce: newNonce() };
  }

  /** Sends one protocol request; checks the answer's signature (fetching the CA first if need be). */
  async call<T = Record<string, unknown>>(
    target: Target,
    op: DeviceOperation,
    body: object,
    serial = this.certificateSerial,
  ): Promise<Answer<T>> {
    this.caKey ??= await fetchCaKey(target);
    const req = buildDeviceRequest(op, body, this.privateKey, op === 'register' ? undefined : serial);
    const res = await send(target, req);
    const json = JSON.parse(res.body.toString('utf8')) as T;
    assertSigned(res, this.caKey);
    return { status: res.status, json, headers: res.headers };
  }

  async register(
    target: Target,
    idToken: string,
    opts: { force?: boolean; softwareVersion?: string } = {},
  ): Promise<Answer> {
    const answer = await this.call(target, 'register', {
      ...this.fresh(),
      idToken,
      hostname: this.hostname,
      publicKey: this.publicKeyB64,
      ...opts,
    });
    if (answer.status === 200) {
      const ca = caKeyOf(answer.json.caCertificate as string);
      if (!ca.equals(this.caKey!)) throw new Error('the registration answer names a CA other than GET /lab/ca');
      this.certificateSerial = answer.json.certificateSerial as string;
    }
    return answer;
  }

  authorize(target: Target, entitlements: EntitlementRequest[]): Promise<Answer> {
    return this.call(target, 'authorize', { ...this.fresh(), entitlements });
  }

  reportUsage(target: Target, entitlements: EntitlementRequest[]): Promise<Answer> {
    return this.call(target, 'reportUsage', { ...this.fresh(), entitlements });
  }

  async renewId(target: Target): Promise<Answer> {
    const answer = await this.call(target, 'renewId', this.fresh());
    if (answer.status === 200) this.certificateSerial = answer.json.certificateSerial as string;
    return answer;
  }

  deregister(target: Target): Promise<Answer> {
    return this.call(target, 'deregister', this.fresh());
  }
}
