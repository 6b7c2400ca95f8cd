/**
 * One read-only SNMPv1/v2c agent for a whole fleet: one UDP port, the device picked by the community.
 *
 * Why one port with community indexing rather than a port (or an address) per device: thousands of
 * devices would take thousands of sockets, ports and NMS entries, and real managers poll port 161 by
 * address; `<community>@<context>` is Cisco's own community indexing (`public@<vlan>` for per-VLAN
 * BRIDGE-MIB), which every manager and snmpwalk can send. Here the context is the hostname, and the
 * resolver decides what a community means.
 *
 * Why not net-snmp's Agent: its MIB is one synchronous tree per agent; the handlers never see the
 * community, GETNEXT walks that tree itself, and GETBULK neither caps repetitions nor trims to a size.
 * A device's MIB here is a sorted table built from its live view (deviceMib), possibly asynchronously
 * (a device in a worker shard), so the agent speaks BER itself (ber.ts, snmp-message.ts).
 *
 * Like real agents it answers nothing to an unknown community (RFC 3584 §5.2.1: counted, dropped), a
 * Report to SNMPv3 (it serves no v3 reads: discovery, then every user unknown, snmp-v3-report.ts), and
 * drops what it cannot read; it never throws from a datagram.
 */
import type { Socket } from 'node:dgram';
import { engineIdFor, type MibTable } from '#devices';
import { listenUdp } from '../collectors/udp-listener.ts';
import { decodeMessage, type SnmpMessage } from './snmp-message.ts';
import { failure, REQUEST_TYPES, respond, type ResponderLimits } from './snmp-responder.ts';
import { usmReport, type UsmReportCounts } from './snmp-v3-report.ts';

export interface FleetSnmpAgentOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default): any free port; the bound one is `port`. */
  port?: number;
  /** The device's MIB for a community (`public@<hostname>`), or undefined for a community nobody has. */
  resolve: (community: string) => MibTable | undefined | Promise<MibTable | undefined>;
  /** GetBulk max-repetitions served at most; default 50. */
  maxRepetitionsCap?: number;
  /** Largest response datagram; default 1400 octets, under a 1500-octet Ethernet MTU. */
  maxMessageSize?: number;
}

export interface FleetSnmpAgentCounts {
  /** Datagrams that were SNMP requests. */
  requests: number;
  responses: number;
  /** Requests dropped because the resolver knew no device for the community. */
  unknownCommunity: number;
  /** Datagrams dropped because they were not SNMPv1/v2c requests, nor SNMPv3 ones a Report answers. */
  malformed: number;
  /** SNMPv3 requests answered with a Report (usmStatsUnknownEngineIDs, usmStatsUnknownUserNames). */
  v3Reports: number;
}

export const NO_REQUESTS: Readonly<FleetSnmpAgentCounts> = Object.freeze({
  requests: 0,
  responses: 0,
  unknownCommunity: 0,
  malformed: 0,
  v3Reports: 0,
});

/** `public@sw-01` → `{ community: 'public', context: 'sw-01' }`; no `@`: no context. */
export function splitCommunity(community: string): { community: string; context: string | undefined } {
  const at = community.lastIndexOf('@');
  return at < 0
    ? { community, context: undefined }
    : { community: community.slice(0, at), context: community.slice(at + 1) };
}

export class FleetSnmpAgent {
  readonly host: string;
  readonly port: number;
  readonly counts: FleetSnmpAgentCounts = { ...NO_REQUESTS };
  /** The agent's SNMPv3 engine, which managers discover; its USM counters. */
  readonly engineId: Buffer;
  readonly #usm: UsmReportCounts = { unknownEngineIds: 0, unknownUserNames: 0 };
  readonly #socket: Socket;
  readonly #resolve: FleetSnmpAgentOptions['resolve'];
  readonly #limits: ResponderLimits;
  #closed = false;

  private constructor(socket: Socket, options: FleetSnmpAgentOptions) {
    this.#socket = socket;
    this.#resolve = options.resolve;
    this.#limits = { maxRepetitions: options.maxRepetitionsCap ?? 50, maxMessageSize: options.maxMessageSize ?? 1400 };
    const { address, port } = socket.address();
    this.host = address;
    this.port = port;
    this.engineId = Buffer.from(engineIdFor(`license-lab-agent ${port}`), 'hex');
    socket.on('message', (datagram, rinfo) => void this.#serve(datagram, rinfo.address, rinfo.port));
  }

  static async listen(options: FleetSnmpAgentOptions): Promise<FleetSnmpAgent> {
    const host = options.host ?? '127.0.0.1';
    return new FleetSnmpAgent(await listenUdp(host, options.port ?? 0), options);
  }

  async #serve(datagram: Buffer, address: string, port: number): Promise<void> {
    let request: SnmpMessage;
    try {
      request = decodeMessage(datagram);
    } catch {
      this.#reportV3(datagram, address, port);
      return;
    }
    if (!REQUEST_TYPES.has(request.pdu.type)) {
      this.counts.malformed++;
      return;
    }
    this.counts.requests++;
    let answer: Buffer;
    try {
      // latin1 maps each community octet to one character, whatever the manager sent.
      const table = await this.#resolve(Buffer.from(request.community).toString('latin1'));
      if (!table) {
        this.counts.unknownCommunity++;
        return;
      }
      answer = respond(request, table, this.#limits);
    } catch {
      answer = failure(request, this.#limits);
    }
    // The resolver may answer after close().
    if (this.#closed) return;
    this.counts.responses++;
    this.#socket.send(answer, port, address);
  }

  #reportV3(datagram: Buffer, address: string, port: number): void {
    let report: Buffer | undefined;
    try {
      report = usmReport(datagram, this.engineId, this.#usm);
    } catch {
      report = undefined;
    }
    if (!report || this.#closed) {
      this.counts.malformed++;
      return;
    }
    this.counts.v3Reports++;
    this.#socket.send(report, port, address);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
