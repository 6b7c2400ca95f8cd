/**
 * A device's management address when the lab gives none: 10.x.y.z from its serial number (FNV-1a), so
 * the same device has the same address in every run. The lab's fleets give addresses by fleet index.
 */
export function addressFromSerial(sn: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sn.length; i++) hash = Math.imul(hash ^ sn.charCodeAt(i), 0x01000193) >>> 0;
  // The last octet in 1..254: never a network or broadcast address.
  return `10.${(hash >>> 16) & 255}.${(hash >>> 8) & 255}.${1 + ((hash & 255) % 254)}`;
}
