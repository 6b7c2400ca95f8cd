/** Signed RUM reports and CSSM-signed ACKs as devices and the cloud make them (CSLU's tests, the lab's). */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  buildRumReport,
  encodeSmartLicense,
  signDocument,
  type ReportUsageRequest,
  type RumReport,
  type Sudi,
} from '#protocol';

export const cssmKey = generateKeyPairSync('ed25519');

export const DNA_ESSENTIALS_TAG = 'regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896';

/** A device's key and the reports it signs with it (one entitlement, one 15-minute measurement each). */
export function testDevice(
  sn: string,
  tag = DNA_ESSENTIALS_TAG,
): {
  sudi: Sudi;
  privateKey: KeyObject;
  /** Base64 SPKI DER of the public key, as `signature.key` and `public_key` carry it. */
  spki: string;
  report(reportId: number, count?: number): RumReport;
} {
  const sudi = { udi_pid: 'C9300-24P', udi_serial_number: sn };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    sudi,
    privateKey,
    spki,
    report(reportId, count = 1) {
      const usage = { sudi, reportId, tag, softwareVersion: '17.9.4', start: reportId, end: reportId + 900, count };
      return buildRumReport({ ...usage, reason: 'CurrentUsageRequested' }, privateKey, spki);
    },
  };
}

export function usageBody(sudi: Sudi, reports: RumReport[], hostname = 'sw1'): ReportUsageRequest {
  return { data: { timestamp: 1_700_000_000_000, nonce: 'nonce-0001', reports: [{ sudi, hostname, usage: reports }] } };
}

/** The `smart_license` CSSM answers for these reports. */
export function ackFor(sudi: Sudi, reportIds: number[]): string {
  const payload = {
    sudi,
    report_ids: reportIds,
    acknowledged_at: 1_700_000_100_000,
    smart_account: 'BU Production Test',
    virtual_account: 'Default',
  };
  return encodeSmartLicense(signDocument('RUM_ACK', payload, cssmKey.privateKey, cssmKey.publicKey));
}
