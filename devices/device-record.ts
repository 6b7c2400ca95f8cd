/**
 * The device's trusted storage record: how it is opened (a damaged one moved aside), saved, made for a
 * factory-fresh unit, and the check a decoded one must pass before the device boots from it. The codec's
 * checksum catches damaged bytes; the check catches a record that is intact but not one this build can
 * run (hand-edited, or written by a build with another layout), which would otherwise throw deep inside
 * the boot. The check is structural: every field the device and its agents read. Fields added since the
 * first layout (`traditional`, `files`, `slp`) may be absent: an older record opens with their factory values.
 */
import type { SmartRecord } from './licensing/smart-context.ts';
import { newTraditionalRecord, type TraditionalRecord } from './licensing/traditional-record.ts';
import type { AccessConfig } from './http/access-config.ts';
import type { SlpConfig } from './licensing/slp-config.ts';
import { newSlpRecord, type SlpRecord } from './licensing/slp-record.ts';
import type { StoredFile } from './files/flash.ts';
import type { DeviceOptions } from './device-options.ts';
import type { PlatformModel, SoftwareRelease } from './kinds/platform.ts';
import { generateDeviceKey, loadDeviceKey, type DeviceKey } from './licensing/device-key.ts';
import { newSmartRecord } from './licensing/smart-context.ts';
import type { DeviceStorage } from './storage/device-storage.ts';
import { UTC, type Timezone } from './time/ios-time.ts';
import type { LoggingConfig } from './syslog/logging-config.ts';
import type { SnmpConfig } from './snmp/snmp-config.ts';

const RECORD_KIND = 'license-lab.device';
const RECORD_VERSION = 1;

/** What `write memory` saves and a reload restores. */
export interface StartupConfig {
  hostname: string;
  bootLevel: string;
  addon?: string;
  timezone: Timezone;
  /** Absent: the IOS defaults (no hosts, trap informational, facility local7). */
  logging?: LoggingConfig;
  /** Absent: no SNMP hosts, no notification type enabled. */
  snmp?: SnmpConfig;
  /** Release version the next boot runs (`installImage`, image-upgrade.ts); absent: the one built with. */
  bootImage?: string;
  /** `license smart transport|url|usage interval` (SLP images); absent: the defaults (slp-config.ts). */
  slp?: SlpConfig;
  /** `ip http …`, `username …` (http/access-config.ts); absent: the server off, no users. */
  access?: AccessConfig;
}

/** The device's trusted storage (one framed, checksummed record per device). */
export interface DeviceRecord {
  startup: StartupConfig;
  /** Device clock minus lab clock: a `clock set` survives reload like a hardware calendar. */
  clockOffsetMs: number;
  clockSet: boolean;
  smart: SmartRecord;
  /** Traditional licensing: license storage, usage of metered licenses, persistence history. */
  traditional: TraditionalRecord;
  /** Smart Licensing Using Policy: RUM reports until ACKed, policy, trust code, last ACK, schedule. */
  slp: SlpRecord;
  /** The `flash:` and `usbflash0:` file systems, by path (`flash:FTX1524ABCD_20260101000000000.lic`). */
  files: Record<string, StoredFile>;
  logSeq: number;
  reloads: number;
}

export type RecordCheck =
  { ok: true; record: DeviceRecord; key: DeviceKey } | { ok: false; problem: 'corrupt'; detail: string };

type Rule = 'string' | 'boolean' | 'number' | 'count' | 'port' | 'object' | 'array';
type Shape = Record<string, Rule | `${Rule}?`>;

