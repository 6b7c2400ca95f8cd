/**
 * How a lab's devices reach their SNMP managers: one shared SnmpTrapSender, each device's own
 * `snmp-server host`s, and the lab's hosts (its trap collector, `--traps`) that get every notification,
 * as SNMPv2c traps with community `public` (devices/snmp/trap-output.ts decides what goes where).
 */
import type { SnmpTrapSender, TrapTarget, TrapWire } from '#devices';

export function parseTrapHost(value: string, flag = '--traps'): TrapTarget {
  const match = /^(trap:|inform:)?([^:\s]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port < 1 || port > 65535)
    throw new Error(`${flag} must be [trap:|inform:]HOST:PORT with a port from 1 to 65535, got "${value}"`);
  const kind = match[1] === 'inform:' ? 'informs' : 'traps';
  return { host: { address: match[2]!, port, kind, version: '2c', securityName: 'public' } };
}

export function trapWire(sender: SnmpTrapSender, labHosts: readonly TrapTarget[]): TrapWire {
  return {
    send: (target, ticks, notification, address) => void sender.send(target, ticks, notification, address),
    labHosts,
  };
}
