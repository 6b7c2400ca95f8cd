/**
 * A lab on a remote `lab cloud`: the devices get the portal's signing key from the cloud itself, so
 * traditional license lines and SLP documents it signs are trusted; a backend without that route gives none.
 */
import http from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createLab } from '#lab';
import { createLicenseTrust, licenseKeyId, licensePublicKeyFromPem } from '#protocol';
import { startCloud, type CloudProcess } from './support/cloud-process.ts';

const started: CloudProcess[] = [];
afterAll(async () => {
  for (const c of started) {
    await c.stop();
    rmSync(c.dir, { recursive: true, force: true });
  }
});

describe('a lab on a remote cloud', () => {
  it('trusts the license signing key the cloud serves', async () => {
    const cloud = await startCloud();
    started.push(cloud);
    const served = (await (await fetch(`${cloud.url}/swift/licensing/signing-key`)).json()) as { keyId: string };
    const lab = await createLab({ cloud: { kind: 'remote', url: cloud.url, labKey: cloud.labKey } });
    try {
      const pem = (lab.cloud as { licenseKeyPem?: string }).licenseKeyPem;
      expect(pem).toBeDefined();
      expect(licenseKeyId(licensePublicKeyFromPem(pem!)!)).toBe(served.keyId);
      expect([...createLicenseTrust([pem!]).keys.keys()]).toEqual([served.keyId]);
    } finally {
      await lab.close();
    }
  });

  it('goes on without a key when the backend serves none', async () => {
    // A backend of its own with a real CA (the lab cloud's), and no signing-key route.
    const certificate = ((await (await fetch(`${started[0]!.url}/lab/ca`)).json()) as { certificate: string })
      .certificate;
    const server = http.createServer((req, res) => {
      const body = req.url === '/lab/ca' ? JSON.stringify({ certificate }) : '{}';
      res.writeHead(req.url === '/lab/ca' ? 200 : 404, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const lab = await createLab({ cloud: { kind: 'remote', url } });
      expect((lab.cloud as { licenseKeyPem?: string }).licenseKeyPem).toBeUndefined();
      await lab.close();
    } finally {
      server.close();
    }
  });
});
