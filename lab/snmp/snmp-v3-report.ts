/**
 * What the fleet agent answers an SNMPv3 request: a Report, as an agent with no matching user does
 * (RFC 3414 §3.2). The agent serves no SNMPv3 reads, so a manager's discovery (an empty or foreign
 * authoritative engine ID) gets usmStatsUnknownEngineIDs with the agent's engine ID, and the request
 * that follows gets usmStatsUnknownUserNames: snmpwalk says "Unknown user name" at once instead of
 * timing out. Only a request with the reportable flag gets a Report (RFC 3412 §7.1); anything that is
 * not a readable SNMPv3 message is left to the caller to count as malformed.
 */
import { BerError, expectTlv, decodeInteger, integerContents, readTlv, tlv, type Tlv } from './ber.ts';
import { encodeVarbind } from './snmp-message.ts';

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const REPORT = 0xa8;
const VERSION_3 = 3;
const USM = 3;
const REPORTABLE = 0x04;
const AUTH = 0x01;
const PRIV = 0x02;
/** Get, GetNext, Set, GetBulk: the confirmed class a Report may answer (RFC 3412 §6.4). */
const CONFIRMED = new Set([0xa0, 0xa1, 0xa3, 0xa5]);
/** usmStatsUnknownUserNames.0 and usmStatsUnknownEngineIDs.0 (SNMP-USER-BASED-SM-MIB). */
const UNKNOWN_USER_NAMES = [1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0];
const UNKNOWN_ENGINE_IDS = [1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0];
/** The largest message the agent takes (msgMaxSize): what one UDP datagram carries. */
const MAX_SIZE = 65_507;

export interface UsmReportCounts {
  unknownEngineIds: number;
  unknownUserNames: number;
}

interface V3Request {
  msgId: number;
  reportable: boolean;
  engineId: Uint8Array;
  userName: Uint8Array;
  /** From a plaintext scoped PDU; 0 when the PDU is encrypted (the manager matches the Report by msgID). */
  requestId: number;
}

const octets = (buf: Uint8Array, t: Tlv): Uint8Array => buf.subarray(t.start, t.end);

/** The parts of an SNMPv3 message a Report needs; undefined for another version; throws BerError. */
function readV3(buf: Uint8Array): V3Request | undefined {
  const message = expectTlv(buf, 0, buf.length, SEQUENCE, 'message');
  const versionTlv = expectTlv(buf, message.start, message.end, INTEGER, 'version');
  if (decodeInteger(buf, versionTlv) !== VERSION_3) return undefined;
  const global = expectTlv(buf, versionTlv.end, message.end, SEQUENCE, 'msgGlobalData');
  const msgIdTlv = expectTlv(buf, global.start, global.end, INTEGER, 'msgID');
  const maxSize = expectTlv(buf, msgIdTlv.end, global.end, INTEGER, 'msgMaxSize');
  const flags = expectTlv(buf, maxSize.end, global.end, OCTET_STRING, 'msgFlags');
  const model = expectTlv(buf, flags.end, global.end, INTEGER, 'msgSecurityModel');
  if (flags.end - flags.start !== 1) throw new BerError('msgFlags of other than one octet');
  if (decodeInteger(buf, model) !== USM) throw new BerError('security model other than USM');
  const params = expectTlv(buf, global.end, message.end, OCTET_STRING, 'msgSecurityParameters');
  const usm = expectTlv(buf, params.start, params.end, SEQUENCE, 'UsmSecurityParameters');
  const engineId = expectTlv(buf, usm.start, usm.end, OCTET_STRING, 'msgAuthoritativeEngineID');
  const boots = expectTlv(buf, engineId.end, usm.end, INTEGER, 'msgAuthoritativeEngineBoots');
  const time = expectTlv(buf, boots.end, usm.end, INTEGER, 'msgAuthoritativeEngineTime');
  const user = expectTlv(buf, time.end, usm.end, OCTET_STRING, 'msgUserName');
  const data = readTlv(buf, params.end, message.end);
  const flagBits = buf[flags.start]!;
  // Privacy without authentication is an invalid message (RFC 3412 §7.2 step 5): dropped.
  if ((flagBits & (AUTH | PRIV)) === PRIV) throw new BerError('msgFlags: privacy without authentication');
  let requestId = 0;
  let confirmed = true;
  if (data.tag === SEQUENCE) {
    const contextEngine = expectTlv(buf, data.start, data.end, OCTET_STRING, 'contextEngineID');
    const contextName = expectTlv(buf, contextEngine.end, data.end, OCTET_STRING, 'contextName');
    const pdu = readTlv(buf, contextName.end, data.end);
    requestId = decodeInteger(buf, expectTlv(buf, pdu.start, pdu.end, INTEGER, 'request-id'));
    confirmed = CONFIRMED.has(pdu.tag);
  } else if (data.tag !== OCTET_STRING) throw new BerError('msgData neither a scoped PDU nor encrypted');
  return {
    msgId: decodeInteger(buf, msgIdTlv),
    // A reportable flag on a trap, response or report is not honoured: a receiver that can tell, tells.
    reportable: (flagBits & REPORTABLE) !== 0 && confirmed,
    engineId: octets(buf, engineId),
    userName: octets(buf, user),
    requestId,
  };
}

/**
 * The Report for an SNMPv3 request (noAuthNoPriv, as RFC 3414 sends discovery answers), or undefined
 * when `buf` is another version or asks for none; throws BerError when it is an unreadable SNMPv3 message.
 */
export function usmReport(buf: Uint8Array, agentEngineId: Uint8Array, counts: UsmReportCounts): Buffer | undefined {
  const request = readV3(buf);
  if (!request?.reportable) return undefined;
  const known = Buffer.compare(Buffer.from(request.engineId), Buffer.from(agentEngineId)) === 0;
  const oid = known ? UNKNOWN_USER_NAMES : UNKNOWN_ENGINE_IDS;
  const value = known ? ++counts.unknownUserNames : ++counts.unknownEngineIds;
  const int = (n: number) => tlv(INTEGER, integerContents(n));
  const usm = tlv(SEQUENCE, [
    tlv(OCTET_STRING, agentEngineId),
    // The agent's engine has booted once and keeps no time: no authenticated exchange ever needs it.
    int(1),
    int(0),
    tlv(OCTET_STRING, request.userName),
    tlv(OCTET_STRING, []),
    tlv(OCTET_STRING, []),
  ]);
  const report = tlv(REPORT, [
    int(request.requestId),
    int(0),
    int(0),
    tlv(SEQUENCE, [encodeVarbind({ oid, value: { type: 'Counter32', value: value % 2 ** 32 } })]),
  ]);
  return tlv(SEQUENCE, [
    int(VERSION_3),
    tlv(SEQUENCE, [int(request.msgId), int(MAX_SIZE), tlv(OCTET_STRING, Buffer.from([0])), int(USM)]),
    tlv(OCTET_STRING, usm),
    tlv(SEQUENCE, [tlv(OCTET_STRING, agentEngineId), tlv(OCTET_STRING, []), report]),
  ]);
}
