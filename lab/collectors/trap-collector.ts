/**
 * The lab's trap and inform receiver (net-snmp's, answering informs), on a UDP socket with a 4 MiB
 * receive buffer: every notification becomes a CollectedTrap that scenarios and `lab` assert on, named
 * by its MIB notification, and counted per device. Devices of a lab share one source address, so the
 * device is the snmpTrapAddress.0 varbind their sender appends (else the source address). SNMP carries
 * no sequence number: loss shows as the sender's count against this one (informs are acknowledged).
 * Unknown communities or users, bad keys and garbage are counted and dropped; nothing throws out.
 */
import { createHash } from 'node:crypto';
import type { Socket, SocketType } from 'node:dgram';
import {
  netSnmp,
  notificationName,
  SNMP_TRAP_ADDRESS,
  type NetSnmpNotification,
  type NetSnmpVarbind,
  type SnmpUser,
} from '#devices';
import { ReceivedLog } from './received-log.ts';
import { udpSocket } from './udp-listener.ts';

export interface CollectedTrap {
  receivedAt: number;
  from: string;
  kind: 'trap' | 'inform';
  /** The community (v2c) or user (v3). */
  securityName: string | undefined;
  uptimeTicks: number;
  trapOid: string;
  /** The MIB notification name, when the lab's MIBs define it. */
  name: string | undefined;
  device: string;
  varbinds: { oid: string; type: number; value: string | number }[];
}

export interface TrapCollectorOptions {
  host?: string;
  /** 0 (default): any free port; the bound one is `port`. */
  port?: number;
  now: () => number;
  /**
   * Accepted v2c communities; default `public`. Never "any": net-snmp's disableAuthorization would also
   * skip the SNMPv3 authentication check.
   */
  communities?: readonly string[];
  /** Accepted SNMPv3 users (the senders' engine IDs are learnt by discovery, informs; traps need `engineId`). */
  users?: readonly SnmpUser[];
  /** The senders' engine ID, for SNMPv3 traps (which carry the sender's, RFC 3414 §3.2). */
  engineId?: string;
  keep?: number;
}

export interface TrapCollectorCounts {
  /** Each notification once: an inform sent again (its answer was late or lost) is acknowledged, not counted. */
  received: number;
  /** Informs received again: the same source, request ID and varbinds. */
  duplicates: number;
  /** Refused (unknown community or user, wrong key) or unreadable. */
  refused: number;
  devices: Record<string, number>;
}

/** More than the informs a sender keeps in flight (10,000 for the lab's), so a retry is always recognised. */
const RECENT_INFORMS = 65_536;
const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';

/** A digest, not the varbinds themselves: the collector remembers 65,536 of them. */
const informKey = (source: string, binds: readonly NetSnmpVarbind[]): string =>
  createHash('sha1')
    .update(source)
    .update(JSON.stringify(binds.map((v) => text(v.value))))
    .digest('base64');

const text = (value: unknown): string | number =>
  typeof value === 'number' ? value : Buffer.isBuffer(value) ? value.toString('latin1') : String(value);

export class TrapCollector {
  readonly port: number;
  readonly #close: () => Promise<void>;
  readonly #now: () => number;
  readonly #traps: ReceivedLog<CollectedTrap>;
  readonly #devices = new Map<string, number>();
  readonly #counts = { received: 0, duplicates: 0, refused: 0 };
  /** `source requestId` of recent informs, oldest first, for spotting retransmissions. */
  readonly #recentInforms = new Set<string>();

  private constructor(port: number, close: () => Promise<void>, options: TrapCollectorOptions) {
    this.port = port;
    this.#close = close;
    this.#now = options.now;
    this.#traps = new ReceivedLog(options.keep ?? 100_000);
  }

