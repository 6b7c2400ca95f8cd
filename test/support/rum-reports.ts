/** Signed RUM reports and CSSM-signed ACKs as devices and the cloud make them (CSLU's tests, the lab's). */
import { generateKeyPairSync } from 'node:crypto';
import {
  encodeSmartLicense,
  signBytes,
  signDocument,
  type ReportUsageRequest,
  type RumPayload,
  type RumReport,
  type Sudi,
} from '#protocol';

export const cssmKey = generateKeyPairSync('ed25519');

export function testDevice(sn: string): {
  sudi: Sudi;
  report(reportId: number, count?: number): RumReport;
} {
  const sudi = { udi_pid: 'C9300-24P', udi_serial_number: sn };
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    sudi,
    report(reportId, count = 1) {
      const payload: RumPayload = {
        version: '2.0',
        asset_identification: {
          report_id: reportId,
          asset: { name: 'regid.2017-03.com.cisco.C9300' },
          instance: { sudi },
        },
        meta: {
          entitlement_tag: 'regid.2018-06.com.cisco.DNA_NWStack,1.0_e7244e71-3ad5-4608-8bf0-d12f67c80896',
          software_version: '17.9.4',
          ha_udi: [{ role: 'Active', sudi }],
        },
        measurements: [
          {
            log_time: reportId + 900,
            metric_name: 'ENTITLEMENT',
            start_time: reportId,
            end_time: reportId + 900,
            sample_interval: 900,
            num_samples: 1,
            meta: { termination_reason: 'CurrentUsageRequested' },
            value: { type: 'COUNT', value: String(count) },
          },
        ],
      };
      const text = JSON.stringify(payload);
      return {
        payload: text,
        signature: { sudi, signing_type: 'builtin', key: spki, value: signBytes(text, privateKey) },
      };
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
