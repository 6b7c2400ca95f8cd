/** What the devices' shared senders did, summed over the senders of a lab (one per shard). */
import type { SyslogSendCounts, TrapSendCounts } from '#devices';

export interface WireSendCounts {
  syslog: SyslogSendCounts;
  traps: TrapSendCounts;
}

/** Field by field, over `zero`'s keys. */
export function sumCounts<T extends Record<keyof T, number>>(zero: T, list: readonly T[]): T {
  const total = { ...zero };
  for (const item of list)
    for (const key of Object.keys(total) as (keyof T)[]) total[key] = (total[key] + item[key]) as T[keyof T];
  return total;
}

export const NO_WIRE_SENDS: WireSendCounts = {
  syslog: { sent: 0, dropped: 0, failed: 0, queued: 0 },
  traps: { traps: 0, informsSent: 0, informsAcked: 0, informsFailed: 0, dropped: 0, failed: 0, inFlight: 0 },
};

export function sumWire(list: readonly WireSendCounts[]): WireSendCounts {
  return {
    syslog: sumCounts(
      NO_WIRE_SENDS.syslog,
      list.map((c) => c.syslog),
    ),
    traps: sumCounts(
      NO_WIRE_SENDS.traps,
      list.map((c) => c.traps),
    ),
  };
}