  static async listen(options: TrapCollectorOptions): Promise<TrapCollector> {
    let socket: Socket | undefined;
    // net-snmp binds its own socket and cannot take port 0: a dgram stand-in makes it ours, buffer and all.
    const dgramModule = {
      createSocket: (type: SocketType) => {
        socket = udpSocket(type);
        const bind = socket.bind.bind(socket);
        socket.bind = ((_port: number, address: string) => bind(options.port ?? 0, address)) as Socket['bind'];
        return socket;
      },
    };
    // Nothing arrives before the socket is bound, and the collector exists by then.
    let handle: (notification: NetSnmpNotification | null) => void = () => {};
    const receiver = netSnmp.createReceiver(
      {
        port: 162,
        address: options.host ?? '127.0.0.1',
        dgramModule,

        includeAuthentication: true,
        disableAuthorization: false,
        ...(options.engineId ? { engineID: options.engineId } : {}),
      },
      (error, notification) => handle(error ? null : notification),
    );
    const authorizer = receiver.getAuthorizer();
    for (const community of options.communities ?? ['public']) authorizer.addCommunity(community);
    for (const user of options.users ?? []) {
      authorizer.addUser({
        name: user.name,
        level: user.priv
          ? netSnmp.SecurityLevel.authPriv
          : user.auth
            ? netSnmp.SecurityLevel.authNoPriv
            : netSnmp.SecurityLevel.noAuthNoPriv,
        ...(user.auth ? { authProtocol: netSnmp.AuthProtocols[user.auth.protocol], authKey: user.auth.key } : {}),
        ...(user.priv ? { privProtocol: netSnmp.PrivProtocols[user.priv.protocol], privKey: user.priv.key } : {}),
      });
    }
    const bound = socket!;
    await new Promise<void>((resolve, reject) => {
      bound.once('listening', () => resolve());
      bound.once('error', reject);
    });
    const close = () => new Promise<void>((resolve) => receiver.close(() => resolve()));
    const collector = new TrapCollector(bound.address().port, close, options);
    handle = (notification) => (notification ? collector.#accept(notification) : collector.#counts.refused++);
    return collector;
  }

  #accept(n: NetSnmpNotification): void {
    const binds = n.pdu.varbinds;
    // net-snmp draws request IDs from 10^8 values, so distinct informs share one now and then (12 in 50,000
    // expected): a retransmission is the same ID with the same varbinds (its sysUpTime among them).
    if (
      n.pdu.type === netSnmp.PduType.InformRequest &&
      this.#seen(informKey(`${n.rinfo.address}:${n.rinfo.port} ${n.pdu.id}`, binds))
    ) {
      this.#counts.duplicates++;
      return;
    }
    const value = (oid: string) => binds.find((v) => v.oid === oid)?.value;
    const trapOid = text(value(SNMP_TRAP_OID) ?? '');
    const address = value(SNMP_TRAP_ADDRESS);
    const device = typeof address === 'string' ? address : n.rinfo.address;
    const trap: CollectedTrap = {
      receivedAt: this.#now(),
      from: `${n.rinfo.address}:${n.rinfo.port}`,
      kind: n.pdu.type === netSnmp.PduType.InformRequest ? 'inform' : 'trap',
      securityName: n.pdu.user ?? n.pdu.community,
      uptimeTicks: Number(value(SYS_UPTIME) ?? 0),
      trapOid: String(trapOid),
      name: notificationName(String(trapOid)),
      device,
      varbinds: binds.map((v) => ({ oid: v.oid, type: v.type, value: text(v.value) })),
    };
    this.#counts.received++;
    this.#devices.set(device, (this.#devices.get(device) ?? 0) + 1);
    this.#traps.add(trap);
  }

  /** True when the key came before (within the last RECENT_INFORMS informs); remembers it. */
  #seen(key: string): boolean {
    if (this.#recentInforms.has(key)) return true;
    this.#recentInforms.add(key);
    if (this.#recentInforms.size > RECENT_INFORMS)
      this.#recentInforms.delete(this.#recentInforms.values().next().value!);
    return false;
  }

  onTrap(listener: (trap: CollectedTrap) => void): () => void {
    return this.#traps.listen(listener);
  }

  traps(filter: { device?: string; name?: string } = {}): CollectedTrap[] {
    return this.#traps.filter(
      (t) =>
        (filter.device === undefined || t.device === filter.device) &&
        (filter.name === undefined || t.name === filter.name),
    );
  }

  counts(): TrapCollectorCounts {
    return { ...this.#counts, devices: Object.fromEntries(this.#devices) };
  }

  close(): Promise<void> {
    return this.#close();
  }
}
