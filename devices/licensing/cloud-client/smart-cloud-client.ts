/**
 * The device side of the Smart Licensing protocol: one method per message, each building a fresh signed
 * request (udi, device-clock timestamp, nonce), sending it over any CloudTransport and believing only
 * answers signed by the trust anchor, the cloud root the device is built with. Never throws.
 */
import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import {
  buildDeviceRequest,
  newNonce,
  publicKeyFromSpki,
  type AuthorizeResponse,
  type ConversionResponse,
  type ConvertedLicense,
  type DeregisterResponse,
  type DeviceOperation,
  type DeviceRequest,
  type EntitlementRequest,
  type RegisterResponse,
  type RenewIdResponse,
  type Udi,
  type UsageReportResponse,
} from '#protocol';
import type { CloudResult } from './cloud-result.ts';
import { commFailureReason, type CommFailureCase, type TransportType } from './failure-reasons.ts';
import { readAnswer } from './read-answer.ts';
import type { CloudTransport, TransportResult } from './transport.ts';

export type { CloudFailure, CloudResult } from './cloud-result.ts';

/** Who the device is once registered: its key and the serial of its ID certificate. */
export interface DeviceIdentity {
  udi: Udi;
  key: KeyObject;
  certificateSerial: string;
  /** Device clock minus lab clock (`clock set`); requests carry the device's own time. Default 0. */
  clockOffsetMs?: number;
}

export interface RegisterParams {
  udi: Udi;
  idToken: string;
  hostname: string;
  force?: boolean;
  softwareVersion?: string;
  /** The device's private key; the request is signed with it (proof of possession). */
  key: KeyObject;
  /** Its public key, base64 SPKI DER, as the cloud will certify it. */
  publicKeySpkiB64: string;
  clockOffsetMs?: number;
}

export interface SmartCloudClientOptions {
  transport: CloudTransport;
  /** PEM of the cloud CA certificate, like the root a real device ships with. */
  trustAnchorPem: string;
  /** Lab clock (epoch ms); a request's timestamp is this plus the device's clock offset. */
  now: () => number;
  /** Chooses the wording of failure reasons (`show license status` Transport: Type). */
  transportType: TransportType;
}

/**
 * Serials compare as integers: X509Certificate prints upper-case hex, the cloud may send lower case or leading zeros.
 */
function sameSerial(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/^0+/, '');
  return norm(a) === norm(b);
}

/**
 * Trust anchors parsed once per process: every device of a lab holds the same root, and a parsed
 * certificate's key per device cost ~50 µs at spawn and native memory for each of 100,000 devices.
 * Keyed by PEM; a lab has one or a few roots.
 */
const trustKeys = new Map<string, KeyObject>();

function trustKeyOf(pem: string): KeyObject {
  let key = trustKeys.get(pem);
  if (key === undefined) {
    key = new X509Certificate(pem).publicKey;
    trustKeys.set(pem, key);
  }
  return key;
}

export class SmartCloudClient {
  readonly transport: CloudTransport;
  readonly transportType: TransportType;
  readonly #trustKey: KeyObject;
  readonly #trustAnchorPem: string;
  readonly #now: () => number;

  constructor(options: SmartCloudClientOptions) {
    try {
      this.#trustKey = trustKeyOf(options.trustAnchorPem);
    } catch (err) {
      throw new Error(
        `[cloud-client] trustAnchorPem is not a PEM X.509 certificate (${(err as Error).message}); pass the cloud CA certificate (GET /lab/ca)`,
        { cause: err },
      );
    }
    this.#trustAnchorPem = options.trustAnchorPem;
    this.transport = options.transport;
    this.transportType = options.transportType;
    this.#now = options.now;
  }