const STARTUP: Shape = {
  hostname: 'string',
  bootLevel: 'string',
  addon: 'string?',
  timezone: 'object',
  logging: 'object?',
  snmp: 'object?',
  bootImage: 'string?',
  slp: 'object?',
  access: 'object?',
};
const SLP_CONFIG: Shape = { transport: 'string', csluUrl: 'string?', smartUrl: 'string?', usageIntervalDays: 'count?' };
const SLP: Shape = {
  reports: 'array',
  lastReportId: 'count',
  purged: 'count',
  acked: 'count',
  authorizations: 'array',
  reservation: 'object?',
};
const RUM: Shape = { id: 'count', tag: 'string', feature: 'string', count: 'count', state: 'string', start: 'count' };
const SNMP: Shape = {
  hosts: 'array',
  enabled: 'array',
  communities: 'array',
  users: 'array',
  contact: 'string?',
  location: 'string?',
};
const TIMEZONE: Shape = { name: 'string', offsetMinutes: 'number' };
const LOGGING: Shape = { hosts: 'array', trap: 'count', facility: 'string', originId: 'object?' };
const LOGGING_HOST: Shape = { address: 'string', transport: 'string', port: 'port', format: 'string?' };
const RECORD: Shape = {
  startup: 'object',
  clockOffsetMs: 'number',
  clockSet: 'boolean',
  smart: 'object',
  logSeq: 'count',
  reloads: 'count',
};
const SMART: Shape = {
  enabled: 'boolean',
  keyPem: 'string',
  identity: 'object?',
  initialRegistration: 'object?',
  lastIdRenewal: 'object?',
  evalUsedMs: 'number',
  evalExpiredAt: 'number?',
  auth: 'object',
};
const IDENTITY: Shape = {
  certificatePem: 'string',
  certificateSerial: 'string',
  notBefore: 'number',
  notAfter: 'number',
  smartAccount: 'string',
  virtualAccount: 'string',
  exportControlled: 'boolean',
  registeredAt: 'number',
  nextIdRenewalAt: 'number',
};
const AUTH: Shape = {
  status: 'string',
  since: 'number?',
  lastAttempt: 'object?',
  nextAt: 'number?',
  deadline: 'number?',
  answers: 'array',
};
const ATTEMPT: Shape = { ok: 'boolean', at: 'number', reason: 'string?' };
const TRADITIONAL: Shape = {
  installed: 'array',
  nextStoreIndex: 'count',
  eulaAccepted: 'boolean',
  usedMs: 'object',
  history: 'array',
  rightToUse: 'array?',
};
const RTU_ACTIVATION: Shape = {
  level: 'string',
  kind: 'string',
  slot: 'count',
  storeIndex: 'count',
  activatedAt: 'number',
  deactivatedAt: 'number?',
};
const INSTALLED: Shape = {
  text: 'string',
  storeIndex: 'count',
  comment: 'string',
  installedAt: 'number',
  revoked: 'object?',
  priority: 'string?',
};
const FILE: Shape = { text: 'string', at: 'number' };

const RULE_NAMES: Partial<Record<Rule, string>> = { count: 'non-negative integer', port: 'port from 1 to 65535' };

function fits(value: unknown, rule: Rule): boolean {
  switch (rule) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'count':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'port':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === rule;
  }
}

/** The first field of `value` (named from `path`) that breaks `shape`, or undefined. */
function misfit(value: unknown, shape: Shape, path: string): string | undefined {
  if (!fits(value, 'object')) return `${path} is not an object`;
  const o = value as Record<string, unknown>;
  for (const [name, spec] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const rule = (optional ? spec.slice(0, -1) : spec) as Rule;
    if (optional && o[name] === undefined) continue;
    if (!fits(o[name], rule))
      return `${path}.${name} is not ${optional ? 'absent or ' : ''}a${rule === 'object' || rule === 'array' ? 'n' : ''} ${RULE_NAMES[rule] ?? rule}`;
  }
  return undefined;
}

/** `misfit` of a field that may be absent. */
function misfitIfSet(value: unknown, shape: Shape, path: string): string | undefined {
  return value === undefined ? undefined : misfit(value, shape, path);
}

/** The first misfit among the items of a list (or the values of a map). */
function misfitIn(items: readonly unknown[], shape: Shape, path: (i: number) => string): string | undefined {
  return items.reduce<string | undefined>((found, item, i) => found ?? misfit(item, shape, path(i)), undefined);
}

function misfitTraditional(t: TraditionalRecord | undefined): string | undefined {
  if (t === undefined) return undefined;
  const shape = misfit(t, TRADITIONAL, 'traditional');
  if (shape !== undefined) return shape;
  const usage = Object.entries(t.usedMs).find(([, ms]) => !fits(ms, 'number'));
  if (usage) return `traditional.usedMs.${usage[0]} is not a number`;
  return (
    misfitIn(t.installed, INSTALLED, (i) => `traditional.installed[${i}]`) ??
    misfitIn(t.history, { at: 'number', action: 'string' }, (i) => `traditional.history[${i}]`) ??
    misfitIn(t.rightToUse ?? [], RTU_ACTIVATION, (i) => `traditional.rightToUse[${i}]`)
  );
}

