/**
 * License call-home (protocol/call-home.ts): the device posts its UDI and the Cisco.com login it prompted
 * for to the licensing back end over the lab's transport to the cloud, and reads the answer as every cloud
 * answer is read (read-answer.ts): the cloud's signature over the body first, then the JSON, then the
 * response schema for 200 and the error catalogue for 4xx; 5xx, 429 and transport failures are
 * communication failures. The request itself is not device-signed: the login is what the portal checks.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import {
  callHomePaths,
  CallHomeLicenseResponse,
  CallHomeRevokeResponse,
  type CallHomeLicenseResponse as LicenseAnswer,
  type CallHomeRevokeResponse as RevokeAnswer,
  type Udi,
} from '#protocol';
import type { CloudResult } from './cloud-result.ts';
import { readAnswerWith } from './read-answer.ts';
import type { CloudTransport, TransportResult } from './transport.ts';

export interface CallHomeLogin {
  username: string;
  password: string;
}

export interface CallHomeClientOptions {
  transport: CloudTransport;
  /** The cloud CA's certificate: its key verifies every answer. */
  trustAnchorPem: string;
  /** The Cisco.com account the lab's operator answers the prompts with. */
  login: CallHomeLogin;
}

/** What `license call-home install|resend|revoke` asks the portal. */
export type CallHomeCall =
  { op: 'install'; udi: Udi; pak: string } | { op: 'resend'; udi: Udi } | { op: 'revoke'; udi: Udi; targetUdi: Udi };

export type CallHomeAnswer =
  | { op: 'install' | 'resend'; result: CloudResult<LicenseAnswer> }
  | { op: 'revoke'; result: CloudResult<RevokeAnswer> };

const licenseCheck = TypeCompiler.Compile(CallHomeLicenseResponse as TSchema);
const revokeCheck = TypeCompiler.Compile(CallHomeRevokeResponse as TSchema);

export class CallHomeClient {
  readonly #options: CallHomeClientOptions;
  readonly #trustKey: KeyObject;

  constructor(options: CallHomeClientOptions) {
    this.#options = options;
    this.#trustKey = new X509Certificate(options.trustAnchorPem).publicKey;
  }

  /** For `show license call-home`: where requests go and as whom. */
  get description(): { url: string; username: string } {
    return { url: this.#options.transport.description, username: this.#options.login.username };
  }

  async send(call: CallHomeCall): Promise<CallHomeAnswer> {
    const { login } = this.#options;
    if (call.op === 'revoke') {
      const body = { udi: call.udi, login, targetUdi: call.targetUdi };
      return { op: 'revoke', result: await this.#post<RevokeAnswer>(callHomePaths.revoke, body, revokeCheck) };
    }
    const body = call.op === 'install' ? { udi: call.udi, login, pak: call.pak } : { udi: call.udi, login };
    return { op: call.op, result: await this.#post<LicenseAnswer>(callHomePaths[call.op], body, licenseCheck) };
  }

  async #post<T>(path: string, body: object, check: { Check(v: unknown): boolean }): Promise<CloudResult<T>> {
    const result = await this.#options.transport
      .send({
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)),
      })
      .catch((err: unknown): TransportResult => ({ ok: false, failure: { kind: 'reset', detail: String(err) } }));
    return readAnswerWith<T>(result, {
      trustKey: this.#trustKey,
      transport: 'Callhome',
      check: check as { Check(v: unknown): v is T },
    });
  }
}
