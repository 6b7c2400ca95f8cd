/**
 * The lab's syslog receiver: UDP (with a 4 MiB receive buffer; the kernel default loses messages at
 * 50k/s, dependencies.md), TCP with both RFC 6587 framings (octet counting, and LF-terminated), and, when
 * given a certificate, TLS (RFC 5425) on a port of its own with the same framing. Every
 * message becomes a CollectedSyslog that scenarios and `lab` assert on; per device (origin-id or RFC 5424
 * HOSTNAME, else the source address) it counts what arrived and the gaps in the wire counter (loss).
 * Garbage, oversized frames and connections past the limit are counted and dropped; nothing a peer sends
 * can throw out of here. node:dgram/node:net rather than `syslog-server` (README, Design decisions).
 */
import type { Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { ReceivedLog } from './received-log.ts';
import { listenUdp } from './udp-listener.ts';
import { parseSyslog, type ParsedSyslog } from './syslog-parse.ts';

export interface CollectedSyslog extends ParsedSyslog {
  /** From `now` (the lab clock when the lab runs the collector). */
  receivedAt: number;
  transport: 'udp' | 'tcp' | 'tls';
  /** `ip:port` of the sender. */
  from: string;
  /** Who sent it: hostname when the message names one, else the source address. */
  device: string;
  raw: string;
}

export interface SyslogCollectorOptions {
  host?: string;
  /** 0 (default): any free port; the bound ports are `udpPort` / `tcpPort`. */
  udpPort?: number;
  tcpPort?: number;
  /** A certificate (PEM) to accept TLS with; the bound port is `tlsPort` (0 when no TLS). */
  tls?: { key: string; cert: string; port?: number };
  now: () => number;
  /** Largest message accepted (RFC 5425 asks receivers to take 2 KiB at least, 8 KiB should). Default 64 KiB. */
  maxMessageBytes?: number;
  maxConnections?: number;
  /** Messages kept for queries, oldest dropped first. Default 1,000,000. */
  keep?: number;
}

export interface DeviceSyslogCount {
  received: number;
  /** Messages missing by the device's wire counter. */
  lost: number;
  /** Received per transport. */
  udp: number;
  tcp: number;
  tls: number;
}

export interface SyslogCollectorCounts {
  received: number;
  malformed: number;
  oversized: number;
  refusedConnections: number;
  /** TLS handshakes that failed. */
  tlsFailures: number;
  lost: number;
  devices: Record<string, DeviceSyslogCount>;
}

/** listen() failed on the TLS port, not on the UDP/TCP one: `tlsCode` is the OS's (EADDRINUSE…). */
export class TlsPortError extends Error {
  readonly tlsCode: string | undefined;
  constructor(cause: NodeJS.ErrnoException) {
    super(`syslog TLS port: ${cause.message}`, { cause });
    this.name = 'TlsPortError';
    this.tlsCode = cause.code;
  }
}

type Settings = Required<Omit<SyslogCollectorOptions, 'udpPort' | 'tcpPort' | 'tls'>>;

export class SyslogCollector {
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly tlsPort: number;
  readonly #opts: Settings;
  readonly #udp: UdpSocket;
  readonly #tcp: Server;
  readonly #tls: Server | undefined;
  readonly #connections = new Set<Socket>();
  readonly #messages: ReceivedLog<CollectedSyslog>;
  readonly #devices = new Map<string, DeviceSyslogCount>();
  /**
   * The last counter per device and transport: a device that logs to this collector over UDP and TLS
   * sends each message twice, on two streams that run at their own pace, and each has its own gaps.
   */
  readonly #lastCounter = new Map<string, number>();
  readonly #counts = { received: 0, malformed: 0, oversized: 0, refusedConnections: 0, tlsFailures: 0, lost: 0 };

  private constructor(udp: UdpSocket, tcp: Server, tls: Server | undefined, opts: Settings) {
    this.#udp = udp;
    this.#tcp = tcp;
    this.#tls = tls;
    this.#opts = opts;
    this.#messages = new ReceivedLog(opts.keep);
    this.udpPort = udp.address().port;
    this.tcpPort = portOf(tcp);
    this.tlsPort = tls ? portOf(tls) : 0;
    udp.on('message', (datagram, rinfo) => {
      if (datagram.length > opts.maxMessageBytes) this.#counts.oversized++;
      else this.#accept(datagram.toString('utf8'), 'udp', `${rinfo.address}:${rinfo.port}`);
    });
    tcp.on('connection', (socket) => this.#connection(socket, 'tcp'));
    // A failed handshake (wrong CA, plain text on the TLS port) is the peer's problem: counted, dropped.
    tls?.on('tlsClientError', () => this.#counts.tlsFailures++);
    tls?.on('secureConnection', (socket: TLSSocket) => this.#connection(socket, 'tls'));
  }

  static async listen(options: SyslogCollectorOptions): Promise<SyslogCollector> {
    const host = options.host ?? '127.0.0.1';
    const udp = await listenUdp(host, options.udpPort ?? 0);
    const tcp = createServer();
    const tls = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }) : undefined;
    try {
      await listenOn(tcp, options.tcpPort ?? 0, host);
      if (tls)
        await listenOn(tls, options.tls?.port ?? 0, host).catch((error: NodeJS.ErrnoException) => {
          throw new TlsPortError(error);
        });
    } catch (error) {
      udp.close();
      if (tcp.listening) tcp.close();
      throw error;
    }
    return new SyslogCollector(udp, tcp, tls, {
      host,
      now: options.now,
      maxMessageBytes: options.maxMessageBytes ?? 64 * 1024,
      maxConnections: options.maxConnections ?? 4096,
      keep: options.keep ?? 1_000_000,
    });
  }

  #connection(socket: Socket, transport: 'tcp' | 'tls'): void {
    if (this.#connections.size >= this.#opts.maxConnections) {
      this.#counts.refusedConnections++;
      socket.destroy();
      return;
    }
    this.#connections.add(socket);
    const from = `${socket.remoteAddress}:${socket.remotePort}`;
    let pending: Buffer = Buffer.alloc(0);
    /** Bytes of an oversized octet-counted frame still to skip. */
    let skip = 0;
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, pending.length);
          skip -= n;
          pending = pending.subarray(n);
          if (skip > 0) return;
        }
        if (pending.length === 0) return;
        const frame = this.#frame(pending);
        if (frame === 'more') {
          if (pending.length > this.#opts.maxMessageBytes + 16) {
            // An LF frame longer than any message: drop it up to its end.
            this.#counts.oversized++;
            pending = Buffer.alloc(0);
          }
          return;
        }
        if ('skip' in frame) {
          this.#counts.oversized++;
          skip = frame.skip;
          pending = pending.subarray(frame.consumed);
          continue;
        }
        pending = pending.subarray(frame.consumed);
        if (frame.message !== '') this.#accept(frame.message, transport, from);
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#connections.delete(socket));
  }

  /** One frame off the front of `data`: octet counting when it starts with a digit, else up to LF. */
  #frame(data: Buffer): 'more' | { message: string; consumed: number } | { skip: number; consumed: number } {
    const first = data[0]!;
    if (first >= 0x31 && first <= 0x39) {
      const space = data.indexOf(0x20);
      if (space === -1) return data.length > 10 ? { skip: 0, consumed: data.length } : 'more';
      const length = Number(data.toString('latin1', 0, space));
      if (!Number.isSafeInteger(length) || space > 10) return { skip: 0, consumed: data.length };
      if (length > this.#opts.maxMessageBytes) {
        const available = data.length - space - 1;
        return { skip: Math.max(0, length - available), consumed: Math.min(data.length, space + 1 + length) };
      }
      if (data.length < space + 1 + length) return 'more';
      return { message: data.toString('utf8', space + 1, space + 1 + length), consumed: space + 1 + length };
    }
    const lf = data.indexOf(0x0a);
    if (lf === -1) return 'more';
    return { message: data.toString('utf8', 0, lf).replace(/\r$/, ''), consumed: lf + 1 };
  }

  #accept(raw: string, transport: CollectedSyslog['transport'], from: string): void {
    const parsed = parseSyslog(raw.replace(/\n$/, ''));
    if (!parsed) {
      this.#counts.malformed++;
      return;
    }
    const device = parsed.hostname ?? from.slice(0, from.lastIndexOf(':'));
    const message: CollectedSyslog = { ...parsed, receivedAt: this.#opts.now(), transport, from, device, raw };
    this.#count(device, transport, parsed.counter);
    this.#counts.received++;
    this.#messages.add(message);
  }

  /** A counter that goes back means the device restarted its counter (a reload), not loss. */
  #count(device: string, transport: CollectedSyslog['transport'], counter: number | undefined): void {
    let count = this.#devices.get(device);
    if (!count) this.#devices.set(device, (count = { received: 0, lost: 0, udp: 0, tcp: 0, tls: 0 }));
    count.received++;
    count[transport]++;
    if (counter === undefined) return;
    const stream = `${transport} ${device}`;
    const last = this.#lastCounter.get(stream);
    if (last !== undefined && counter > last + 1) {
      count.lost += counter - last - 1;
      this.#counts.lost += counter - last - 1;
    }
    if (last === undefined || counter > last || counter <= 1) this.#lastCounter.set(stream, counter);
  }

  onMessage(listener: (message: CollectedSyslog) => void): () => void {
    return this.#messages.listen(listener);
  }

  messages(filter: { device?: string; mnemonic?: string } = {}): CollectedSyslog[] {
    return this.#messages.filter(
      (m) =>
        (filter.device === undefined || m.device === filter.device) &&
        (filter.mnemonic === undefined || m.tag.mnemonic === filter.mnemonic),
    );
  }

  counts(): SyslogCollectorCounts {
    return {
      ...this.#counts,
      devices: Object.fromEntries([...this.#devices].map(([device, count]) => [device, { ...count }])),
    };
  }

  async close(): Promise<void> {
    for (const socket of this.#connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => this.#udp.close(() => resolve())),
      new Promise<void>((resolve) => this.#tcp.close(() => resolve())),
      new Promise<void>((resolve) => (this.#tls ? this.#tls.close(() => resolve()) : resolve())),
    ]);
  }
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Binds a stream server; an error after binding (a peer's reset) must not end the process. */
function listenOn(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', () => {});
      resolve();
    });
  });
}
