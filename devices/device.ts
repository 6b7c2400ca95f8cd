/**
 * One virtual device: a platform model, its trusted storage, its event log, the licensing agent its
 * release runs (licensing-agent.ts) and an IOS-style shell. It keeps its running and startup configuration
 * apart like IOS: `license boot level` is enforced at the next reload, and only what was saved with
 * `write memory` survives one. The licensing record (ID certificate, key, evaluation time, authorization)
 * is written on every change and survives reload and lab restart.
 */
import { udiString, type TimerId, type Udi } from '#protocol';
import type { ActionResult, CliDevice, DeviceView } from './cli/cli-device.ts';
import { IosShell } from './cli/shell.ts';
import {
  factoryRecord,
  openDeviceRecord,
  saveDeviceRecord,
  type DeviceRecord,
  type OpenedRecord,
  type StartupConfig,
} from './device-record.ts';
import type { DeviceOptions } from './device-options.ts';

export type { DeviceOptions } from './device-options.ts';
import type { DeviceEnvironment } from './device-environment.ts';
import { DeviceLog } from './events/device-log.ts';
import type { DeviceEvent } from './events/device-event.ts';
import { checkImage, releaseAtBoot } from './image-upgrade.ts';
import { licensingModeAtBoot } from './kinds/licensing-mode.ts';
import type { LicensingMode, PlatformModel, SoftwareRelease } from './kinds/platform.ts';
import { checkBootLevel, findPlatform, findRelease } from './kinds/registry.ts';
import { generateSerial, udiFor } from './kinds/udi.ts';
import { startSlpAgent, startSmartAgent, startTraditionalAgent, type AgentBoot } from './device-agents.ts';
import { listFiles, readStoredFile, writeFile, type FileSystem } from './files/flash.ts';
import { enforceBootLevel, type RunningLevel } from './licensing/boot-level.ts';
import type { DeviceKey } from './licensing/device-key.ts';
import type { AgentState } from './licensing/licensing-agent.ts';
import type { SmartAgent } from './licensing/smart-agent.ts';
import type { SmartCommand } from './licensing/smart-events.ts';
import { resolveSmartTimers, type SmartTimers } from './licensing/smart-timers.ts';
import { dormantSmartView } from './licensing/smart-view-of.ts';
import type { SmartLicensingView } from './licensing/smart-view.ts';
import type { TraditionalAgent, TraditionalRequest } from './licensing/traditional-agent.ts';
import { resolveTraditionalTimers, type TraditionalTimers } from './licensing/traditional-timers.ts';
import type { TraditionalView } from './licensing/traditional-view.ts';
import type { SlpAgent, SlpLicenseCommand } from './licensing/slp-agent.ts';
import type { SlpConfig } from './licensing/slp-config.ts';
import { resolveSlpTimers, type SlpTimers } from './licensing/slp-timers.ts';
import type { SlpView } from './licensing/slp-view.ts';
import { smartlicService, type SmartlicRequest, type SmartlicResponse } from './licensing/smartlic-service.ts';
import { DEFAULT_ACCESS, type AccessConfig } from './http/access-config.ts';
import { onBoxHttp, type OnBoxHttpAnswer, type OnBoxHttpRequest } from './http/on-box-http.ts';
import { DeviceStorage } from './storage/device-storage.ts';
import { StorageError } from './storage/storage-error.ts';
import { MemoryBackend } from './storage/memory-backend.ts';
import { addressFromSerial } from './management-address.ts';
import { DEFAULT_LOGGING, loggingHostChanges, type LoggingConfig } from './syslog/logging-config.ts';
import { SyslogOutput } from './syslog/syslog-output.ts';
import { sysMessages } from './syslog/sys-messages.ts';
import { DEFAULT_SNMP, type SnmpConfig } from './snmp/snmp-config.ts';
import { TrapOutput } from './snmp/trap-output.ts';

const DEFAULT_RELOAD_MS = 180_000;

