/**
 * The lab's syslog sender, shared by every device of a lab (or of a fleet shard): one UDP socket, one TCP
 * or TLS (RFC 5425) connection per `logging host`, messages framed by octet counting (RFC 6587 §3.4.1:
 * `LEN SP MSG`, the framing RFC 5425 requires too).
 * Sending never blocks or throws into the device that logged: a full queue, a dead host or a refused
 * connection costs counted drops and one reported problem per host, and the next message to a host whose
 * connection failed opens a new one.
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
  /** PEM of the CA TLS collectors' certificates must chain to; default the system's. */
  tlsCa?: string;
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

export class SyslogSender {
  readonly #maxQueued: number;
  readonly #maxBuffered: number;
  readonly #problems: ReportOnce;
  readonly #tlsCa: string | undefined;
  readonly #counts: SyslogSendCounts = { sent: 0, dropped: 0, failed: 0, queued: 0 };
  readonly #tcp = new Map<string, Socket>();
  #udp: UdpSocket | undefined;
  #closed = false;
  /** close() waiting for the messages handed over to be sent. */
  #onDrained: (() => void) | undefined;

  constructor(options: SyslogSenderOptions = {}) {
    this.#maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.#maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.#problems = new ReportOnce(options.onProblem);
    this.#tlsCa = options.tlsCa;
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
    this.#udpSocket().send(message, host.port, host.address, (error) => {
      this.#settle();
      if (!error) {
        this.#counts.sent++;
        return;
      }
      this.#counts.failed++;
      this.#problems.report(
        `udp ${host.address}:${host.port}`,
        `syslog to udp ${host.address}:${host.port}: ${error.message}`,
      );
    });
    return true;
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
