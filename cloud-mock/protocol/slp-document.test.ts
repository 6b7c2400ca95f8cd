import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLicenseTrust } from './license-line.ts';
import {
  buildRumReport,
  decodeSmartLicense,
  encodeSmartLicense,
  formatSlpFile,
  openDocument,
  parseSlpFile,
  reportSignatureValid,
  signDocument,
  stringifySlpJson,
} from './slp-document.ts';
import { DEFAULT_POLICY, parseSlpJson, type RumPayload } from './slp.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const trust = createLicenseTrust([publicKey]);
const sudi = { udi_pid: 'C9300-24P', udi_serial_number: 'FOC2144X0AB' };
const ack = {
  sudi,
  report_ids: [1700000000],
  acknowledged_at: 1700000000000,
  smart_account: 'A',
  virtual_account: 'B',
};

describe('SLP documents', () => {
  it('opens what the cloud signed, through base64 and a file', () => {
    const doc = signDocument('RUM_ACK', ack, privateKey, publicKey);
    const wire = decodeSmartLicense(encodeSmartLicense(doc));
    expect(openDocument(wire, 'RUM_ACK', trust)).toEqual({ ok: true, value: ack });
    const file = parseSlpFile(formatSlpFile([{ element: 'RUMACK', value: doc }]));
    expect(file.ok && openDocument(file.value[0]!.value, 'RUM_ACK', trust)).toEqual({ ok: true, value: ack });
  });

  it('refuses an edited payload, a foreign key, the wrong kind and a bad shape', () => {
    const doc = signDocument('RUM_ACK', ack, privateKey, publicKey);
    const edited = { ...doc, payload: doc.payload.replace('1700000000]', '1700000001]') };
    expect(openDocument(edited, 'RUM_ACK', trust)).toEqual({ ok: false, reason: 'signature is not valid' });
    const other = generateKeyPairSync('ed25519');
    const foreign = signDocument('RUM_ACK', ack, other.privateKey, other.publicKey);
    expect(openDocument(foreign, 'RUM_ACK', trust).ok).toBe(false);
    expect(openDocument(doc, 'POLICY', trust)).toEqual({
      ok: false,
      reason: 'a RUM_ACK document where a POLICY was expected',
    });
    const policyless = signDocument(
      'POLICY',
      { policy: { ...DEFAULT_POLICY, ack_required: 'yes' } },
      privateKey,
      publicKey,
    );
    expect(openDocument(policyless, 'POLICY', trust)).toEqual({ ok: false, reason: 'payload is not a valid POLICY' });
    expect(openDocument('garbage', 'POLICY', trust).ok).toBe(false);
  });

  it('tells a truncated, foreign or empty file apart', () => {
    const text = formatSlpFile([{ element: 'RUMACK', value: { a: 1 } }]);
    expect(parseSlpFile(text.slice(0, text.length - 10))).toEqual({ ok: false, reason: 'file is truncated' });
    expect(parseSlpFile('hello')).toEqual({ ok: false, reason: 'not a smartLicense file' });
    expect(parseSlpFile(formatSlpFile([]))).toEqual({ ok: false, reason: 'file holds no license data' });
    expect(parseSlpFile(text.replace('{"a":1}', '{"a":'))).toEqual({
      ok: false,
      reason: '<RUMACK> holds no valid JSON',
    });
    expect(parseSlpFile(text.replaceAll('RUMACK', 'Other'))).toEqual({ ok: false, reason: 'unknown element <Other>' });
  });
});

describe('SLP JSON', () => {
  it('keeps a poll_id beyond 2^53 to the digit, both ways, and leaves payload strings alone', () => {
    const wire = '{"status":"OK_POLL","poll_id":773126444402795033,"payload":"{\\"poll_id\\":1}"}';
    const parsed = parseSlpJson(wire) as { poll_id: string; payload: string };
    expect(parsed.poll_id).toBe('773126444402795033');
    expect(parsed.payload).toBe('{"poll_id":1}');
    expect(stringifySlpJson(parsed)).toBe(wire);
    expect(() => parseSlpJson('{"poll_id":')).toThrow();
  });
});

describe('RUM reports', () => {
  it('measures a window in 15-minute samples and signs exactly the payload text', () => {
    const device = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const spki = device.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const usage = {
      sudi,
      reportId: 1_767_600_000,
      tag: 'T',
      softwareVersion: '17.9.4',
      count: 3,
      reason: 'CurrentUsageRequested',
    };
    const report = buildRumReport(
      { ...usage, start: 1_767_600_000, end: 1_767_600_000 + 86_400 },
      device.privateKey,
      spki,
    );
    const payload = JSON.parse(report.payload) as RumPayload;
    expect(payload.measurements[0]).toMatchObject({ num_samples: 96, sample_interval: 900, value: { value: '3' } });
    expect(payload.asset_identification.instance.sudi).toEqual(sudi);
    expect(reportSignatureValid(report, device.publicKey)).toBe(true);
    expect(reportSignatureValid({ ...report, payload: report.payload.replace('"3"', '"4"') }, device.publicKey)).toBe(
      false,
    );
    expect(reportSignatureValid(report, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey)).toBe(false);
  });
});