export class VirtualDevice implements CliDevice {
  readonly platform: PlatformModel;
  /** The release built with; the one running is `release` (an image upgrade changes it at reload). */
  readonly #builtRelease: SoftwareRelease;
  #release: SoftwareRelease;
  readonly udi: Udi;
  readonly log: DeviceLog;
  readonly shell: IosShell;
  /** Management address: the source of what it sends, `logging origin-id ip`. */
  readonly address: string;
  readonly #env: DeviceEnvironment;
  readonly #syslog: SyslogOutput;
  readonly #traps: TrapOutput;
  readonly #storage: DeviceStorage;
  readonly #timers: SmartTimers;
  readonly #traditionalTimers: TraditionalTimers;
  readonly #slpTimers: SlpTimers;
  readonly #options: DeviceOptions;
  #record: DeviceRecord;
  #running: StartupConfig;
  /** Boot level enforced at the last boot. */
  #active: RunningLevel = { level: '' };
  #key: DeviceKey;
  /** The licensing model this boot runs (a dual-mode image switches only at reload). */
  #mode: LicensingMode = 'traditional';
  #agent: SmartAgent | undefined;
  #traditional: TraditionalAgent | undefined;
  #slp: SlpAgent | undefined;
  #bootedAt = 0;
  #state: 'running' | 'reloading' | 'stopped' = 'stopped';
  #lastReloadReason = 'power-on';
  /** The trusted storage refuses writes: logged once, then the device runs from memory, like one with a bad flash. */
  #storageFailing = false;
  #reloadTimer: TimerId | undefined;

