/**
 * The lab's SNMP notification sender, shared by every device of a lab (or fleet shard): one net-snmp
 * session per destination, SNMPv2c traps and informs and SNMPv3 (noAuthNoPriv to authPriv, SHA/MD5,
 * AES/DES). Varbinds go out as RFC 3416 orders them: sysUpTime.0 (the device's virtual uptime),
 * snmpTrapOID.0, the MIB OBJECTS, then snmpTrapAddress.0 (RFC 3584 §3.1) with the device's address, since
 * every device of a lab shares one source address. Informs retry and time out like IOS (3 retries,
 * 15 s); a dead host, a full in-flight window or a closed sender costs counted drops and one reported
 * problem per host, never an exception into the device.
 */
import { ReportOnce } from '../events/report-once.ts';
import { createHash } from 'node:crypto';
import { createSocket, type SocketType } from 'node:dgram';
import type { SnmpNotification, SnmpVarbind } from '../events/device-event.ts';
import { netSnmp, type NetSnmpSession, type NetSnmpVarbind } from './net-snmp.ts';
import type { TrapTarget } from './trap-output.ts';

export const SNMP_TRAP_ADDRESS = '1.3.6.1.6.3.18.1.3.0';

export interface TrapSenderOptions {
  /** Names the sender's SNMPv3 engine ID (a receiver must know it): the same name, the same ID. */
  engineName?: string;
  /** Informs awaiting their acknowledgement, beyond which notifications drop. Default 10,000. */
  maxInFlight?: number;
  informTimeoutMs?: number;
  informRetries?: number;
  onProblem?: (line: string) => void;
}

export interface TrapSendCounts {
  traps: number;
  informsSent: number;
  informsAcked: number;
  informsFailed: number;
  dropped: number;
  failed: number;
  inFlight: number;
}

