/** How a device frames a protocol request: exact body bytes, signed with its key, naming its ID certificate. */
import { randomBytes, type KeyObject } from 'node:crypto';
import { devicePaths, headers, type DeviceOperation } from './paths.ts';
import { signBytes } from './signing.ts';

export interface DeviceRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * `body` must already hold udi, timestamp and nonce. Registration is signed with the key it presents
 * (proof of possession) and names no certificate; every later request names the ID certificate serial.
 */
export function buildDeviceRequest(
  op: DeviceOperation,
  body: object,
  key: KeyObject,
  certificateSerial?: string,
): DeviceRequest {
  const bytes = Buffer.from(JSON.stringify(body));
  return {
    method: 'POST',
    path: devicePaths[op],
    headers: {
      'content-type': 'application/json',
      [headers.signature]: signBytes(bytes, key),
      ...(certificateSerial ? { [headers.certificateSerial]: certificateSerial } : {}),
    },
    body: bytes,
  };
}
