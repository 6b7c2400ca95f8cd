/**
 * A device's log: turns catalogue messages into DeviceEvents (syslog line with the next sequence
 * number, plus the SNMP notification the catalogue names), keeps the last `bufferSize` of them like
 * `logging buffered`, and hands each to the sinks. Kept small: 10,000s of devices each hold one.
 */
import { DEFAULT_LOG_SETTINGS, formatConsoleLine, type LogSettings } from '../syslog/ios-syslog-line.ts';
import type { MessageDefinition } from '../syslog/message-definition.ts';
import { smartLicMessages, type SmartLicMnemonic, type SmartLicParams } from '../syslog/smart-lic-messages.ts';
import { smartLicNotifications, type SmartLicTrapContext } from '../snmp/smart-lic-mib.ts';
import type { Timezone } from '../time/ios-time.ts';
import type { DeviceEvent, DeviceEventSink, SnmpNotification, SyslogMessage } from './device-event.ts';

export interface DeviceLogOptions {
  hostname: () => string;
  /** `PID:<pid>,SN:<sn>`. */
  udi: string;
  labNow: () => number;
  deviceNow: () => number;
  timezone: () => Timezone;
  /** False while the clock was never set or synced: lines carry `*`. */
  authoritative: () => boolean;
  settings?: Partial<LogSettings>;
  sinks?: DeviceEventSink[];
  /** Where a failing sink is reported (once per sink); the device prefixes its hostname. */
  report?: (problem: string) => void;
  /** `logging buffered` size in lines; the oldest are dropped. Default 4096. */
  bufferSize?: number;
}

/** What a %SMART_LIC trap needs beyond the UDI the log already knows. */
export type TrapContext = Omit<SmartLicTrapContext, 'udi'>;

export const DEFAULT_BUFFER_SIZE = 4096;
const NO_SINKS: readonly DeviceEventSink[] = Object.freeze([]);

/** Notifications whose only varbind is ciscoSlaSUDIInfo (41 of 53): the same descriptor every time per device. */
const SUDI_ONLY: ReadonlySet<string> = new Set(
  Object.entries(smartLicNotifications)
    .filter(([, n]) => n.objects.length === 1 && n.objects[0] === 'ciscoSlaSUDIInfo')
    .map(([name]) => name),
);

function deepFreeze(n: SnmpNotification): SnmpNotification {
  for (const v of n.varbinds) Object.freeze(v);
  Object.freeze(n.varbinds);
  return Object.freeze(n);
}

