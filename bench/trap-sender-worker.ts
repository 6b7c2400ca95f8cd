/**
 * The sending side of the trap benchmark, in a thread of its own as a fleet shard is: `count`
 * notifications from 10,000 devices (one UDI each) to `port` through the lab's SnmpTrapSender, as v2c
 * traps, v2c informs or SNMPv3 authPriv traps, `perBurst` at a time with a turn of the event loop between;
 * informs keep at most INFORM_WINDOW unanswered, as a manager's acknowledgements pace a real sender.
 * It reports the sender's counts once close() has every trap on the wire and every inform answered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { smartLicNotification, SnmpTrapSender, type SnmpUser, type TrapTarget } from '#devices';

const { port, kind, user, count, perBurst, engineName } = workerData as {
  port: number;
  kind: 'traps' | 'informs' | 'v3';
  user: SnmpUser;
  count: number;
  perBurst: number;
  engineName: string;
};

const DEVICES = 10_000;
/** Unanswered informs at most: past the sender's socket buffer, answers are dropped and informs retried. */
const INFORM_WINDOW = 1_000;
const turn = () => new Promise((resolve) => setImmediate(resolve));
const notifications = Array.from({ length: DEVICES }, (_, i) =>
  smartLicNotification('ciscoSlaSmartAgentNotifyAuthRenewSuccess', {
    udi: `PID:C9300-24P,SN:FOC${String(i).padStart(8, '0')}`,
  }),
);
const target: TrapTarget =
  kind === 'v3'
    ? {
        host: { address: '127.0.0.1', port, kind: 'traps', version: '3', securityName: user.name, level: 'priv' },
        user,
      }
    : { host: { address: '127.0.0.1', port, kind, version: '2c', securityName: 'public' } };

const sender = new SnmpTrapSender({ engineName });
const start = performance.now();
for (let n = 0; n < count; n++) {
  while (kind === 'informs' && sender.counts().inFlight >= INFORM_WINDOW) await turn();
  sender.send(target, 100 + n, notifications[n % DEVICES]!, `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
  if ((n + 1) % perBurst === 0) await turn();
}
const handedOver = performance.now() - start;
await sender.close();
parentPort!.postMessage({ counts: sender.counts(), handedOverMs: handedOver, closedMs: performance.now() - start });
