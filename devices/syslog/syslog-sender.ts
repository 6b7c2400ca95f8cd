/**
 * The lab's syslog sender, shared by every device of a lab (or of a fleet shard): one UDP socket, one TCP
 * or TLS (RFC 5425) connection per `logging host`, messages framed by octet counting (RFC 6587 §3.4.1:
 * `LEN SP MSG`, the framing RFC 5425 requires too).
 * Sending never blocks or throws into the device that logged: a full queue, a dead host or a refused
 * connection costs counted drops and one reported problem per host, and the next message to a host whose
 * connection failed opens a new one.
 *
 * UDP has no flow control: a fleet crossing a timer in the same virtual second hands over tens of thousands
 * of datagrams at once, and a receiver's socket buffer overflows (the wire bench measured the lab collector
 * losing 22.5 % flat out, none paced). So a lab gives the sender a budget in host time (`pace`): datagrams
 * past it wait in the queue, in order, and only a full queue drops them, counted.
 */
import { ReportOnce } from '../events/report-once.ts';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface SyslogHost {
  address: string;
  port: number;
  transport: SyslogTransport;
}

export interface SyslogSenderOptions {
  /** UDP datagrams handed over and not yet sent, beyond which messages drop; and TCP bytes buffered per host. */
  maxQueued?: number;
  maxBufferedBytes?: number;
  onProblem?: (line: string) => void;
  /** PEM of the CAs TLS collectors' certificates must chain to, one a string; default the system's. */
  tlsCa?: string | readonly string[];
  /** UDP datagrams per host second, all hosts together; default unpaced. */
  pace?: WirePace;
}

/** A send budget in host time: the wire's pace, not the lab's (the lab clock may run a year a minute). */
export interface WirePace {
  perSecond: number;
  /** Host ms (monotonic). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface SyslogSendCounts {
  sent: number;
  /** Refused at the sender: queue or buffer full. */
  dropped: number;
  /** Lost by the transport: a send error, a connection that failed with messages in it. */
  failed: number;
  queued: number;
}

const DEFAULT_MAX_QUEUED = 65_536;
const DEFAULT_MAX_BUFFERED = 16 * 1024 * 1024;
/** Large enough for a fleet's burst: the kernel default (208 KiB) drops under load (dependencies.md). */
const SEND_BUFFER = 4 * 1024 * 1024;

const EMPTY = { host: { address: '', port: 0, transport: 'udp' as const }, message: '' };
/** Read slots of the pacing queue after which it is compacted. */
const COMPACT_FROM = 4_096;

export class SyslogSender {
  readonly #maxQueued: number;
  readonly #maxBuffered: number;
  readonly #problems: ReportOnce;
  readonly #tlsCa: string | string[] | undefined;
  readonly #counts: SyslogSendCounts = { sent: 0, dropped: 0, failed: 0, queued: 0 };
  readonly #tcp = new Map<string, Socket>();
  #udp: UdpSocket | undefined;
  readonly #pace: WirePace | undefined;
  /** Datagrams waiting for budget, in order, and the budget left (refilled by host time, 100 ms of burst). */
  #waiting: { host: SyslogHost; message: string }[] = [];
  #head = 0;
  #tokens = 0;
  #filledAt = 0;
  #draining = false;
  #closed = false;
  /** close() waiting for the messages handed over to be sent. */
  #onDrained: (() => void) | undefined;

  constructor(options: SyslogSenderOptions = {}) {
    this.#maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#problems = new ReportOnce(options.onProblem);
    this.#tlsCa = typeof options.tlsCa === 'string' || !options.tlsCa ? options.tlsCa : [...options.tlsCa];
    this.#pace = options.pace;
    if (this.#pace) {
      this.#tokens = this.#burst();
      this.#filledAt = this.#pace.now();
    }
  }