  async register(p: RegisterParams): Promise<CloudResult<RegisterResponse>> {
    const body = {
      ...this.#fresh(p.udi, p.clockOffsetMs),
      idToken: p.idToken,
      hostname: p.hostname,
      publicKey: p.publicKeySpkiB64,
      ...(p.force === undefined ? {} : { force: p.force }),
      ...(p.softwareVersion === undefined ? {} : { softwareVersion: p.softwareVersion }),
    };
    const answer = await this.#call('register', body, p.key);
    if (!answer.ok) return answer;
    // The certificates answered must come from the device's own root and certify the key it presented.
    const a = answer.body;
    if (
      !this.#isTrustAnchor(a.caCertificate) ||
      !this.#certifies(a.idCertificate, a.certificateSerial, publicKeyFromSpki(p.publicKeySpkiB64))
    ) {
      return this.#comm('untrustedIssuer');
    }
    return answer;
  }

  authorize(id: DeviceIdentity, entitlements: EntitlementRequest[]): Promise<CloudResult<AuthorizeResponse>> {
    return this.#call(
      'authorize',
      { ...this.#fresh(id.udi, id.clockOffsetMs), entitlements },
      id.key,
      id.certificateSerial,
    );
  }

  async renewId(id: DeviceIdentity): Promise<CloudResult<RenewIdResponse>> {
    const answer = await this.#call('renewId', this.#fresh(id.udi, id.clockOffsetMs), id.key, id.certificateSerial);
    if (!answer.ok) return answer;
    let own: KeyObject | undefined;
    try {
      own = createPublicKey(id.key);
    } catch {
      own = undefined;
    }
    return this.#certifies(answer.body.idCertificate, answer.body.certificateSerial, own)
      ? answer
      : this.#comm('untrustedIssuer');
  }

  deregister(id: DeviceIdentity): Promise<CloudResult<DeregisterResponse>> {
    return this.#call('deregister', this.#fresh(id.udi, id.clockOffsetMs), id.key, id.certificateSerial);
  }

  reportUsage(id: DeviceIdentity, entitlements: EntitlementRequest[]): Promise<CloudResult<UsageReportResponse>> {
    return this.#call(
      'reportUsage',
      { ...this.#fresh(id.udi, id.clockOffsetMs), entitlements },
      id.key,
      id.certificateSerial,
    );
  }

  /** `license smart conversion start`: the traditional licenses the device holds, into its VA. */
  convert(id: DeviceIdentity, licenses: ConvertedLicense[]): Promise<CloudResult<ConversionResponse>> {
    return this.#call('convert', { ...this.#fresh(id.udi, id.clockOffsetMs), licenses }, id.key, id.certificateSerial);
  }

  #fresh(udi: Udi, clockOffsetMs = 0): { udi: Udi; timestamp: number; nonce: string } {
    return { udi, timestamp: this.#now() + clockOffsetMs, nonce: newNonce() };
  }

  #comm(c: CommFailureCase): CloudResult<never> {
    return { ok: false, kind: 'comm', reason: commFailureReason(c, this.transportType) };
  }

  async #call<Op extends DeviceOperation>(op: Op, body: object, key: KeyObject, serial?: string) {
    let req: DeviceRequest;
    try {
      req = buildDeviceRequest(op, body, key, serial);
    } catch {
      // A key node:crypto cannot sign with: the agent could not even frame the message.
      return this.#comm('requestBuild');
    }
    const result = await this.transport.send(req).catch((err: unknown): TransportResult => ({
      ok: false,
      failure: { kind: 'reset', detail: `transport threw: ${String(err)}` },
    }));
    return readAnswer(op, result, this.#trustKey, this.transportType);
  }

  #isTrustAnchor(pem: string): boolean {
    // The common case costs a string compare, not an X.509 parse (~50 µs).
    if (pem === this.#trustAnchorPem) return true;
    try {
      return new X509Certificate(pem).publicKey.equals(this.#trustKey);
    } catch {
      return false;
    }
  }

  #certifies(pem: string, serial: string, key: KeyObject | undefined): boolean {
    try {
      const cert = new X509Certificate(pem);
      return (
        key !== undefined &&
        cert.verify(this.#trustKey) &&
        cert.publicKey.equals(key) &&
        sameSerial(cert.serialNumber, serial)
      );
    } catch {
      return false;
    }
  }
}
