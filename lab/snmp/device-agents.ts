/**
 * One agent port per device, for small labs whose manager polls each device by its own port with a plain
 * community (`lab up --snmp-device-ports BASE`: the fleet's devices on BASE, BASE+1, … in fleet order).
 * Thousands of devices would take thousands of sockets, so it stops at MAX_DEVICE_PORTS; the fleet port
 * with community indexing serves any size.
 */
import type { MibTable } from '#devices';
import { sumCounts } from '../collectors/wire-counts.ts';
import { FleetSnmpAgent, NO_REQUESTS, type FleetSnmpAgentCounts } from './fleet-snmp-agent.ts';

export const MAX_DEVICE_PORTS = 256;

type Mib = (hostname: string, community: string) => MibTable | undefined | Promise<MibTable | undefined>;

/** Throws the OS error of the first port it cannot bind (EADDRINUSE), after closing the ones it bound. */
export async function listenPerDevice(hostnames: readonly string[], base: number, mib: Mib): Promise<FleetSnmpAgent[]> {
  const agents: FleetSnmpAgent[] = [];
  try {
    for (const [i, hostname] of hostnames.entries())
      agents.push(await FleetSnmpAgent.listen({ port: base + i, resolve: (community) => mib(hostname, community) }));
  } catch (err) {
    await Promise.all(agents.map((a) => a.close()));
    throw err;
  }
  return agents;
}

export function totalCounts(agents: readonly FleetSnmpAgent[]): FleetSnmpAgentCounts {
  return sumCounts(
    NO_REQUESTS,
    agents.map((a) => a.counts),
  );
}
