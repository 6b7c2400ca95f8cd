/**
 * A device's readable MIB as data: instances sorted in SNMP order (numeric arcs compared one by one,
 * RFC 3416 §4.2.2), so GET and GETNEXT are binary searches and an agent needs no tree. Plain values,
 * built from one read of a device's view; nothing here knows a wire format.
 */
import type { VarbindType } from '../events/device-event.ts';

export type MibValueType = VarbindType | 'Counter32' | 'IpAddress';

export interface MibEntry {
  /** Dotted instance OID, e.g. `1.3.6.1.2.1.1.5.0`. */
  readonly oid: string;
  /** The same OID as numbers: the sort key. */
  readonly arcs: readonly number[];
  /** How many leading arcs name the OBJECT-TYPE (the rest is the instance): noSuchObject vs noSuchInstance. */
  readonly objectArcs: number;
  readonly type: MibValueType;
  /** Integer types: a number; OctetString: text (UTF-8) or raw octets; ObjectIdentifier, IpAddress: dotted. */
  readonly value: number | string | Uint8Array;
}

/** Sorted by `arcs`, no OID twice. */
export type MibTable = readonly MibEntry[];

/** One instance to put in a table: the object's OID, the instance suffix (`[0]` for a scalar), the value. */
export interface MibInstance {
  object: string;
  instance: readonly number[];
  type: MibValueType;
  value: number | string | Uint8Array;
}

/** `1.3.6.1` or `.1.3.6.1` as arcs; throws on anything else. */
export function oidArcs(oid: string): number[] {
  const arcs = oid.replace(/^\./, '').split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0 || a > 0xffffffff))
    throw new Error(`not an OID: '${oid}'`);
  return arcs;
}

export function compareArcs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export function mibTable(instances: Iterable<MibInstance>): MibTable {
  const entries: MibEntry[] = [];
  for (const { object, instance, type, value } of instances) {
    const objectArcs = oidArcs(object);
    const arcs = [...objectArcs, ...instance];
    entries.push({ oid: arcs.join('.'), arcs, objectArcs: objectArcs.length, type, value });
  }
  entries.sort((a, b) => compareArcs(a.arcs, b.arcs));
  for (let i = 1; i < entries.length; i++)
    if (entries[i - 1]!.oid === entries[i]!.oid) throw new Error(`MIB table: ${entries[i]!.oid} twice`);
  return entries;
}

const arcsOf = (oid: string | readonly number[]): readonly number[] => (typeof oid === 'string' ? oidArcs(oid) : oid);

/** Index of the first entry not below `arcs` (`table.length` when all are). */
function lowerBound(table: MibTable, arcs: readonly number[]): number {
  let lo = 0;
  let hi = table.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareArcs(table[mid]!.arcs, arcs) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The instance at exactly `oid`. */
export function mibGet(table: MibTable, oid: string | readonly number[]): MibEntry | undefined {
  const arcs = arcsOf(oid);
  const entry = table[lowerBound(table, arcs)];
  return entry && compareArcs(entry.arcs, arcs) === 0 ? entry : undefined;
}

/** The first instance after `oid` (GETNEXT); undefined at the end of the MIB view. */
export function mibNext(table: MibTable, oid: string | readonly number[]): MibEntry | undefined {
  const arcs = arcsOf(oid);
  const i = lowerBound(table, arcs);
  const entry = table[i];
  return entry && compareArcs(entry.arcs, arcs) === 0 ? table[i + 1] : entry;
}

/**
 * Why a GET of `oid` finds nothing (RFC 3416 §4.2.1): noSuchInstance when `oid` lies under an object the
 * table has instances of, else noSuchObject. Instances of one object are contiguous, so only the
 * neighbours of where `oid` would sit can share its object.
 */
export function mibMissing(table: MibTable, oid: string | readonly number[]): 'noSuchObject' | 'noSuchInstance' {
  const arcs = arcsOf(oid);
  const i = lowerBound(table, arcs);
  const under = (e: MibEntry | undefined): boolean =>
    e !== undefined && e.objectArcs <= arcs.length && e.arcs.slice(0, e.objectArcs).every((a, k) => a === arcs[k]);
  return under(table[i - 1]) || under(table[i]) ? 'noSuchInstance' : 'noSuchObject';
}
