/**
 * Which device's MIB a community reads on the lab's SNMP agent. A device answers its own read
 * communities (`snmp-server community <name> RO|RW`, or the topology's `snmp.communities`), as a real one
 * does, and also the lab's community (`lab up --snmp-community`, default `public`), so that a fresh fleet
 * can be walked without configuring every device; a lab that wants devices to answer only what they are
 * configured with turns it off.
 */
import { deviceMib, type DeviceView, type MibTable } from '#devices';
import type { FleetMember } from '../fleet/fleet.ts';
import { memberNamed } from '../fleet/fleet-console.ts';

export const DEFAULT_LAB_COMMUNITY = 'public';

/** The device's table when `community` (without its `@hostname`) is one it answers; else undefined. */
export function mibFor(view: DeviceView, community: string, labCommunity: string | undefined): MibTable | undefined {
  const answers = community === labCommunity || view.snmp.config.communities.some((c) => c.name === community);
  return answers ? deviceMib(view) : undefined;
}

/** A device of a fleet in this thread, by the hostname the topology gives it (any case). */
export function memberMib(
  members: readonly FleetMember[],
  hostname: string,
  community: string,
  labCommunity: string | undefined,
): MibTable | undefined {
  const member = memberNamed(members, hostname);
  return member && mibFor(member.device.view(), community, labCommunity);
}