  counts(): Readonly<SyslogSendCounts> {
    return { ...this.#counts };
  }

  /** Queues one message for `host`; false when it was dropped (counted). */
  send(host: SyslogHost, message: string): boolean {
    if (this.#closed) return this.#drop();
    return host.transport === 'udp' ? this.#sendUdp(host, message) : this.#sendTcp(host, message);
  }

  #drop(): false {
    this.#counts.dropped++;
    return false;
  }

  #udpSocket(): UdpSocket {
    if (this.#udp) return this.#udp;
    const socket = createSocket({ type: 'udp4', sendBufferSize: SEND_BUFFER });
    socket.on('error', (error) => this.#problems.report('udp', `syslog UDP socket: ${error.message}`));
    socket.unref();
    return (this.#udp = socket);
  }

  #sendUdp(host: SyslogHost, message: string): boolean {
    if (this.#counts.queued >= this.#maxQueued) return this.#drop();
    this.#counts.queued++;
    if (this.#pace && (this.#head < this.#waiting.length || !this.#take())) {
      this.#waiting.push({ host, message });
      if (!this.#draining) void this.#drain(this.#pace);
      return true;
    }
    this.#datagram(host, message);
    return true;
  }

  #burst(): number {
    return Math.max(1, Math.ceil(this.#pace!.perSecond / 10));
  }

  #take(): boolean {
    const pace = this.#pace!;
    const now = pace.now();
    this.#tokens = Math.min(this.#burst(), this.#tokens + ((now - this.#filledAt) * pace.perSecond) / 1000);
    this.#filledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }

  async #drain(pace: WirePace): Promise<void> {
    this.#draining = true;
    while (this.#head < this.#waiting.length) {
      // close() stops the pacing: what is still waiting goes at once rather than holding the lab's stop.
      while (this.#head < this.#waiting.length && (this.#closed || this.#take())) this.#next();
      // Read slots go, so a queue that never empties (a fleet logging past the budget for hours) stays bounded.
      if (this.#head >= COMPACT_FROM && this.#head * 2 >= this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      if (this.#head < this.#waiting.length)
        await pace.sleep(Math.max(1, ((1 - this.#tokens) * 1000) / pace.perSecond));
    }
    this.#waiting = [];
    this.#head = 0;
    this.#draining = false;
  }

  #next(): void {
    const { host, message } = this.#waiting[this.#head]!;
    // The slot is read: its message need not stay alive until the array is compacted.
    this.#waiting[this.#head++] = EMPTY;
    this.#datagram(host, message);
  }

  #datagram(host: SyslogHost, message: string): void {
    const fail = (error: Error) => {
      this.#counts.failed++;
      this.#problems.report(
        `udp ${host.address}:${host.port}`,
        `syslog to udp ${host.address}:${host.port}: ${error.message}`,
      );
    };
    try {
      this.#udpSocket().send(message, host.port, host.address, (error) => {
        this.#settle();
        if (error) fail(error);
        else this.#counts.sent++;
      });
    } catch (error) {
      // dgram throws at once for what it cannot send at all (port 0, say).
      this.#settle();
      fail(error as Error);
    }
  }

  #sendTcp(host: SyslogHost, message: string): boolean {
    const key = `${host.transport} ${host.address}:${host.port}`;
    let socket = this.#tcp.get(key);
    if (!socket) {
      const fresh =
        host.transport === 'tls'
          ? connectTls({
              host: host.address,
              port: host.port,
              // SNI takes names only (RFC 6066 §3); an address is checked against the certificate's IP SANs.
              ...(isIP(host.address) ? {} : { servername: host.address }),
              ...(this.#tlsCa ? { ca: this.#tlsCa } : {}),
            })
          : connect({ host: host.address, port: host.port });
      fresh.unref();
      // The writes still buffered fail through their callbacks (counted there); the error is reported once.
      // After close() a collector that goes away first (a reset of the half-closed stream) is no problem.
      fresh.on('error', (error) => {
        if (!this.#closed) this.#problems.report(key, `syslog to ${key}: ${error.message}`);
      });
      fresh.on('close', () => {
        if (this.#tcp.get(key) === fresh) this.#tcp.delete(key);
      });
      this.#tcp.set(key, (socket = fresh));
    }
    if (socket.writableLength > this.#maxBuffered) return this.#drop();
    const frame = `${Buffer.byteLength(message)} ${message}`;
    this.#counts.queued++;
    socket.write(frame, (error) => {
      this.#settle();
      if (error) this.#counts.failed++;
      else this.#counts.sent++;
    });
    return true;
  }

  #settle(): void {
    if (--this.#counts.queued === 0) this.#onDrained?.();
  }

  /** Sends what it holds (or counts it failed), then closes every socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#head < this.#waiting.length) this.#next();
    if (this.#counts.queued > 0) await new Promise<void>((resolve) => (this.#onDrained = resolve));
    const ends = [...this.#tcp.values()].map(
      (socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.end(resolve))),
    );
    await Promise.all(ends);
    this.#tcp.clear();
    const udp = this.#udp;
    if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
  }
}
