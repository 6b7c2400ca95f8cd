/**
 * One virtual device: a platform model, its trusted storage, its event log, its Smart Licensing agent
 * (an XState actor on the lab clock) and an IOS-style shell. It keeps its running and startup
 * configuration apart like IOS: `license boot level` is enforced at the next reload, and only what was
 * saved with `write memory` survives one. The licensing storage (ID certificate, key, evaluation time,
 * authorization) is written on every change and survives reload and lab restart.
 */
import type { KeyObject } from 'node:crypto';
import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { udiString, type Clock, type TimerId, type Udi } from '#protocol';
import type { ActionResult, CliDevice, DeviceView } from './cli/cli-device.ts';
import { IosShell } from './cli/shell.ts';
import { checkDeviceRecord, type DeviceRecord, type StartupConfig } from './device-record.ts';
import { DeviceLog } from './events/device-log.ts';
import type { DeviceEvent, DeviceEventSink } from './events/device-event.ts';
import type { PlatformModel, SoftwareRelease } from './kinds/platform.ts';
import { checkBootLevel, entitlementsFor, findPlatform, findRelease } from './kinds/registry.ts';
import { generateSerial, udiFor } from './kinds/udi.ts';
import { SmartCloudClient, type CloudTransport } from './licensing/cloud-client/index.ts';
import { generateDeviceKey, loadDeviceKey, type DeviceKey } from './licensing/device-key.ts';
import { InFlight } from './licensing/in-flight.ts';
import { newSmartRecord, type SmartCloud } from './licensing/smart-context.ts';
import { evalUsed, smartMachine, type SmartEntitlement, type SmartEvent } from './licensing/smart.machine.ts';
import { resolveSmartTimers, type SmartTimers } from './licensing/smart-timers.ts';
import { disabledSmartView, smartViewOf } from './licensing/smart-view-of.ts';
import type { SmartLicensingView } from './licensing/smart-view.ts';
import { DeviceStorage } from './storage/device-storage.ts';
import { StorageError } from './storage/storage-error.ts';
import { MemoryBackend } from './storage/memory-backend.ts';
import type { StorageBackend } from './storage/storage-backend.ts';
import { UTC } from './time/ios-time.ts';

type InspectionObserver = (event: InspectionEvent) => void;

const RECORD_KIND = 'license-lab.device';
const RECORD_VERSION = 1;

export interface DeviceOptions {
  pid: string;
  /** Default: generated from `serialSequence` and `manufacturedAt` in the real LLLYYWWSSSS format. */
  sn?: string;
  serialSequence?: number;
  manufacturedAt?: number;
  hostname?: string;
  /** Software release (`16.9.4`); default the model's default release. */
  release?: string;
  clock: Clock;
  /** The cloud over a transport (verified against the trust anchor), or any SmartCloud stand-in. */
  cloud: { transport: CloudTransport; trustAnchorPem: string } | { client: SmartCloud };
  /** XState inspection of the agent (state coverage in tests, the dashboard). */
  inspect?: InspectionObserver;
  /** Where the trusted storage lives; default in memory (gone with the process). */
  storage?: StorageBackend;
  timers?: Partial<Record<string, number>>;
  sinks?: readonly DeviceEventSink[];
  /** Factory boot level (and Catalyst 9000 add-on) of a device with no stored configuration. */
  bootLevel?: string;
  addon?: string;
  /** Lab ms a reload takes before the device is back (default 3 minutes). */
  reloadMs?: number;
  /** A factory key (PKCS#8 PEM); default a fresh ECDSA P-256 key. */
  keyPem?: string;
}

const DEFAULT_RELOAD_MS = 180_000;

export class VirtualDevice implements CliDevice {
  readonly platform: PlatformModel;
  readonly release: SoftwareRelease;
  readonly udi: Udi;
  readonly log: DeviceLog;
  readonly shell: IosShell;
  readonly #clock: Clock;
  readonly #storage: DeviceStorage;
  readonly #cloud: SmartCloud;
  readonly #inFlight = new InFlight();
  readonly #inspect: InspectionObserver | undefined;
  readonly #timers: SmartTimers;
  readonly #reloadMs: number;
  #record!: DeviceRecord;
  #running!: StartupConfig;
  /** Boot level enforced at the last boot. */
  #active!: { level: string; addon?: string };
  #key!: KeyObject;
  #publicKey!: string;
  #actor: Actor<typeof smartMachine> | undefined;
  #bootedAt = 0;
  #state: 'running' | 'reloading' | 'stopped' = 'stopped';
  #lastReloadReason = 'power-on';
  /** The trusted storage refuses writes: logged once, then the device runs from memory, like one with a bad flash. */
  #storageFailing = false;
  #reloadTimer: TimerId | undefined;

