/**
 * The sending side of the wire benchmark, in a thread of its own as a fleet shard is: `count` messages
 * to `port`, by the lab's SyslogSender or a bare node:dgram socket, `perBurst` at a time every `everyMs`,
 * or (`budget`) all at once into a sender paced at `budget` datagrams a second, as `lab up` paces a storm.
 */
import { createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { formatWireMessage, SyslogSender, type SyslogTransport } from '#devices';
import { hostPace } from '#lab';

const { port, transport, count, perBurst, everyMs, bare, budget } = workerData as {
  port: number;
  transport: SyslogTransport;
  count: number;
  perBurst: number;
  everyMs: number;
  bare: boolean;
  budget?: number;
};

/** 10,000 devices, each with its own counter, so the collector's loss count means something. */
const message = (n: number): string =>
  formatWireMessage(
    '*Mar  1 00:00:42.133: %SMART_LIC-6-AUTH_RENEW_SUCCESS: Authorization renewal with the Cisco Smart Software Manager or satellite. State=authorized for udi PID:C9300-24P,SN:FOC2301X0AB',
    { severity: 6, counter: Math.floor(n / 10_000) + 1, originId: `sw-${n % 10_000}` },
  );

const pause = (ms: number) => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

const sender = bare ? undefined : new SyslogSender({ maxQueued: count, ...(budget ? { pace: hostPace(budget) } : {}) });
const socket = bare ? createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 }) : undefined;
const host = { address: '127.0.0.1', port, transport };
for (let n = 0; n < count; n++) {
  if (socket) socket.send(message(n), port, '127.0.0.1');
  else sender!.send(host, message(n));
  if ((n + 1) % perBurst === 0) await pause(everyMs);
}
await sender?.close();
socket?.close();
parentPort!.postMessage({ counts: sender?.counts() });