/** Checks a decoded payload and parses its key; a failure names the first bad field. Never throws. */
export function checkDeviceRecord(payload: unknown): RecordCheck {
  const r = payload as DeviceRecord;
  // Outer objects first: each later check may then read the fields the earlier ones vouched for.
  const problem =
    misfit(payload, RECORD, 'record') ??
    misfit(r.startup, STARTUP, 'startup') ??
    misfit(r.startup.timezone, TIMEZONE, 'startup.timezone') ??
    misfitIfSet(r.startup.logging, LOGGING, 'startup.logging') ??
    misfitIfSet(r.startup.snmp, SNMP, 'startup.snmp') ??
    r.startup.logging?.hosts.reduce<string | undefined>(
      (found, h, i) => found ?? misfit(h, LOGGING_HOST, `startup.logging.hosts[${i}]`),
      undefined,
    ) ??
    misfit(r.smart, SMART, 'smart') ??
    misfit(r.smart.auth, AUTH, 'smart.auth') ??
    misfitIfSet(r.smart.identity, IDENTITY, 'smart.identity') ??
    misfitIfSet(r.smart.initialRegistration, ATTEMPT, 'smart.initialRegistration') ??
    misfitIfSet(r.smart.lastIdRenewal, ATTEMPT, 'smart.lastIdRenewal') ??
    misfitIfSet(r.smart.auth.lastAttempt, ATTEMPT, 'smart.auth.lastAttempt') ??
    misfitTraditional(r.traditional) ??
    misfitIfSet(r.startup.slp, SLP_CONFIG, 'startup.slp') ??
    misfitIfSet(r.slp, SLP, 'slp') ??
    misfitIn(r.slp?.reports ?? [], RUM, (i) => `slp.reports[${i}]`) ??
    (r.files === undefined
      ? undefined
      : (misfit(r.files, {}, 'files') ?? misfitIn(Object.values(r.files), FILE, (i) => `files[${i}]`)));
  if (problem !== undefined) return { ok: false, problem: 'corrupt', detail: `stored device record: ${problem}` };
  try {
    const key = loadDeviceKey(r.smart.keyPem);
    return {
      ok: true,
      record: {
        ...r,
        traditional: r.traditional ?? newTraditionalRecord(),
        slp: r.slp ?? newSlpRecord(),
        files: r.files ?? {},
      },
      key,
    };
  } catch (err) {
    return {
      ok: false,
      problem: 'corrupt',
      detail: `stored device record: smart.keyPem is not a private key (${(err as Error).message})`,
    };
  }
}

export interface OpenedRecord {
  record: DeviceRecord;
  key: DeviceKey;
  /** The record was not read from storage (first boot, or damaged): it must be written at once. */
  fresh: boolean;
  /** What was wrong with a damaged record, and where its bytes were moved: the device logs it. */
  damage?: string;
}

/** The device's record from its trusted storage; a damaged one is moved aside and `factory()` used instead. */
export function openDeviceRecord(
  storage: DeviceStorage,
  factory: () => { record: DeviceRecord; key: DeviceKey },
  now: number,
): OpenedRecord {
  const stored = storage.load(RECORD_KIND, RECORD_VERSION);
  const loaded = stored.ok ? checkDeviceRecord(stored.record.payload) : stored;
  if (loaded.ok) return { record: loaded.record, key: loaded.key, fresh: false };
  const made = factory();
  if (loaded.problem === 'missing') return { ...made, fresh: true };
  const aside = storage.quarantine(now);
  const damage = `trusted storage ${loaded.problem}: ${loaded.detail}; kept as ${aside ?? '(nothing)'}, starting with factory licensing data`;
  return { ...made, fresh: true, damage };
}

export function saveDeviceRecord(storage: DeviceStorage, record: DeviceRecord, now: number): void {
  storage.save(RECORD_KIND, RECORD_VERSION, record, now);
}

/** A factory-fresh unit: its factory key (given or new), boot level and hostname, clock never set. */
export function factoryRecord(
  platform: PlatformModel,
  release: SoftwareRelease,
  o: Pick<DeviceOptions, 'keyPem' | 'addon' | 'hostname' | 'bootLevel' | 'logging' | 'snmp'>,
): { record: DeviceRecord; key: DeviceKey } {
  const key = o.keyPem !== undefined ? loadDeviceKey(o.keyPem) : generateDeviceKey();
  const addon = o.addon ?? platform.defaultAddon;
  const record: DeviceRecord = {
    startup: {
      hostname: o.hostname ?? platform.defaultHostname,
      bootLevel: o.bootLevel ?? platform.defaultLevel,
      ...(addon ? { addon } : {}),
      timezone: UTC,
      ...(o.logging ? { logging: o.logging } : {}),
      ...(o.snmp ? { snmp: o.snmp } : {}),
    },
    clockOffsetMs: 0,
    clockSet: false,
    // A dual-mode release (ASR 903/1000 on 16.9) runs its default mode until `license smart enable` + reload.
    smart: { ...newSmartRecord(key.pem), enabled: release.defaultMode === 'smart' },
    traditional: newTraditionalRecord(),
    slp: newSlpRecord(),
    files: {},
    logSeq: 0,
    reloads: 0,
  };
  return { record, key };
}
