/**
 * Where the device protocol lives. The real Smart transport posts to one URL,
 * https://smartreceiver.cisco.com/licservice/license (smart-licensing.md §8.1, §10.2), with a message
 * type inside a JSON schema that Cisco has not published; we keep that base path and give each message
 * type its own sub-path so every route has one schema.
 */
export const DEVICE_BASE = '/licservice/license';

export const devicePaths = {
  register: `${DEVICE_BASE}/registration`,
  authorize: `${DEVICE_BASE}/authorization`,
  renewId: `${DEVICE_BASE}/id-renewal`,
  deregister: `${DEVICE_BASE}/deregistration`,
  reportUsage: `${DEVICE_BASE}/usage`,
  convert: `${DEVICE_BASE}/conversion`,
} as const;

export type DeviceOperation = keyof typeof devicePaths;

/** Request and response headers of the device protocol (lower case, as node:http exposes them). */
export const headers = {
  /** Base64 ECDSA/RSA signature over the exact body bytes (request: device key; response: cloud CA key). */
  signature: 'x-lab-signature',
  /** Request: the serial (hex) of the ID certificate the device authenticates with. */
  certificateSerial: 'x-lab-certificate-serial',
  /** Response: the key id of the cloud key that signed it (hex SHA-256 prefix of its SPKI). */
  keyId: 'x-lab-key-id',
} as const;

/** Bodies over this size are refused with BODY_TOO_LARGE before they are read. */
export const MAX_BODY_BYTES = 1024 * 1024;
