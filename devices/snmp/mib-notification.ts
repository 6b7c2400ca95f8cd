/**
 * What the two licensing MIB modules share: object and notification tables as data, and one way to
 * turn a notification's OBJECTS clause into varbinds (RFC 3416 §4.2.6: varbinds in OBJECTS order,
 * after sysUpTime.0 and snmpTrapOID.0, which the wire sender adds).
 */
import type { SnmpNotification, SnmpVarbind, VarbindType } from '../events/device-event.ts';

export interface MibObject {
  /** OBJECT-TYPE OID without instance. */
  oid: string;
  /** How the value goes on the wire; `null` for not-accessible tables, entries and indexes. */
  type: VarbindType | null;
}

export interface NotificationType<O extends string> {
  oid: string;
  /** The OBJECTS clause, in order. */
  objects: readonly O[];
}

/** One varbind's value and the instance suffix after the object OID (`0` for scalars, the row index for columns). */
export interface VarbindValue {
  value: string | number;
  instance: string;
  hex?: true;
}

const scalarOids = new Map<string, string>();

/** `<oid>.0`, one string per object shared by every varbind (a fleet sends millions). */
function scalarOid(oid: string): string {
  let full = scalarOids.get(oid);
  if (full === undefined) scalarOids.set(oid, (full = `${oid}.0`));
  return full;
}

/** Builds `name`'s notification; `resolve` gives each object's value for this context. */
export function buildNotification<O extends string>(
  name: string,
  notification: NotificationType<O>,
  objects: Readonly<Record<O, MibObject>>,
  resolve: (object: O) => VarbindValue,
): SnmpNotification {
  const varbinds: SnmpVarbind[] = notification.objects.map((object) => {
    const { oid, type } = objects[object];
    const { value, instance, hex } = resolve(object);
    const varbind: SnmpVarbind = {
      oid: instance === '0' ? scalarOid(oid) : [oid, instance].join('.'),
      name: object,
      type: type!,
      value,
    };
    if (hex) varbind.hex = true;
    return varbind;
  });
  return { trapOid: notification.oid, name, varbinds };
}

/** The error for a context that lacks what a notification's OBJECTS need. */
export function missingContext(notification: string, object: string, field: string): Error {
  return new Error(`${notification} needs context.${field} for its ${object} varbind`);
}

/** Checks an enum label against its MIB values; the error lists the valid labels. */
export function enumValue<E extends Record<string, number>>(syntaxName: string, values: E, label: string): number {
  const value = values[label];
  if (value === undefined)
    throw new Error(`${syntaxName} has no value '${label}'; valid: ${Object.keys(values).join(', ')}`);
  return value;
}
