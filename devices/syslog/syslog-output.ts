/**
 * One device's remote logging: which of its messages go to which hosts (`logging trap` level), in which
 * layout, paced like a real sender, and counted as `show logging` prints them. The lab's own hosts (its
 * collectors) get every message the trap level lets through, in the IOS layout with origin-id hostname:
 * devices of a lab share one source address, so the hostname is what tells them apart. The counter after
 * `<PRI>` counts the lines that passed the trap level since boot, as IOS's does: a collector sees a gap
 * for every line lost on the way (or refused by the pacing), and a counter back at 1 after a reload.
 */
import type { DeviceEvent } from '../events/device-event.ts';
import { TokenBucket } from '../events/token-bucket.ts';
import { formatWireMessage } from './ios-syslog-line.ts';
import { originIdText, type LoggingConfig, type LoggingHost } from './logging-config.ts';
import { formatRfc5424 } from './rfc5424-message.ts';
import type { SyslogHost } from './syslog-sender.ts';

/** What the devices of a lab share to reach the wire: a sender, and the lab's collectors. */
export interface SyslogWire {
  send(host: SyslogHost, message: string): boolean;
  readonly labHosts: readonly SyslogHost[];
}

export interface HostCount {
  logged: number;
  rateLimited: number;
}

export interface SyslogOutputView {
  config: LoggingConfig;
  /** Lines at or below the trap level (`Trap logging: level …, N message lines logged`). */
  trapLogged: number;
  /** Lines the pacing refused (`N messages rate-limited`). */
  rateLimited: number;
  /** Per configured host, in config order. */
  hosts: HostCount[];
}

interface Context {
  config: () => LoggingConfig;
  address: string;
  /** The running release (an image upgrade changes it at reload). */
  release: () => string;
}

export class SyslogOutput {
  readonly #wire: SyslogWire | undefined;
  readonly #context: Context;
  readonly #pace = new TokenBucket();
  #trapLogged = 0;
  #rateLimited = 0;
  /** Counts per host, by `transport address:port` (a host re-added keeps its counts, as IOS does until reload). */
  readonly #hosts = new Map<string, HostCount>();

  constructor(wire: SyslogWire | undefined, context: Context) {
    this.#wire = wire;
    this.#context = context;
  }

  /** The device's event sink. */
  readonly send = (event: DeviceEvent): void => {
    const config = this.#context.config();
    if (event.syslog.severity > config.trap) return;
    const counter = ++this.#trapLogged;
    const labHosts = this.#wire?.labHosts ?? [];
    if (config.hosts.length === 0 && labHosts.length === 0) return;
    if (!this.#pace.take(event.labTime)) {
      this.#rateLimited++;
      for (const host of config.hosts) this.#count(host).rateLimited++;
      return;
    }
    for (const host of config.hosts) {
      this.#count(host).logged++;
      this.#wire?.send(host, this.#format(event, config, host, counter));
    }
    if (labHosts.length === 0) return;
    const labMessage = formatWireMessage(event.line, {
      severity: event.syslog.severity,
      facility: config.facility,
      counter,
      originId: event.device,
    });
    for (const host of labHosts) this.#wire!.send(host, labMessage);
  };

  view(): SyslogOutputView {
    const config = this.#context.config();
    return {
      config,
      trapLogged: this.#trapLogged,
      rateLimited: this.#rateLimited,
      hosts: config.hosts.map((h) => ({ ...(this.#hosts.get(hostKey(h)) ?? { logged: 0, rateLimited: 0 }) })),
    };
  }

  #format(event: DeviceEvent, config: LoggingConfig, host: LoggingHost, counter: number): string {
    const { address } = this.#context;
    if (host.format === 'rfc5424')
      return formatRfc5424(event, { facility: config.facility, counter, address, release: this.#context.release() });
    const originId = originIdText(config.originId, event.device, address);
    return formatWireMessage(event.line, {
      severity: event.syslog.severity,
      facility: config.facility,
      counter,
      ...(originId === undefined ? {} : { originId }),
    });
  }

  #count(host: LoggingHost): HostCount {
    const key = hostKey(host);
    let count = this.#hosts.get(key);
    if (!count) this.#hosts.set(key, (count = { logged: 0, rateLimited: 0 }));
    return count;
  }
}

const hostKey = (h: LoggingHost): string => `${h.transport} ${h.address}:${h.port}`;
