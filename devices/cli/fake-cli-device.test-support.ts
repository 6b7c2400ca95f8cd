/**
 * A CliDevice for tests: a view built by hand, actions recorded and answered from a table, so the shell
 * and every command are tested without the licensing machine.
 */
import type { SlpLicenseCommand } from '../licensing/slp-agent.ts';
import type { SlpConfig } from '../licensing/slp-config.ts';
import { DAY } from '#protocol';
import type { ActionResult, CliDevice, DeviceView } from './cli-device.ts';
import type { PlatformModel } from '../kinds/platform.ts';
import type { SmartCommand } from '../licensing/smart-events.ts';
import type { SmartLicensingView } from '../licensing/smart-view.ts';
import type { TraditionalRequest } from '../licensing/traditional-agent.ts';
import { DEFAULT_LOGGING, type LoggingConfig } from '../syslog/logging-config.ts';
import { DEFAULT_ACCESS, type AccessConfig } from '../http/access-config.ts';
import { DEFAULT_SNMP, type SnmpConfig } from '../snmp/snmp-config.ts';

export const C9300: PlatformModel = {
  pid: 'C9300-24P',
  family: 'catalyst-9300',
  description: 'cisco C9300-24P (X86) processor',
  vid: 'V01',
  defaultHostname: 'Switch',
  levelModel: 'image-level',
  levels: [{ name: 'network-essentials' }, { name: 'network-advantage', includes: ['network-essentials'] }],
  defaultLevel: 'network-advantage',
  addons: [{ name: 'dna-essentials' }, { name: 'dna-advantage' }],
  features: [],
  releases: [
    { version: '16.12.4', os: 'IOS XE', image: 'cat9k_iosxe.16.12.04.SPA.bin', modes: ['smart'], defaultMode: 'smart' },
  ],
  defaultRelease: '16.12.4',
  serialPrefixes: ['FCW'],
};

export const UNREGISTERED_SMART: SmartLicensingView = {
  enabled: true,
  transport: { type: 'Callhome', url: 'https://tools.cisco.com/its/service/oddce/services/DDCEService' },
  registration: { status: 'unregistered', exportControlled: false },
  authorization: { status: 'eval', evaluationRemainingMs: 90 * DAY },
  entitlements: [],
  udi: { pid: 'C9300-24P', sn: 'FCW2144L045' },
  agentVersion: '4.8.5.4_rel/22',
};

export function makeView(overrides: Partial<DeviceView> = {}): DeviceView {
  return {
    hostname: 'Switch',
    platform: C9300,
    release: C9300.releases[0]!,
    udi: { pid: 'C9300-24P', sn: 'FCW2144L045' },
    clock: { now: Date.UTC(2024, 2, 13, 8, 9, 30), timezone: { name: 'UTC', offsetMinutes: 0 }, authoritative: true },
    uptimeMs: 0,
    lastReloadReason: 'Reload Command',
    licensingMode: 'smart',
    bootLevel: {
      current: 'network-advantage',
      currentAddon: 'dna-advantage',
      nextReload: 'network-advantage',
      nextReloadAddon: 'dna-advantage',
    },
    smart: UNREGISTERED_SMART,
    files: {},
    configDirty: false,
    logging: {
      output: { config: DEFAULT_LOGGING, trapLogged: 0, rateLimited: 0, hosts: [] },
      messagesLogged: 0,
      buffer: [],
      bufferSize: 4096,
      sequenceNumbers: false,
    },
    snmp: { config: DEFAULT_SNMP, traps: { sent: 0, rateLimited: 0 } },
    access: DEFAULT_ACCESS,
    ...overrides,
  };
}

/** A device method, or for `license(…)` the command's type (`license.register`). */
type ActionName = Exclude<keyof CliDevice, 'view' | 'license'> | SmartCommand['type'];

export class FakeCliDevice implements CliDevice {
  current: DeviceView;
  readonly calls: { action: ActionName; args: unknown[] }[] = [];
  /** Answer per action; ok with no output when absent. */
  readonly answers: Partial<Record<ActionName, ActionResult>> = {};

  constructor(view: DeviceView = makeView()) {
    this.current = view;
  }

  view(): DeviceView {
    return this.current;
  }

  #act(action: ActionName, ...args: unknown[]): ActionResult {
    this.calls.push({ action, args });
    return this.answers[action] ?? { ok: true, output: '' };
  }

  license = (command: SmartCommand) => {
    const { type, ...args } = command;
    return Object.keys(args).length > 0 ? this.#act(type, args) : this.#act(type);
  };
  setBootLevel = (level: string, addon?: string) => this.#act('setBootLevel', level, addon);
  licenseRequest = (request: TraditionalRequest) => this.#act('licenseRequest', request);
  slpLicense = (command: SlpLicenseCommand) => this.#act('slpLicense', command);
  setSlpConfig = (config: SlpConfig) => this.#act('setSlpConfig', config);
  putFile = (path: string, text: string) => this.#act('putFile', path, text);
  readFile = (path: string) => this.#act('readFile', path);
  writeMemory = () => this.#act('writeMemory');
  reload = () => this.#act('reload');
  setClock = (deviceTime: number) => this.#act('setClock', deviceTime);
  setTimezone = (name: string, offsetMinutes: number) => this.#act('setTimezone', name, offsetMinutes);
  /** Counted, not recorded: most tests leave configuration mode without caring. */
  configurationsEnded = 0;
  endConfiguration = () => void this.configurationsEnded++;
  setLogging = (config: LoggingConfig) => {
    const r = this.#act('setLogging', config);
    const logging = this.current.logging;
    if (r.ok) this.current = { ...this.current, logging: { ...logging, output: { ...logging.output, config } } };
    return r;
  };
  setAccess = (config: AccessConfig) => {
    const r = this.#act('setAccess', config);
    if (r.ok) this.current = { ...this.current, access: config };
    return r;
  };
  setSnmp = (config: SnmpConfig) => {
    const r = this.#act('setSnmp', config);
    if (r.ok) this.current = { ...this.current, snmp: { ...this.current.snmp, config } };
    return r;
  };
  setHostname = (name: string) => {
    const r = this.#act('setHostname', name);
    if (r.ok) this.current = { ...this.current, hostname: name };
    return r;
  };
}