/** `80000009` (Cisco's enterprise, RFC 3411 format) `05` (octets) and 8 bytes of the name's hash. */
export function engineIdFor(name: string): string {
  return `8000000905${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

const TYPES: Record<SnmpVarbind['type'], number> = {
  OctetString: netSnmp.ObjectType.OctetString,
  Integer: netSnmp.ObjectType.Integer,
  Unsigned32: netSnmp.ObjectType.Gauge,
  Gauge32: netSnmp.ObjectType.Gauge,
  TimeTicks: netSnmp.ObjectType.TimeTicks,
  ObjectIdentifier: netSnmp.ObjectType.OID,
};

function varbinds(notification: SnmpNotification, agentAddress: string): NetSnmpVarbind[] {
  const out = notification.varbinds.map((v) => ({
    oid: v.oid,
    type: TYPES[v.type],
    value: v.hex ? Buffer.from(String(v.value), 'hex') : v.value,
  }));
  out.push({ oid: SNMP_TRAP_ADDRESS, type: netSnmp.ObjectType.IpAddress, value: agentAddress });
  return out;
}

/**
 * Session sockets with room for a window of inform answers: with the default receive buffer (~208 KiB)
 * a sender in a busy thread lost about 4 % of the answers to a 1,000-inform window, each then resent only
 * after the 15 s timeout (the wire bench).
 */
const SESSION_BUFFER = 4 * 1024 * 1024;
const SESSION_SOCKETS = {
  createSocket: (type: SocketType) =>
    createSocket({ type, recvBufferSize: SESSION_BUFFER, sendBufferSize: SESSION_BUFFER }),
};

export class SnmpTrapSender {
  readonly engineId: string;
  readonly #opts: Required<Omit<TrapSenderOptions, 'engineName' | 'onProblem'>>;
  readonly #problems: ReportOnce;
  readonly #sessions = new Map<string, NetSnmpSession>();
  readonly #counts: TrapSendCounts = {
    traps: 0,
    informsSent: 0,
    informsAcked: 0,
    informsFailed: 0,
    dropped: 0,
    failed: 0,
    inFlight: 0,
  };
  #closed = false;
  /** Traps not yet handed to the socket and informs not yet answered: close() waits for them. */
  #pending = 0;
  #onIdle: (() => void) | undefined;

  constructor(options: TrapSenderOptions = {}) {
    this.engineId = engineIdFor(options.engineName ?? 'license-lab');
    this.#opts = {
      maxInFlight: options.maxInFlight ?? 10_000,
      informTimeoutMs: options.informTimeoutMs ?? 15_000,
      informRetries: options.informRetries ?? 3,
    };
    this.#problems = new ReportOnce(options.onProblem);
  }

  counts(): Readonly<TrapSendCounts> {
    return { ...this.#counts };
  }

  send(target: TrapTarget, uptimeTicks: number, notification: SnmpNotification, agentAddress: string): boolean {
    if (this.#closed) return this.#drop();
    const { host } = target;
    const inform = host.kind === 'informs';
    if (inform && this.#counts.inFlight >= this.#opts.maxInFlight) return this.#drop();
    const where = `${inform ? 'inform' : 'trap'} ${host.address}:${host.port}`;
    let session: NetSnmpSession;
    try {
      session = this.#session(target);
    } catch (error) {
      this.#counts.failed++;
      this.#problems.report(where, `SNMP ${where}: ${(error as Error).message}`);
      return false;
    }
    const binds = varbinds(notification, agentAddress);
    // net-snmp replaces an upTime of 0 by its process's uptime: a device just booted says 1.
    const options = { upTime: Math.max(1, uptimeTicks) };
    this.#pending++;
    if (!inform) {
      session.trap(notification.trapOid, binds, options, (error) => {
        if (error) {
          this.#counts.failed++;
          this.#problems.report(where, `SNMP ${where}: ${error.message}`);
        }
        this.#settle();
      });
      this.#counts.traps++;
      return true;
    }
    this.#counts.inFlight++;
    this.#counts.informsSent++;
    session.inform(notification.trapOid, binds, options, (error) => {
      if (error) {
        this.#counts.informsFailed++;
        this.#problems.report(where, `SNMP ${where}: ${error.message}`);
      } else this.#counts.informsAcked++;
      this.#counts.inFlight--;
      this.#settle();
    });
    return true;
  }

  #session(target: TrapTarget): NetSnmpSession {
    const { host, user } = target;
    const key = `${host.version} ${host.securityName} ${host.address}:${host.port}`;
    let session = this.#sessions.get(key);
    if (session) return session;
    // port as well as trapPort: net-snmp sends later v3 informs to `port` (dependencies.md).
    const common = {
      port: host.port,
      trapPort: host.port,
      timeout: this.#opts.informTimeoutMs,
      retries: this.#opts.informRetries,
      dgramModule: SESSION_SOCKETS,
    };
    if (host.version === '2c') {
      session = netSnmp.createSession(host.address, host.securityName, { ...common, version: netSnmp.Version2c });
    } else {
      const level = host.level ?? 'noauth';
      session = netSnmp.createV3Session(
        host.address,
        {
          name: host.securityName,
          level:
            level === 'priv'
              ? netSnmp.SecurityLevel.authPriv
              : level === 'auth'
                ? netSnmp.SecurityLevel.authNoPriv
                : netSnmp.SecurityLevel.noAuthNoPriv,
          ...(user?.auth && level !== 'noauth'
            ? { authProtocol: netSnmp.AuthProtocols[user.auth.protocol], authKey: user.auth.key }
            : {}),
          ...(user?.priv && level === 'priv'
            ? { privProtocol: netSnmp.PrivProtocols[user.priv.protocol], privKey: user.priv.key }
            : {}),
        },
        { ...common, engineID: this.engineId },
      );
    }
    session.on('error', (error) => this.#problems.report(key, `SNMP session ${key}: ${error.message}`));
    this.#sessions.set(key, session);
    return session;
  }

  #settle(): void {
    if (--this.#pending === 0) this.#onIdle?.();
  }

  #drop(): false {
    this.#counts.dropped++;
    return false;
  }

  /** Waits for the informs in flight (acknowledged or timed out), then closes every session. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pending > 0) await new Promise<void>((resolve) => (this.#onIdle = resolve));
    for (const session of this.#sessions.values()) session.close();
    this.#sessions.clear();
  }
}