  constructor(options: DeviceOptions) {
    this.platform = findPlatform(options.pid);
    this.release = findRelease(this.platform, options.release);
    const sn =
      options.sn ??
      generateSerial(this.platform, {
        manufacturedAt: options.manufacturedAt ?? options.clock.now(),
        sequence: options.serialSequence ?? 0,
      });
    this.udi = udiFor(this.platform, sn);
    this.#clock = options.clock;
    this.#timers = resolveSmartTimers(options.timers);
    this.#reloadMs = options.reloadMs ?? DEFAULT_RELOAD_MS;
    this.#storage = new DeviceStorage(options.storage ?? new MemoryBackend(), sn);
    this.log = new DeviceLog({
      hostname: () => this.#running.hostname,
      udi: udiString(this.udi),
      labNow: () => this.#clock.now(),
      deviceNow: () => this.deviceNow(),
      timezone: () => this.#running.timezone,
      authoritative: () => this.#record.clockSet,
      sinks: [...(options.sinks ?? [])],
    });
    this.#inspect = options.inspect;
    this.#cloud = this.#inFlight.wrap(
      'client' in options.cloud
        ? options.cloud.client
        : new SmartCloudClient({
            transport: options.cloud.transport,
            trustAnchorPem: options.cloud.trustAnchorPem,
            now: () => this.deviceNow(),
            transportType: 'Callhome',
          }),
    );
    this.#load(options);
    this.shell = new IosShell(this);
    this.#boot();
  }

  get state(): 'running' | 'reloading' | 'stopped' {
    return this.#state;
  }

  get hostname(): string {
    return this.#running.hostname;
  }

  deviceNow(): number {
    return this.#clock.now() + this.#record.clockOffsetMs;
  }

  /** One line typed at the console; the output IOS would print. */
  exec(line: string): string {
    if (this.#state !== 'running')
      return `% ${this.#running.hostname} is ${this.#state === 'reloading' ? 'reloading' : 'powered off'}\n`;
    return this.shell.execute(line);
  }

  /** Resolves once no exchange with the cloud is in flight. */
  settled(): Promise<void> {
    return this.#inFlight.settled();
  }

  events(): readonly DeviceEvent[] {
    return this.log.events();
  }

  smart(): SmartLicensingView {
    const s = this.#actor?.getSnapshot();
    return s
      ? smartViewOf(s, this.#record.clockOffsetMs)
      : disabledSmartView(this.udi, this.#record.smart, this.#timers);
  }

  /** The agent's state value (for tests and the dashboard), e.g. `{ enabled: { registered: … } }`. */
  smartState(): unknown {
    return this.#actor?.getSnapshot().value;
  }

  view(): DeviceView {
    return {
      hostname: this.#running.hostname,
      platform: this.platform,
      release: this.release,
      udi: this.udi,
      clock: { now: this.deviceNow(), timezone: this.#running.timezone, authoritative: this.#record.clockSet },
      uptimeMs: this.#state === 'running' ? this.#clock.now() - this.#bootedAt : 0,
      lastReloadReason: this.#lastReloadReason,
      licensingMode: this.#licensingMode(),
      bootLevel: {
        current: this.#active.level,
        ...(this.#active.addon ? { currentAddon: this.#active.addon } : {}),
        nextReload: this.#running.bootLevel,
        ...(this.#running.addon ? { nextReloadAddon: this.#running.addon } : {}),
      },
      smart: this.smart(),
      configDirty: JSON.stringify(this.#running) !== JSON.stringify(this.#record.startup),
    };
  }

  // --- CliDevice actions -------------------------------------------------------------------------

  register(idToken: string, force: boolean): ActionResult {
    const smart = this.#smartOnly();
    if (smart) return smart;
    const status = this.smart().registration.status;
    if (status === 'registered' && !force) {
      this.#send({ type: 'license.register', idToken, force });
      return { ok: false, error: '% Device is already registered. To re-register, use the "force" option.' };
    }
    if (status === 'inProgress') return { ok: false, error: '% Registration is already in progress.' };
    this.#send({ type: 'license.register', idToken, force });
    return { ok: true, output: '' };
  }

  deregister(): ActionResult {
    const smart = this.#smartOnly();
    if (smart) return smart;
    if (this.smart().registration.status !== 'registered') {
      this.log.smartLic('AGENT_ALREADY_DEREGISTER', {});
      return { ok: false, error: '% Device is not registered.' };
    }
    this.#send({ type: 'license.deregister' });
    return { ok: true, output: '' };
  }

  renewId(): ActionResult {
    return this.#renew('license.renewId');
  }

  renewAuth(): ActionResult {
    return this.#renew('license.renewAuth');
  }

  setSmartEnabled(enabled: boolean): ActionResult {
    if (!this.release.modes.includes('smart'))
      return { ok: false, error: `% Smart Licensing is not supported on ${this.release.version}` };
    if (!this.#actor) {
      this.#record.smart = { ...this.#record.smart, enabled };
      this.#save();
      return { ok: true, output: enabled ? 'Smart Licensing will be enabled at the next reload.\n' : '' };
    }
    this.#send({ type: enabled ? 'license.enable' : 'license.disable' });
    return { ok: true, output: '' };
  }

  setBootLevel(level: string, addon?: string): ActionResult {
    const check = checkBootLevel(this.platform, level, addon);
    if (!check.ok) return { ok: false, error: check.error };
    this.#running = { ...this.#running, bootLevel: check.level, ...(check.addon ? { addon: check.addon } : {}) };
    if (!check.addon) delete this.#running.addon;
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
    this.#shutdown('Reload Command');
    this.#state = 'reloading';
    this.#reloadTimer = this.#clock.setTimeout(() => this.#boot(), this.#reloadMs);
    return { ok: true, output: '' };
  }

  setClock(deviceTime: number): ActionResult {
    this.#record.clockOffsetMs = deviceTime - this.#clock.now();
    this.#record.clockSet = true;
    this.#save();
    if (this.#actor) {
      this.log.smartLic('SYSTEM_CLOCK_CHANGED', {});
      this.#send({ type: 'clock.changed' });
    }
    return { ok: true, output: '' };
  }

  setTimezone(name: string, offsetMinutes: number): ActionResult {
    this.#running = { ...this.#running, timezone: { name, offsetMinutes } };
    return { ok: true, output: '' };
  }

  setHostname(name: string): ActionResult {
    this.#running = { ...this.#running, hostname: name };
    return { ok: true, output: '' };
  }

  /** Powers the device off cleanly (lab stop): storage written, timers cancelled. */
  stop(): void {
    if (this.#state === 'running') this.#shutdown('power-off');
    // Powered off mid-reload: the boot that reload scheduled must not bring it back.
    if (this.#reloadTimer !== undefined) this.#clock.clearTimeout(this.#reloadTimer);
    this.#reloadTimer = undefined;
    this.#state = 'stopped';
  }

  // --- internals -----------------------------------------------------------------------------------

  #licensingMode(): 'traditional' | 'smart' {
    if (!this.release.modes.includes('smart')) return 'traditional';
    if (!this.release.modes.includes('traditional')) return 'smart';
    return this.#actor ? 'smart' : 'traditional';
  }

  #smartOnly(): ActionResult | undefined {
    if (this.#actor) return undefined;
    return {
      ok: false,
      error: this.release.modes.includes('smart')
        ? '% Smart Licensing is not enabled (license smart enable, then reload)'
        : `% Smart Licensing is not supported on ${this.release.version}`,
    };
  }

  #renew(type: 'license.renewId' | 'license.renewAuth'): ActionResult {
    const smart = this.#smartOnly();
    if (smart) return smart;
    if (this.smart().registration.status !== 'registered') return { ok: false, error: '% Device is not registered.' };
    this.#send({ type });
    return { ok: true, output: '' };
  }

  #send(event: SmartEvent): void {
    this.#actor?.send(event);
  }

  /** Reads the trusted storage; a damaged record is moved aside, logged, and the device boots factory-fresh. */
  #load(options: DeviceOptions): void {
    const stored = this.#storage.load(RECORD_KIND, RECORD_VERSION);
    const loaded = stored.ok ? checkDeviceRecord(stored.record.payload) : stored;
    let fresh: DeviceKey | undefined;
    const factory = (): DeviceRecord => ({
      startup: {
        hostname: options.hostname ?? this.platform.defaultHostname,
        bootLevel: options.bootLevel ?? this.platform.defaultLevel,
        ...((options.addon ?? this.platform.defaultAddon)
          ? { addon: options.addon ?? this.platform.defaultAddon }
          : {}),
        timezone: UTC,
      },
      clockOffsetMs: 0,
      clockSet: false,
      // A dual-mode release (ASR 903/1000 on 16.9) runs its default mode until `license smart enable` + reload.
      smart: {
        ...newSmartRecord(options.keyPem ?? (fresh = generateDeviceKey()).pem),
        enabled: this.release.defaultMode === 'smart',
      },
      logSeq: 0,
      reloads: 0,
    });
    this.#record = loaded.ok ? loaded.record : factory();
    this.#running = { ...this.#record.startup };
    if (!loaded.ok) {
      if (loaded.problem !== 'missing') {
        const aside = this.#storage.quarantine(this.#clock.now());
        this.log.smartLic('PLATFORM_ERROR', {
          detail: `trusted storage ${loaded.problem}: ${loaded.detail}; kept as ${aside ?? '(nothing)'}, starting with factory licensing data`,
        });
      }
      // The factory key is written at once, so the device keeps its identity across a lab restart.
      this.#save();
    }
    const key = loaded.ok ? loaded.key : (fresh ?? loadDeviceKey(this.#record.smart.keyPem));
    this.#key = key.key;
    this.#publicKey = key.publicKeySpkiB64;
  }

  #entitlements(): SmartEntitlement[] {
    return entitlementsFor(this.platform, {
      level: this.#active.level,
      ...(this.#active.addon ? { addon: this.#active.addon } : {}),
    }).map((e) => ({
      tag: e.tag,
      count: e.count,
      feature: e.feature,
      exportControlled: e.exportControlled,
    }));
  }

  #boot(): void {
    this.#reloadTimer = undefined;
    this.#running = { ...this.#record.startup };
    this.log.seq = this.#record.logSeq;
    // Boot-level licensing is enforced here, at reload: an unknown saved level falls back to the default.
    const saved = checkBootLevel(this.platform, this.#running.bootLevel, this.#running.addon);
    this.#active = saved.ok
      ? { level: saved.level, ...(saved.addon ? { addon: saved.addon } : {}) }
      : { level: this.platform.defaultLevel };
    this.#bootedAt = this.#clock.now();
    this.#state = 'running';
    const smart =
      this.release.modes.includes('smart') && (this.release.defaultMode === 'smart' || this.#record.smart.enabled);
    if (!smart) return;
    const actor = createActor(smartMachine, {
      clock: this.#clock,
      ...(this.#inspect ? { inspect: this.#inspect } : {}),
      input: {
        record: this.#record.smart,
        timers: this.#timers,
        entitlements: this.#entitlements(),
        ports: {
          cloud: this.#cloud,
          log: this.log,
          key: this.#key,
          publicKeySpkiB64: this.#publicKey,
          now: () => this.#clock.now(),
          deviceNow: () => this.deviceNow(),
          hostname: () => this.#running.hostname,
          softwareVersion: this.release.version,
          udi: this.udi,
          udiString: udiString(this.udi),
        },
      },
    });
    let last = this.#record.smart;
    actor.subscribe((s) => {
      if (s.context.record !== last) {
        last = s.context.record;
        this.#record.smart = last;
        this.#save();
      }
    });
    this.#actor = actor;
    actor.start();
  }

  #shutdown(reason: string): void {
    const actor = this.#actor;
    if (actor) {
      const s = actor.getSnapshot();
      // Eval time used so far is banked before the actor stops: a reload never gives eval time back.
      this.#record.smart = { ...s.context.record, evalUsedMs: evalUsed(s.context, this.#clock.now()) };
      actor.stop();
      this.#actor = undefined;
    }
    this.#record.reloads += 1;
    this.#lastReloadReason = reason;
    this.#save();
  }

  /** Writes the record; false when the disk refused (logged once per outage, the device keeps running). */
  #save(): boolean {
    const actor = this.#actor?.getSnapshot();
    const smart = actor
      ? { ...this.#record.smart, evalUsedMs: evalUsed(actor.context, this.#clock.now()) }
      : this.#record.smart;
    this.#record.logSeq = this.log.seq;
    try {
      this.#storage.save(RECORD_KIND, RECORD_VERSION, { ...this.#record, smart }, this.#clock.now());
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      if (!this.#storageFailing)
        this.log.smartLic('PLATFORM_ERROR', {
          detail: `trusted storage write failed: ${err.message}; running from memory until it can be written again`,
        });
      this.#storageFailing = true;
      return false;
    }
    this.#storageFailing = false;
    return true;
  }
}
