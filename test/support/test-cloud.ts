/**
 * Test support for the cloud-client suites: the fixture keys and certificates, signed answers as the
 * cloud makes them (X-Lab-Signature over the exact body bytes) and a valid body for each operation.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { devicePaths, headers as h, signBytes, type DeviceOperation, type Udi } from '#protocol';

const read = (name: string) => readFileSync(new URL(`../fixtures/cloud-client/${name}`, import.meta.url), 'utf8');

export const caPem = read('ca.pem');
export const caKey = createPrivateKey(read('ca.key'));
export const otherCaPem = read('other-ca.pem');
export const otherCaKey = createPrivateKey(read('other-ca.key'));
export const deviceKey = createPrivateKey(read('device.key'));
export const deviceSpkiB64 = createPublicKey(deviceKey).export({ type: 'spki', format: 'der' }).toString('base64');
export const deviceIdPem = read('device-id.pem');
export const deviceIdOtherCaPem = read('device-id-other-ca.pem');
export const deviceSerial = '0a1b2c3d';
export const serverTls = { key: read('server.key'), cert: read('server.pem') };

export const udi: Udi = { pid: 'C9300-24T', sn: 'FOC0000X0AB' };
export const T = Date.parse('2026-03-13T08:09:24Z');
export const identity = { udi, key: deviceKey, certificateSerial: deviceSerial };

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** An answer as the cloud signs it; `signer: null` leaves the signature out. */
export function signed(status: number, value: unknown, signer: KeyObject | null = caKey): Answer {
  const body = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(signer ? { [h.signature]: signBytes(body, signer) } : {}),
    },
    body,
  };
}

export function errorAnswer(status: number, code: string, message = `the cloud says ${code}`): Answer {
  return signed(status, { error: { code, message } });
}

const iso = (ms: number) => new Date(ms).toISOString();

export const validBodies = {
  register: {
    status: 'REGISTERED',
    udi,
    idCertificate: deviceIdPem,
    certificateSerial: deviceSerial,
    notBefore: iso(T),
    notAfter: iso(T + 365 * 86_400_000),
    caCertificate: caPem,
    smartAccount: { name: 'Example Corp', domain: 'example.com' },
    virtualAccount: 'DEFAULT',
    exportControlled: true,
  },
  authorize: {
    status: 'AUTHORIZED',
    entitlements: [{ tag: 'regid.x', name: 'C9300 Network Essentials', count: 1, status: 'AUTHORIZED' }],
    authorizedAt: iso(T),
    validUntil: iso(T + 90 * 86_400_000),
  },
  renewId: {
    status: 'RENEWED',
    idCertificate: deviceIdPem,
    certificateSerial: deviceSerial,
    notBefore: iso(T),
    notAfter: iso(T + 365 * 86_400_000),
  },
  deregister: { status: 'DEREGISTERED', releasedEntitlements: 1 },
  reportUsage: { status: 'ACK', acknowledgedAt: iso(T) },
  convert: {
    status: 'CONVERTED',
    converted: [{ feature: 'ipservicesk9', tag: 'regid.x', quantity: 1 }],
    convertedAt: iso(T),
  },
} satisfies Record<DeviceOperation, object>;

export const operations = Object.keys(devicePaths) as DeviceOperation[];
