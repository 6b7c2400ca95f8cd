/**
 * The scenario's collectors on the real wire: every device's syslog over UDP and its notifications as
 * SNMPv2c traps, sent by the lab's senders and received on loopback by the lab's syslog and trap
 * collectors, so an expectation `via: wire` checks what a NMS would have received, not what was meant.
 * Opened only for scenarios that ask for it.
 */
import { SnmpTrapSender, SyslogSender, type SyslogWire, type TrapWire } from '#devices';
import { hostElapsedMs, hostPace, hostSleep } from '../clock/index.ts';
import { SyslogCollector } from '../collectors/syslog-collector.ts';
import { syslogWire } from '../collectors/syslog-forwarding.ts';
import { TrapCollector } from '../collectors/trap-collector.ts';
import { trapWire } from '../collectors/trap-forwarding.ts';

/** How long (host time) an expectation waits for what was sent to arrive. */
const ARRIVAL_MS = 3_000;
/** The sender's budget: well above what a scenario sends, so nothing is rate-limited. */
const RATE = 100_000;

/** What arrived from one device: syslog tags and notifications (name, when the MIBs know it, and OID). */
export interface Arrived {
  syslog: { facility: string; severity: number; mnemonic: string }[];
  traps: { name: string | undefined; trapOid: string }[];
}

export class WireTap {
  readonly syslog: SyslogWire;
  readonly traps: TrapWire;
  readonly #syslogSender: SyslogSender;
  readonly #trapSender: SnmpTrapSender;
  readonly #syslogCollector: SyslogCollector;
  readonly #trapCollector: TrapCollector;
  /** What had been sent when waiting for arrivals last ended. */
  #waitedFor = '';

  private constructor(syslogCollector: SyslogCollector, trapCollector: TrapCollector) {
    this.#syslogCollector = syslogCollector;
    this.#trapCollector = trapCollector;
    this.#syslogSender = new SyslogSender({ pace: hostPace(RATE) });
    this.#trapSender = new SnmpTrapSender();
    const syslogHost = { address: '127.0.0.1', port: syslogCollector.udpPort, transport: 'udp' as const };
    this.syslog = syslogWire(this.#syslogSender, [syslogHost]);
    const trapHost = { address: '127.0.0.1', port: trapCollector.port, kind: 'traps', version: '2c' } as const;
    this.traps = trapWire(this.#trapSender, [{ host: { ...trapHost, securityName: 'public' } }]);
  }

  static async open(now: () => number): Promise<WireTap> {
    const syslog = await SyslogCollector.listen({ now });
    const traps = await TrapCollector.listen({ now }).catch(async (err: unknown) => {
      await syslog.close();
      throw err;
    });
    return new WireTap(syslog, traps);
  }

  /**
   * What arrived from a device once everything sent so far has arrived (or waiting ran out): its syslog
   * by hostname (the message names it), its traps by address (the snmpTrapAddress.0 its sender appends).
   */
  async received(device: { hostname: string; address: string }): Promise<Arrived> {
    // One wait per batch of sends: a check over thousands of devices waits once, not once per device.
    const sent = this.#sentSoFar();
    if (sent !== this.#waitedFor) {
      const deadline = hostElapsedMs() + ARRIVAL_MS;
      while (hostElapsedMs() < deadline && !this.#allArrived()) await hostSleep(5);
      this.#waitedFor = sent;
    }
    return {
      syslog: this.#syslogCollector.messages({ device: device.hostname }).map((m) => m.tag),
      traps: this.#trapCollector.traps({ device: device.address }).map(({ name, trapOid }) => ({ name, trapOid })),
    };
  }

  #sentSoFar(): string {
    const syslog = this.#syslogSender.counts();
    return `${syslog.sent + syslog.queued}/${this.#trapSender.counts().traps}`;
  }

  #allArrived(): boolean {
    const syslog = this.#syslogSender.counts();
    const traps = this.#trapSender.counts();
    return (
      syslog.queued === 0 &&
      this.#syslogCollector.counts().received >= syslog.sent &&
      this.#trapCollector.counts().received >= traps.traps
    );
  }

  /** Closes all four; a sender that fails to close still leaves the collectors' sockets closed. */
  async close(): Promise<void> {
    try {
      await Promise.all([this.#syslogSender.close(), this.#trapSender.close()]);
    } finally {
      await Promise.all([this.#syslogCollector.close(), this.#trapCollector.close()]);
    }
  }
}
