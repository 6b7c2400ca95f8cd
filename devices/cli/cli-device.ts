/**
 * What the IOS-style shell needs from a device: a read-only view for `show …` commands and the actions
 * exec and config commands perform. devices/device.ts implements it; the shell never sees the machine.
 */
import type { LicensingMode, PlatformModel, SoftwareRelease } from '../kinds/platform.ts';
import type { SmartCommand } from '../licensing/smart-events.ts';
import type { SmartLicensingView } from '../licensing/smart-view.ts';
import type { TraditionalRequest } from '../licensing/traditional-agent.ts';
import type { TraditionalView } from '../licensing/traditional-view.ts';
import type { SlpLicenseCommand } from '../licensing/slp-agent.ts';
import type { SlpConfig } from '../licensing/slp-config.ts';
import type { SlpView } from '../licensing/slp-view.ts';
import type { StoredFile } from '../files/flash.ts';
import type { LoggingConfig } from '../syslog/logging-config.ts';
import type { SyslogOutputView } from '../syslog/syslog-output.ts';
import type { AccessConfig } from '../http/access-config.ts';
import type { SnmpConfig } from '../snmp/snmp-config.ts';
import type { TrapOutputView } from '../snmp/trap-output.ts';

export interface DeviceClockView {
  /** Device time, epoch ms. */
  now: number;
  /** `clock timezone <name> <hours> [<minutes>]`; default UTC 0. */
  timezone: { name: string; offsetMinutes: number };
  /** True until the clock was set (`clock set`) or synced: syslog timestamps then carry `*`. */
  authoritative: boolean;
}

export interface DeviceView {
  hostname: string;
  platform: PlatformModel;
  release: SoftwareRelease;
  /** `PID:<pid>,SN:<sn>` parts. */
  udi: { pid: string; sn: string };
  clock: DeviceClockView;
  /** ms since the last boot, for `show version` uptime. */
  uptimeMs: number;
  /** Reason of the last reload (`show version`: `Last reload reason: …`). */
  lastReloadReason: string;
  licensingMode: LicensingMode;
  bootLevel: {
    /** Level running now (enforced at the last reload). */
    current: string;
    currentAddon?: string;
    /** Level configured for the next reload (`license boot level`), as saved or not yet saved. */
    nextReload: string;
    nextReloadAddon?: string;
  };
  smart: SmartLicensingView;
  /** Traditional licensing, while a traditional agent runs. */
  traditional?: TraditionalView;
  /** Smart Licensing Using Policy, while an SLP agent runs (17.x images). */
  slp?: SlpView;
  /** `flash:` and `usbflash0:` files by path. */
  files: Readonly<Record<string, StoredFile>>;
  /** Running configuration differs from startup (`write memory` not done). */
  configDirty: boolean;
  logging: {
    output: SyslogOutputView;
    /** Messages the device logged (console and buffer count them all). */
    messagesLogged: number;
    /** The log buffer, oldest first. */
    buffer: readonly string[];
    bufferSize: number;
    sequenceNumbers: boolean;
  };
  snmp: { config: SnmpConfig; traps: TrapOutputView };
  /** `ip http …` and `username …`: who may reach the on-box REST API. */
  access: AccessConfig;
}

/** What an action answers: lines to print (may be empty), or an IOS-style error line (`% …`). */
export type ActionResult = { ok: true; output: string } | { ok: false; error: string };

export interface CliDevice {
  view(): DeviceView;
  /**
   * `license smart register|deregister|renew …` (exec) and `[no] license smart enable` (config): the
   * licensing agent carries the command out or refuses it. Non-blocking, like IOS: exchanges run on.
   */
  license(command: SmartCommand): ActionResult;
  /** `license smart trust|sync|save usage|import|factory reset` on an SLP image. */
  slpLicense(command: SlpLicenseCommand): ActionResult;
  /** `license smart transport|url|usage interval` (config) on an SLP image: the whole next SLP configuration. */
  setSlpConfig(config: SlpConfig): ActionResult;
  /** Traditional `license install|clear|comment …` (exec) and `license accept end user agreement` (config). */
  licenseRequest(request: TraditionalRequest): ActionResult;
  /** Writes a text file (`license save`): `flash:<name>` or `usbflash0:<name>`. */
  putFile(path: string, text: string): ActionResult;
  /** A file's text (`license install`), or IOS's `%Error opening …` line. */
  readFile(path: string): ActionResult;
  /** `license boot level <level> [addon <addon>]` (config); takes effect at the next reload. */
  setBootLevel(level: string, addon?: string): ActionResult;
  /** `write memory` / `copy running-config startup-config`. */
  writeMemory(): ActionResult;
  /** `reload`: the device reboots (asynchronously, on the lab clock); the shell prints IOS's reload text. */
  reload(): ActionResult;
  /** `clock set HH:MM:SS <day> <month> <year>` (exec): device time, epoch ms. */
  setClock(deviceTime: number): ActionResult;
  /** `clock timezone <name> <hours> [<minutes>]` (config). */
  setTimezone(name: string, offsetMinutes: number): ActionResult;
  /** `hostname <name>` (config). */
  setHostname(name: string): ActionResult;
  /** Leaving configuration mode (`end`, `exit`): IOS logs %SYS-5-CONFIG_I. */
  endConfiguration(): void;
  /** `snmp-server …` (config): the whole next SNMP configuration. */
  setSnmp(config: SnmpConfig): ActionResult;
  /** `logging host|trap|facility|origin-id …` (config): the whole next logging configuration. */
  setLogging(config: LoggingConfig): ActionResult;
  /** `ip http server|authentication`, `username …` (config): the whole next access configuration. */
  setAccess(config: AccessConfig): ActionResult;
}