function checkCount(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

export class DeviceLog {
  readonly #opts: DeviceLogOptions;
  #settings: Readonly<LogSettings>;
  #sinks: readonly DeviceEventSink[];
  readonly #size: number;
  /** Ring buffer: grows to #size, then #head is the oldest slot and the next to overwrite. */
  readonly #buffer: DeviceEvent[] = [];
  #head = 0;
  #seq = 0;
  /** Failures per sink, made on the first one. */
  #failures: Map<DeviceEventSink, number> | undefined;
  /** SUDI-only notifications already built, shared (frozen) by all their events; made on first use. */
  #sudiTraps: Map<string, SnmpNotification> | undefined;

  constructor(opts: DeviceLogOptions) {
    this.#opts = opts;
    this.#size = checkCount('bufferSize', opts.bufferSize ?? DEFAULT_BUFFER_SIZE, 1);
    // Devices on factory settings share one frozen object.
    this.#settings = opts.settings
      ? Object.freeze({ ...DEFAULT_LOG_SETTINGS, ...opts.settings })
      : DEFAULT_LOG_SETTINGS;
    this.#sinks = opts.sinks?.length ? [...opts.sinks] : NO_SINKS;
  }

  /** The last sequence number used (0 before the first message); restore it to continue across a reload. */
  get seq(): number {
    return this.#seq;
  }

  set seq(value: number) {
    this.#seq = checkCount('seq', value, 0);
  }

  /** `logging buffered` size in lines. */
  get bufferSize(): number {
    return this.#size;
  }

  get settings(): Readonly<LogSettings> {
    return this.#settings;
  }

  /** `service sequence-numbers`, `service timestamps log …`: applies to later lines. */
  configure(patch: Partial<LogSettings>): void {
    this.#settings = Object.freeze({ ...this.#settings, ...patch });
  }

  /** A %SMART_LIC message from the catalogue, with its CISCO-SMART-LIC-MIB notification when it has one. */
  smartLic<M extends SmartLicMnemonic>(mnemonic: M, params: SmartLicParams<M>, trap?: TrapContext): DeviceEvent {
    const definition = smartLicMessages[mnemonic] as
      MessageDefinition<SmartLicParams<M>, SmartLicTrapContext> | undefined;
    if (!definition)
      throw new Error(
        `unknown %SMART_LIC mnemonic '${String(mnemonic)}'; valid: ${Object.keys(smartLicMessages).join(', ')}`,
      );
    const link = definition.notification;
    if (!link) return this.#emit(definition, params, undefined);
    if (trap || !SUDI_ONLY.has(link.name))
      return this.#emit(definition, params, link.build({ ...trap, udi: this.#opts.udi }, params));
    this.#sudiTraps ??= new Map();
    let shared = this.#sudiTraps.get(link.name);
    if (!shared) this.#sudiTraps.set(link.name, (shared = deepFreeze(link.build({ udi: this.#opts.udi }, params))));
    return this.#emit(definition, params, shared);
  }

  /**
   * Any catalogue's message. The notification the definition names is sent only when `trap` gives its
   * context (traditional traps need feature and licence rows the log cannot know).
   */
  log<P, C>(definition: MessageDefinition<P, C>, params: P, trap?: C): DeviceEvent {
    // Built before the sequence number is taken, so a bad context costs no number.
    return this.#emit(
      definition,
      params,
      definition.notification && trap !== undefined ? definition.notification.build(trap, params) : undefined,
    );
  }

  #emit<P, C>(definition: MessageDefinition<P, C>, params: P, notification: SnmpNotification | undefined): DeviceEvent {
    const opts = this.#opts;
    const device = opts.hostname();
    const timezone = opts.timezone();
    const rawText = definition.text(params, { udi: opts.udi, hostname: device, timezone });
    const syslog: SyslogMessage = {
      facility: definition.facility,
      severity: definition.severity,
      mnemonic: definition.mnemonic,
      text: rawText,
    };
    const seq = ++this.#seq;
    const deviceTime = opts.deviceNow();
    const line = formatConsoleLine(
      { message: syslog, seq, deviceTime, timezone, authoritative: opts.authoritative() },
      this.#settings,
    );
    // The text kept is a slice of the (flat) line: V8 shares the characters instead of keeping both.
    syslog.text = line.slice(line.length - rawText.length);
    const event: DeviceEvent = { device, udi: opts.udi, seq, labTime: opts.labNow(), deviceTime, syslog, line };
    if (notification) event.trap = notification;
    this.#keep(event);
    this.#dispatch(event);
    return event;
  }

  /** The buffered events, oldest first. */
  events(): readonly DeviceEvent[] {
    const b = this.#buffer;
    return this.#head === 0 ? b.slice() : [...b.slice(this.#head), ...b.slice(0, this.#head)];
  }

  /** `clear logging`: empties the buffer; sequence numbers go on. */
  clear(): void {
    this.#buffer.length = 0;
    this.#head = 0;
  }

  addSink(sink: DeviceEventSink): void {
    this.#sinks = [...this.#sinks, sink];
  }

  removeSink(sink: DeviceEventSink): void {
    this.#sinks = this.#sinks.filter((s) => s !== sink);
  }

  #keep(event: DeviceEvent): void {
    const b = this.#buffer;
    if (b.length < this.#size) {
      b.push(event);
      return;
    }
    b[this.#head] = event;
    this.#head = (this.#head + 1) % this.#size;
  }

  /** Events a sink threw on, counted per sink (the wire's dropped messages). */
  sinkFailures(sink: DeviceEventSink): number {
    return this.#failures?.get(sink) ?? 0;
  }

  /**
   * Every sink sees every event: one that throws is counted, and reported once (its first failure), and
   * neither the other sinks nor the device that logged notice.
   */
  #dispatch(event: DeviceEvent): void {
    for (const sink of this.#sinks) {
      try {
        sink(event);
      } catch (error) {
        this.#failures ??= new Map();
        const failures = (this.#failures.get(sink) ?? 0) + 1;
        this.#failures.set(sink, failures);
        if (failures === 1) {
          const which = sink.name ? `event sink ${sink.name}` : 'an event sink';
          this.#opts.report?.(
            `${which} failed on ${event.syslog.mnemonic} (${String(error)}); later failures are only counted`,
          );
        }
      }
    }
  }
}
