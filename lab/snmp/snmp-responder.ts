/**
 * What a read-only agent answers to one request, against one device's MibTable (RFC 3416 §4.2, with the
 * SNMPv1 forms of RFC 1157): GET, GETNEXT, GETBULK, and SET refused. Pure: a request and a table in, the
 * response datagram out, at most `maxMessageSize` octets.
 */
import { mibGet, mibMissing, mibNext, type MibEntry, type MibTable } from '#devices';
import {
  assembleMessage,
  encodeVarbind,
  messageSize,
  PDU,
  VERSION_1,
  type SnmpMessage,
  type Varbind,
} from './snmp-message.ts';

/** error-status values (RFC 3416 §3; readOnly is SNMPv1's). */
export const ERROR_STATUS = { noError: 0, tooBig: 1, noSuchName: 2, readOnly: 4, genErr: 5, noAccess: 6 } as const;

export interface ResponderLimits {
  /** GetBulk max-repetitions above this is served as this. */
  maxRepetitions: number;
  /** Largest response datagram. */
  maxMessageSize: number;
}

const found = (e: MibEntry): Varbind => ({ oid: e.arcs, value: { type: e.type, value: e.value } });

function response(request: SnmpMessage, errorStatus: number, errorIndex: number): SnmpMessage {
  return {
    ...request,
    pdu: { type: PDU.response, requestId: request.pdu.requestId, errorStatus, errorIndex, varbinds: [] },
  };
}

/** An error answer: SNMPv1 echoes the request's varbinds (RFC 1157 §4.1.2); v2c tooBig sends none (§4.2.1). */
function errorResponse(request: SnmpMessage, status: number, index: number, limits: ResponderLimits): Buffer {
  const echo = request.version === VERSION_1 || status !== ERROR_STATUS.tooBig;
  const out = assembleMessage(response(request, status, index), echo ? request.pdu.varbinds.map(encodeVarbind) : []);
  return out.length <= limits.maxMessageSize || !echo ? out : assembleMessage(response(request, status, index), []);
}

/** Varbinds for GET / GETNEXT, or the 1-based index of the first that SNMPv1 must report as noSuchName. */
function lookUp(request: SnmpMessage, table: MibTable): Varbind[] | number {
  const v1 = request.version === VERSION_1;
  const out: Varbind[] = [];
  for (const [i, { oid }] of request.pdu.varbinds.entries()) {
    const entry = request.pdu.type === PDU.get ? mibGet(table, oid) : mibNext(table, oid);
    if (entry) out.push(found(entry));
    else if (v1) return i + 1;
    else
      out.push({
        oid,
        value: { type: request.pdu.type === PDU.get ? mibMissing(table, oid) : 'endOfMibView' },
      });
  }
  return out;
}

/**
 * GetBulk (§4.2.3): the non-repeaters' successors, then up to max-repetitions rounds over the repeaters,
 * stopping once a round finds every repeater at the end of the view.
 */
function bulk(request: SnmpMessage, table: MibTable, limits: ResponderLimits): Varbind[] {
  const vbs = request.pdu.varbinds;
  const n = Math.min(Math.max(request.pdu.errorStatus, 0), vbs.length);
  const m = Math.min(Math.max(request.pdu.errorIndex, 0), limits.maxRepetitions);
  const next = (oid: readonly number[]): Varbind => {
    const e = mibNext(table, oid);
    return e ? found(e) : { oid, value: { type: 'endOfMibView' } };
  };
  const out = vbs.slice(0, n).map((v) => next(v.oid));
  let cursor = vbs.slice(n).map((v) => v.oid);
  for (let r = 0; r < m && cursor.length > 0; r++) {
    const round = cursor.map(next);
    out.push(...round);
    if (round.every((v) => v.value.type === 'endOfMibView')) break;
    cursor = round.map((v) => v.oid);
  }
  return out;
}

/** The PDU types an agent answers; anything else (a Response, a trap) is not a request. */
export const REQUEST_TYPES: ReadonlySet<number> = new Set([PDU.get, PDU.getNext, PDU.getBulk, PDU.set]);

/** genErr (§4.2.1: processing failed for a reason no other status names), e.g. the device could not be read. */
export function failure(request: SnmpMessage, limits: ResponderLimits): Buffer {
  return errorResponse(request, ERROR_STATUS.genErr, 0, limits);
}

/** The answer to a request of one of REQUEST_TYPES. */
export function respond(request: SnmpMessage, table: MibTable, limits: ResponderLimits): Buffer {
  const { type } = request.pdu;
  if (type === PDU.set) {
    // Read-only: SNMPv1 managers get readOnly (as IOS answers an RO community), v2c noAccess (§4.2.5).
    const status = request.version === VERSION_1 ? ERROR_STATUS.readOnly : ERROR_STATUS.noAccess;
    return errorResponse(request, status, request.pdu.varbinds.length > 0 ? 1 : 0, limits);
  }
  const varbinds = type === PDU.getBulk ? bulk(request, table, limits) : lookUp(request, table);
  if (typeof varbinds === 'number') return errorResponse(request, ERROR_STATUS.noSuchName, varbinds, limits);
  const header = response(request, ERROR_STATUS.noError, 0);
  const encoded = varbinds.map(encodeVarbind);
  let octets = 0;
  let fit = 0;
  while (fit < encoded.length && messageSize(header, octets + encoded[fit]!.length) <= limits.maxMessageSize)
    octets += encoded[fit++]!.length;
  // GetBulk may drop varbinds from the end to fit (§4.2.3); GET and GETNEXT must answer all or tooBig.
  if (fit < encoded.length && (type !== PDU.getBulk || fit === 0))
    return errorResponse(request, ERROR_STATUS.tooBig, 0, limits);
  return assembleMessage(header, encoded.slice(0, fit));
}