  constructor(options: DeviceOptions) {
    const { clock } = options.environment;
    this.platform = findPlatform(options.pid);
    this.#builtRelease = findRelease(this.platform, options.release);
    this.#release = this.#builtRelease;
    const manufacturedAt = options.manufacturedAt ?? clock.now();
    const sn = options.sn ?? generateSerial(this.platform, { manufacturedAt, sequence: options.serialSequence ?? 0 });
    this.udi = udiFor(this.platform, sn);
    this.address = options.address ?? addressFromSerial(sn);
    this.#env = options.environment;
    this.#options = options;
    this.#timers = resolveSmartTimers(options.timers);
    this.#traditionalTimers = resolveTraditionalTimers(options.traditionalTimers);
    this.#slpTimers = resolveSlpTimers(options.slpTimers);
    this.#storage = new DeviceStorage(options.storage ?? new MemoryBackend(), sn);
    this.#syslog = new SyslogOutput(this.#env.syslog, {
      config: () => this.#running.logging ?? DEFAULT_LOGGING,
      address: this.address,
      release: () => this.#release.version,
    });
    this.#traps = new TrapOutput(this.#env.traps, {
      config: () => this.#running.snmp ?? DEFAULT_SNMP,
      address: this.address,
      uptimeMs: () => (this.#state === 'running' ? this.#env.clock.now() - this.#bootedAt : 0),
    });
    this.log = new DeviceLog({
      hostname: () => this.#running.hostname,
      udi: udiString(this.udi),
      labNow: () => clock.now(),
      deviceNow: () => this.deviceNow(),
      timezone: () => this.#running.timezone,
      authoritative: () => this.#record.clockSet,
      sinks: [...(options.sinks ?? []), this.#syslog.send, this.#traps.send],
      report: (problem) => this.#report(problem),
    });
    const opened = this.#open();
    this.#record = opened.record;
    this.#running = { ...this.#record.startup };
    this.#key = opened.key;
    this.#opened(opened);
    this.shell = new IosShell(this);
    this.#boot();
  }

  get release(): SoftwareRelease {
    return this.#release;
  }

  /**
   * An image upgrade: `version` (another release of this platform) runs from the next reload, in the
   * licensing model it runs; saved at once in the startup configuration, as `boot system` + `write memory` would.
   */
  installImage(version: string): ActionResult {
    const check = checkImage(this.platform, version);
    if (!check.ok) return check;
    // A traditional box moving to a Smart-only release boots with the Smart Agent on, as such images start it.
    if (this.#mode === 'traditional' && !check.release.modes.includes('traditional'))
      this.#record.smart = { ...this.#record.smart, enabled: true };
    this.#running = { ...this.#running, bootImage: version };
    this.#record.startup = { ...this.#record.startup, bootImage: version };
    if (!this.#save()) return { ok: false, error: '%Error writing nvram:startup-config (I/O error)' };
    return { ok: true, output: '' };
  }

  get state(): 'running' | 'reloading' | 'stopped' {
    return this.#state;
  }

  get hostname(): string {
    return this.#running.hostname;
  }

  deviceNow(): number {
    return this.#env.clock.now() + this.#record.clockOffsetMs;
  }

  /** One line typed at the console; the output IOS would print. */
  exec(line: string): string {
    if (this.#state !== 'running') {
      return `% ${this.#running.hostname} is ${this.#state === 'reloading' ? 'reloading' : 'powered off'}\n`;
    }
    return this.shell.execute(line);
  }

  events(): readonly DeviceEvent[] {
    return this.log.events();
  }

  smart(): SmartLicensingView {
    return this.#agent?.view() ?? dormantSmartView(this.udi, this.#record.smart, this.#timers);
  }

  /** Traditional licensing as `show license` reads it, or undefined while no traditional agent runs. */
  traditional(): TraditionalView | undefined {
    return this.#traditional?.view();
  }

  /** Smart Licensing Using Policy as `show license` reads it, or undefined while no SLP agent runs. */
  slp(): SlpView | undefined {
    return this.#slp?.view();
  }

  /** The running agent's state (plain JSON), or undefined while none runs (powered off, reloading). */
  agentState(): AgentState | undefined {
    return this.#agentNow()?.state();
  }

  view(): DeviceView {
    return {
      hostname: this.#running.hostname,
      platform: this.platform,
      release: this.release,
      udi: this.udi,
      clock: { now: this.deviceNow(), timezone: this.#running.timezone, authoritative: this.#record.clockSet },
      uptimeMs: this.#state === 'running' ? this.#env.clock.now() - this.#bootedAt : 0,
      lastReloadReason: this.#lastReloadReason,
      licensingMode: this.#mode,
      bootLevel: {
        current: this.#active.level,
        ...(this.#active.addon ? { currentAddon: this.#active.addon } : {}),
        nextReload: this.#running.bootLevel,
        ...(this.#running.addon ? { nextReloadAddon: this.#running.addon } : {}),
      },
      smart: this.smart(),
      ...(this.#traditional ? { traditional: this.#traditional.view() } : {}),
      ...(this.#slp ? { slp: this.#slp.view() } : {}),
      files: this.#record.files,
      configDirty: JSON.stringify(this.#running) !== JSON.stringify(this.#record.startup),
      logging: {
        output: this.#syslog.view(),
        messagesLogged: this.log.seq,
        buffer: this.log.events().map((e) => e.line),
        bufferSize: this.log.bufferSize,
        sequenceNumbers: this.log.settings.sequenceNumbers,
      },
      snmp: { config: this.#running.snmp ?? DEFAULT_SNMP, traps: this.#traps.view() },
      access: this.#running.access ?? DEFAULT_ACCESS,
    };
  }

  // --- CliDevice actions -------------------------------------------------------------------------

  /** A `license smart …` command, for the agent to carry out or refuse. */
  license(command: SmartCommand): ActionResult {
    if (!this.release.modes.includes('smart')) {
      return { ok: false, error: `% Smart Licensing is not supported on ${this.release.version}` };
    }
    if (this.#agent) return this.#agent.execute(command);
    // A dual-mode image running traditional licensing: `license smart enable` switches at the next reload.
    if (command.type === 'license.enable' || command.type === 'license.disable') {
      this.#record.smart = { ...this.#record.smart, enabled: command.type === 'license.enable' };
      this.#save();
      return {
        ok: true,
        output: command.type === 'license.enable' ? 'Smart Licensing will be enabled at the next reload.\n' : '',
      };
    }
    return { ok: false, error: '% Smart Licensing is not enabled (license smart enable, then reload)' };
  }

  /** A `license smart …` command or SLP configuration change on a 17.x image, for the SLP agent. */
  slpLicense(command: SlpLicenseCommand): ActionResult {
    if (!this.#slp) return { ok: false, error: '% Smart Licensing Using Policy is not running on this image' };
    return this.#slp.execute(command);
  }

  /** `license smart transport|url|usage interval` (config): the running configuration, told to the agent. */
  setSlpConfig(config: SlpConfig): ActionResult {
    this.#running = { ...this.#running, slp: config };
    return this.slpLicense({ type: 'config.changed', config });
  }

  /** The on-box `/smartlic-service/…` REST API (CSLU pull mode; licensing/smartlic-service.ts). */
  smartlicService(request: SmartlicRequest): SmartlicResponse {
    return smartlicService(this.#slp, request, Math.floor(this.deviceNow() / 1000));
  }

  /** The same API behind the device's HTTP server and its local users (`ip http …`, `username …`). */
  onBoxHttp(request: OnBoxHttpRequest): OnBoxHttpAnswer {
    if (this.#state !== 'running') return { refused: true };
    return onBoxHttp(this.#running.access ?? DEFAULT_ACCESS, request, (r) => this.smartlicService(r));
  }

  /** A traditional `license …` request (install, clear, comment, EULA), for the agent to carry out or refuse. */
  licenseRequest(request: TraditionalRequest): ActionResult {
    if (!this.#traditional) return { ok: false, error: '% Traditional licensing is not running on this image' };
    const result = this.#traditional.execute(request);
    if (!result.ok || request.type !== 'license.rightToUse') return result;
    // Right-to-use: the activated level is the next boot's, saved at once in the startup configuration (as
    // the switch keeps it across reload), so a later image (16.9 Smart) boots and requests that level.
    const bootLevel = this.#traditional.view().nextReload;
    this.#running = { ...this.#running, bootLevel };
    this.#record.startup = { ...this.#record.startup, bootLevel };
    if (!this.#save()) return { ok: false, error: '%Error writing nvram:startup-config (I/O error)' };
    return result;
  }

  /** Writes a text file to `flash:` or `usbflash0:` (the lab copying a license file onto the device). */
  putFile(path: string, text: string): ActionResult {
    const written = writeFile(this.#record.files, path, text, this.deviceNow());
    if (!written.ok) return written;
    this.#record.files = written.value;
    this.#save();
    return { ok: true, output: '' };
  }

  readFile(path: string): ActionResult {
    const read = readStoredFile(this.#record.files, path);
    return read.ok ? { ok: true, output: read.value } : read;
  }

  /** Names of the files on one file system, in name order. */
  fileNames(fs: FileSystem = 'flash:'): string[] {
    return listFiles(this.#record.files, fs).map((f) => f.name);
  }

  setBootLevel(level: string, addon?: string): ActionResult {
    const check = checkBootLevel(this.platform, level, addon);
    if (!check.ok) return { ok: false, error: check.error };
    this.#running = { ...this.#running, bootLevel: check.level, ...(check.addon ? { addon: check.addon } : {}) };
    if (!check.addon) delete this.#running.addon;
    this.#traditional?.notify({ type: 'bootLevel.changed', level: check.level });
    return { ok: true, output: '' };
  }

  writeMemory(): ActionResult {
    this.#record.startup = { ...this.#running };
    // Lab choice (no capture of a failing NVRAM write): IOS's `%Error <op> <file> (<errno text>)` form.
    if (!this.#save()) return { ok: false, error: '%Error writing nvram:startup-config (I/O error)' };
    return { ok: true, output: '' };
  }

  reload(): ActionResult {
    if (this.#state !== 'running') return { ok: false, error: `% ${this.#running.hostname} is not running` };
    this.log.log(sysMessages.RELOAD, { reason: 'Reload Command' });
    this.#shutdown('Reload Command');
    this.#state = 'reloading';
    this.#reloadTimer = this.#env.clock.setTimeout(() => this.#boot(), this.#options.reloadMs ?? DEFAULT_RELOAD_MS);
    return { ok: true, output: '' };
  }

  /**
   * The power goes: nothing is saved on the way down (what the agent had not yet written is lost), and when
   * it comes back after the boot time the device reads its trusted storage again, as at any cold start.
   */
  powerLoss(): ActionResult {
    if (this.#state !== 'running') return { ok: false, error: `% ${this.#running.hostname} is not running` };
    this.#agentNow()?.stop();
    this.#agent = undefined;
    this.#traditional = undefined;
    this.#slp = undefined;
    this.#lastReloadReason = 'power-on';
    this.#state = 'reloading';
    this.#reloadTimer = this.#env.clock.setTimeout(() => {
      const opened = this.#open();
      this.#env.smart.keys.delete(this.#key.pem);
      this.#record = opened.record;
      this.#key = opened.key;
      this.#opened(opened);
      this.#boot();
    }, this.#options.reloadMs ?? DEFAULT_RELOAD_MS);
    return { ok: true, output: '' };
  }

  /**
   * Bit rot in the trusted storage: one byte of the stored record flipped. A running device does not notice;
   * the next read (a cold start after a power loss) finds the damage.
   */
  corruptStorage(): ActionResult {
    return this.#storage.flipByte() ? { ok: true, output: '' } : { ok: false, error: '% nothing stored to corrupt' };
  }

  setClock(deviceTime: number): ActionResult {
    this.#record.clockOffsetMs = deviceTime - this.#env.clock.now();
    this.#record.clockSet = true;
    this.#save();
    this.#agentNow()?.notify({ type: 'clock.changed', clockOffsetMs: this.#record.clockOffsetMs });
    return { ok: true, output: '' };
  }

  setTimezone(name: string, offsetMinutes: number): ActionResult {
    this.#running = { ...this.#running, timezone: { name, offsetMinutes } };
    return { ok: true, output: '' };
  }

  setLogging(config: LoggingConfig): ActionResult {
    const before = this.#running.logging?.hosts ?? [];
    this.#running = { ...this.#running, logging: config };
    for (const change of loggingHostChanges(before, config.hosts))
      this.log.log(sysMessages.LOGGINGHOST_STARTSTOP, change);
    return { ok: true, output: '' };
  }

  setAccess(config: AccessConfig): ActionResult {
    this.#running = { ...this.#running, access: config };
    return { ok: true, output: '' };
  }

  setSnmp(config: SnmpConfig): ActionResult {
    this.#running = { ...this.#running, snmp: config };
    return { ok: true, output: '' };
  }

  endConfiguration(): void {
    this.log.log(sysMessages.CONFIG_I, {});
  }

  setHostname(name: string): ActionResult {
    this.#running = { ...this.#running, hostname: name };
    (this.#agent ?? this.#slp)?.notify({ type: 'hostname.changed', hostname: name });
    return { ok: true, output: '' };
  }

  /** Powers the device off cleanly (lab stop): storage written, timers cancelled. */
  stop(): void {
    if (this.#state === 'running') this.#shutdown('power-off');
    // Powered off mid-reload: the boot that reload scheduled must not bring it back.
    if (this.#reloadTimer !== undefined) this.#env.clock.clearTimeout(this.#reloadTimer);
    this.#reloadTimer = undefined;
    this.#state = 'stopped';
    this.#env.smart.keys.delete(this.#key.pem);
  }

  // --- internals -----------------------------------------------------------------------------------

  /** The record in trusted storage, or a factory one when there is none or it is damaged. */
  #open(): OpenedRecord {
    const factory = () => factoryRecord(this.platform, this.#builtRelease, this.#options);
    return openDeviceRecord(this.#storage, factory, this.#env.clock.now());
  }

  /** A record just read: its key known to the agents, damage logged, a fresh one written at once. */
  #opened(opened: OpenedRecord): void {
    this.#env.smart.keys.add(opened.key);
    if (opened.damage !== undefined) this.log.smartLic('PLATFORM_ERROR', { detail: opened.damage });
    // The factory key is written at once, so the device keeps its identity across a lab restart.
    if (opened.fresh) this.#save();
  }

  #boot(): void {
    const clock = this.#env.clock;
    this.#reloadTimer = undefined;
    this.#running = { ...this.#record.startup };
    this.#release = releaseAtBoot(this.platform, this.#builtRelease, this.#running.bootImage);
    this.log.seq = this.#record.logSeq;
    this.#bootedAt = clock.now();
    this.#state = 'running';
    this.#mode = licensingModeAtBoot(this.release, this.#record.smart.enabled);
    const boot: AgentBoot = {
      env: this.#env,
      platform: this.platform,
      release: this.release,
      udi: this.udi,
      key: this.#key,
      record: this.#record,
      running: this.#running,
      log: this.log,
      save: () => void this.#save(),
      report: (problem) => this.#report(problem),
      ...(this.#options.inspect ? { inspect: this.#options.inspect } : {}),
    };
    if (this.#mode === 'traditional') {
      this.#traditional = startTraditionalAgent(boot, this.#traditionalTimers);
      this.#active = this.#traditional.view().running;
      return;
    }
    this.#active = enforceBootLevel(this.platform, this.#running);
    if (this.#mode === 'slp') this.#slp = startSlpAgent(boot, this.#slpTimers, this.#active);
    else this.#agent = startSmartAgent(boot, this.#timers, this.#active);
  }

  #shutdown(reason: string): void {
    if (this.#agent) this.#record.smart = this.#agent.stop();
    if (this.#traditional) this.#record.traditional = this.#traditional.stop();
    if (this.#slp) this.#record.slp = this.#slp.stop();
    this.#agent = undefined;
    this.#traditional = undefined;
    this.#slp = undefined;
    this.#record.reloads += 1;
    this.#lastReloadReason = reason;
    this.#save();
  }

  /** Writes the record; false when the disk refused (logged once per outage, the device keeps running). */
  #save(): boolean {
    const now = this.#env.clock.now();
    this.#record.logSeq = this.log.seq;
    const smart = this.#agent?.record() ?? this.#record.smart;
    const traditional = this.#traditional?.record() ?? this.#record.traditional;
    const slp = this.#slp?.record() ?? this.#record.slp;
    try {
      saveDeviceRecord(this.#storage, { ...this.#record, smart, traditional, slp }, now);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      if (!this.#storageFailing) {
        const detail = `trusted storage write failed: ${err.message}; running from memory until it can be written again`;
        this.log.smartLic('PLATFORM_ERROR', { detail });
      }
      this.#storageFailing = true;
      return false;
    }
    this.#storageFailing = false;
    return true;
  }

  /** Whichever licensing agent this boot runs. */
  #agentNow(): SmartAgent | TraditionalAgent | SlpAgent | undefined {
    return this.#agent ?? this.#traditional ?? this.#slp;
  }

  #report(problem: string): void {
    const line = `[${this.#running.hostname}] ${problem}`;
    if (this.#options.onProblem) this.#options.onProblem(line);
    else console.error(line);
  }
}
