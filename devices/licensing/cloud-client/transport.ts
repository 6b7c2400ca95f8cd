/**
 * How a device's licensing agent reaches the cloud: one request, one answer or one failure. Transports
 * never throw; the client (smart-cloud-client.ts) turns failures into IOS failure reasons.
 */
import type { DeviceRequest } from '#protocol';

/** What broke below HTTP (or, for `empty`, an answer with no body bytes, which the protocol never sends). */
export type TransportFailureKind = 'refused' | 'reset' | 'timeout' | 'dns' | 'tls' | 'empty';

export interface TransportFailure {
  kind: TransportFailureKind;
  /** For logs and tests: the underlying error code and message. */
  detail: string;
}

export type TransportResult =
  | { ok: true; status: number; headers: Record<string, string>; body: Buffer }
  | { ok: false; failure: TransportFailure };

export interface CloudTransport {
  send(req: DeviceRequest): Promise<TransportResult>;
  /** Releases sockets; later sends still answer (a new connection), so a racing agent never throws. */
  close(): Promise<void>;
  /** For `show` output and logs, e.g. `https://cloud:8443 (keep-alive)`. */
  readonly description: string;
}

/** An answer the cloud sent: status, lower-case headers, body. Empty bodies are failures (`empty`). */
export function answered(status: number, headers: Record<string, string>, body: Buffer): TransportResult {
  if (body.length === 0) return { ok: false, failure: { kind: 'empty', detail: `HTTP ${status} with an empty body` } };
  return { ok: true, status, headers, body };
}
