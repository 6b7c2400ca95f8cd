/**
 * One device's SNMP notifications on the wire: each event's notification goes to every `snmp-server host`
 * when its type is enabled (`snmp-server enable traps license|smart-license`), with sysUpTime.0 in the
 * device's virtual uptime and the device's address as snmpTrapAddress.0; paced like its syslog. The lab's
 * hosts (its trap collector) get every notification, enabled or not: they are how scenarios watch.
 */
import type { DeviceEvent, SnmpNotification } from '../events/device-event.ts';
import { TokenBucket } from '../events/token-bucket.ts';
import { trapTypeOf, type SnmpConfig, type SnmpHost, type SnmpUser } from './snmp-config.ts';

/** A destination as the shared sender takes it: the host, and for SNMPv3 the user's keys. */
export interface TrapTarget {
  host: SnmpHost;
  user?: SnmpUser;
}

export interface TrapWire {
  send(target: TrapTarget, uptimeTicks: number, notification: SnmpNotification, agentAddress: string): void;
  readonly labHosts: readonly TrapTarget[];
}

export interface TrapOutputView {
  /** Notifications handed to the wire, and those the pacing refused. */
  sent: number;
  rateLimited: number;
}

interface Context {
  config: () => SnmpConfig;
  address: string;
  /** ms since the device booted. */
  uptimeMs: () => number;
}

export class TrapOutput {
  readonly #wire: TrapWire | undefined;
  readonly #context: Context;
  readonly #pace = new TokenBucket();
  #sent = 0;
  #rateLimited = 0;

  constructor(wire: TrapWire | undefined, context: Context) {
    this.#wire = wire;
    this.#context = context;
  }

  /** The device's event sink. */
  readonly send = (event: DeviceEvent): void => {
    const wire = this.#wire;
    const notification = event.trap;
    if (!wire || !notification) return;
    const config = this.#context.config();
    const type = trapTypeOf(notification.trapOid);
    const own = type !== undefined && config.enabled.includes(type) ? config.hosts : [];
    if (own.length === 0 && wire.labHosts.length === 0) return;
    if (!this.#pace.take(event.labTime)) {
      this.#rateLimited++;
      return;
    }
    const ticks = Math.floor(this.#context.uptimeMs() / 10);
    const address = this.#context.address;
    for (const host of own) {
      const user = host.version === '3' ? config.users.find((u) => u.name === host.securityName) : undefined;
      wire.send(user ? { host, user } : { host }, ticks, notification, address);
      this.#sent++;
    }
    for (const target of wire.labHosts) wire.send(target, ticks, notification, address);
  };

  view(): TrapOutputView {
    return { sent: this.#sent, rateLimited: this.#rateLimited };
  }
}
