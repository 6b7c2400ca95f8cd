import { describe, expect, it } from 'vitest';
import { checkDeviceRecord, type DeviceRecord } from './device-record.ts';
import { generateDeviceKey } from './licensing/device-key.ts';
import { newSmartRecord } from './licensing/smart-context.ts';
import { newTraditionalRecord } from './licensing/traditional-record.ts';
import { newSlpRecord } from './licensing/slp-record.ts';

const key = generateDeviceKey();
const good: DeviceRecord = {
  startup: {
    hostname: 'Switch',
    bootLevel: 'network-advantage',
    addon: 'dna-advantage',
    timezone: { name: 'UTC', offsetMinutes: 0 },
  },
  clockOffsetMs: -5,
  clockSet: false,
  smart: {
    ...newSmartRecord(key.pem),
    initialRegistration: { ok: true, at: 1 },
    identity: {
      certificatePem: 'PEM',
      certificateSerial: '0a',
      notBefore: 0,
      notAfter: 1,
      smartAccount: 'A',
      virtualAccount: 'V',
      exportControlled: true,
      registeredAt: 0,
      nextIdRenewalAt: 1,
    },
  },
  traditional: newTraditionalRecord(),
  slp: newSlpRecord(),
  files: { 'flash:a.lic': { text: 'x', at: 1 } },
  logSeq: 4,
  reloads: 0,
};
const json = (r: unknown): unknown => JSON.parse(JSON.stringify(r));
const spoil = (patch: (r: Record<string, any>) => void): unknown => {
  const r = json(good) as Record<string, any>;
  patch(r);
  return r;
};

describe('checkDeviceRecord', () => {
  it('accepts a stored record and parses its key once', () => {
    const r = checkDeviceRecord(json(good));
    expect(r).toMatchObject({
      ok: true,
      record: json(good),
      key: { pem: key.pem, publicKeySpkiB64: key.publicKeySpkiB64 },
    });
  });

  it.each([
    ['not an object', () => 'x', 'record is not an object'],
    ['an array', () => [], 'record is not an object'],
    ['no startup', () => spoil((r) => delete r.startup), 'record.startup is not an object'],
    [
      'a fractional sequence number',
      () => spoil((r) => (r.logSeq = 1.5)),
      'record.logSeq is not a non-negative integer',
    ],
    ['a numeric hostname', () => spoil((r) => (r.startup.hostname = 7)), 'startup.hostname is not a string'],
    ['a null add-on', () => spoil((r) => (r.startup.addon = null)), 'startup.addon is not absent or a string'],
    [
      'a timezone without offset',
      () => spoil((r) => delete r.startup.timezone.offsetMinutes),
      'startup.timezone.offsetMinutes is not a number',
    ],
    [
      'logging hosts not a list',
      () => spoil((r) => (r.startup.logging = { hosts: {}, trap: 6, facility: 'local7' })),
      'startup.logging.hosts is not an array',
    ],
    [
      'a logging host without port',
      () =>
        spoil(
          (r) =>
            (r.startup.logging = { hosts: [{ address: '10.0.0.1', transport: 'udp' }], trap: 6, facility: 'local7' }),
        ),
      'startup.logging.hosts[0].port is not a port from 1 to 65535',
    ],
    [
      'a logging host on port 0',
      () =>
        spoil(
          (r) =>
            (r.startup.logging = {
              hosts: [{ address: '10.0.0.1', transport: 'udp', port: 0 }],
              trap: 6,
              facility: 'local7',
            }),
        ),
      'startup.logging.hosts[0].port is not a port from 1 to 65535',
    ],
    [
      'an SNMP location that is not text',
      () =>
        spoil(
          (r) => (r.startup.snmp = { hosts: [], enabled: [], communities: [], users: [], location: { city: 'Lyon' } }),
        ),
      'startup.snmp.location is not absent or a string',
    ],
    ['smart as a string', () => spoil((r) => (r.smart = 'on')), 'record.smart is not an object'],
    ['no auth answers', () => spoil((r) => delete r.smart.auth.answers), 'smart.auth.answers is not an array'],
    [
      'an identity without serial',
      () => spoil((r) => delete r.smart.identity.certificateSerial),
      'smart.identity.certificateSerial is not a string',
    ],
    [
      'an attempt without time',
      () => spoil((r) => delete r.smart.initialRegistration.at),
      'smart.initialRegistration.at is not a number',
    ],
    [
      'an installed license without its text',
      () => spoil((r) => (r.traditional.installed = [{ storeIndex: 1, comment: '', installedAt: 0 }])),
      'traditional.installed[0].text is not a string',
    ],
    [
      'usage that is not a number',
      () => spoil((r) => (r.traditional.usedMs = { 'builtin:securityk9': 'lots' })),
      'traditional.usedMs.builtin:securityk9 is not a number',
    ],
    ['a file without text', () => spoil((r) => (r.files['flash:a.lic'] = { at: 1 })), 'files[0].text is not a string'],
    [
      'a RUM report without its id',
      () => spoil((r) => (r.slp.reports = [{ tag: 't', feature: 'f', count: 1, state: 'OPEN', start: 1 }])),
      'slp.reports[0].id is not a non-negative integer',
    ],
    [
      'an SLP transport that is not text',
      () => spoil((r) => (r.startup.slp = { transport: 7 })),
      'startup.slp.transport is not a string',
    ],
    [
      'a bad auth attempt',
      () => spoil((r) => (r.smart.auth.lastAttempt = { ok: 'yes', at: 1 })),
      'smart.auth.lastAttempt.ok is not a boolean',
    ],
  ])('names the first bad field: %s', (_what, payload, detail) => {
    expect(checkDeviceRecord(payload())).toEqual({
      ok: false,
      problem: 'corrupt',
      detail: `stored device record: ${detail}`,
    });
  });

  it('opens a record written before traditional licensing and files with their factory values', () => {
    const old = spoil((r) => {
      delete r.traditional;
      delete r.files;
      delete r.slp;
    });
    expect(checkDeviceRecord(old)).toMatchObject({
      ok: true,
      record: { traditional: newTraditionalRecord(), files: {}, slp: newSlpRecord() },
    });
  });

  it('refuses a key node:crypto cannot read, without throwing', () => {
    const r = checkDeviceRecord(
      spoil((x) => (x.smart.keyPem = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')),
    );
    expect(r).toMatchObject({
      ok: false,
      problem: 'corrupt',
      detail: expect.stringMatching(/^stored device record: smart\.keyPem is not a private key \(.+\)$/),
    });
  });
});
