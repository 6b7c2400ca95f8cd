/** SNMPv3 Reports (RFC 3414 §3.2): what the agent answers, to what, and what it drops. */
import { describe, expect, it } from 'vitest';
import { decodeInteger, decodeOid, expectTlv, integerContents, oidContents, readTlv, tlv, BerError } from './ber.ts';
import { usmReport } from './snmp-v3-report.ts';

const AGENT = Buffer.from('800000090500112233445566778899', 'hex');
const int = (n: number) => tlv(0x02, integerContents(n));
const str = (b: Uint8Array | string) => tlv(0x04, typeof b === 'string' ? Buffer.from(b) : b);

/** A v3 GET of sysName.0 as snmpget sends it: `flags` 0x04 reportable, 0x05 +auth, 0x07 +priv. */
function request(o: { engineId?: Uint8Array; user?: string; flags?: number; encrypted?: boolean; pdu?: number }) {
  const usm = tlv(0x30, [str(o.engineId ?? ''), int(0), int(0), str(o.user ?? ''), str(''), str('')]);
  const varbind = tlv(0x30, [tlv(0x06, oidContents([1, 3, 6, 1, 2, 1, 1, 5, 0])), tlv(0x05, [])]);
  const pdu = tlv(o.pdu ?? 0xa0, [int(4242), int(0), int(0), tlv(0x30, [varbind])]);
  const scoped = tlv(0x30, [str(o.engineId ?? ''), str(''), pdu]);
  return tlv(0x30, [
    int(3),
    tlv(0x30, [int(777), int(65_507), str(Buffer.from([o.flags ?? 0x04])), int(3)]),
    str(usm),
    o.encrypted ? str(Buffer.alloc(40, 0xab)) : scoped,
  ]);
}

/** The Report's msgID, flags, engine ID, user, request-id and its one varbind's OID and value. */
function read(report: Buffer) {
  const m = expectTlv(report, 0, report.length, 0x30, 'message');
  const version = expectTlv(report, m.start, m.end, 0x02, 'version');
  const global = expectTlv(report, version.end, m.end, 0x30, 'global');
  const msgId = expectTlv(report, global.start, global.end, 0x02, 'msgID');
  const max = expectTlv(report, msgId.end, global.end, 0x02, 'max');
  const flags = expectTlv(report, max.end, global.end, 0x04, 'flags');
  const params = expectTlv(report, global.end, m.end, 0x04, 'params');
  const usm = expectTlv(report, params.start, params.end, 0x30, 'usm');
  const engine = expectTlv(report, usm.start, usm.end, 0x04, 'engine');
  const boots = expectTlv(report, engine.end, usm.end, 0x02, 'boots');
  const time = expectTlv(report, boots.end, usm.end, 0x02, 'time');
  const user = expectTlv(report, time.end, usm.end, 0x04, 'user');
  const scoped = expectTlv(report, params.end, m.end, 0x30, 'scoped');
  const contextEngine = expectTlv(report, scoped.start, scoped.end, 0x04, 'contextEngineID');
  const contextName = expectTlv(report, contextEngine.end, scoped.end, 0x04, 'contextName');
  const pdu = readTlv(report, contextName.end, scoped.end);
  const requestId = expectTlv(report, pdu.start, pdu.end, 0x02, 'request-id');
  const status = expectTlv(report, requestId.end, pdu.end, 0x02, 'status');
  const index = expectTlv(report, status.end, pdu.end, 0x02, 'index');
  const list = expectTlv(report, index.end, pdu.end, 0x30, 'list');
  const vb = expectTlv(report, list.start, list.end, 0x30, 'varbind');
  const name = expectTlv(report, vb.start, vb.end, 0x06, 'name');
  const value = readTlv(report, name.end, vb.end);
  return {
    version: decodeInteger(report, version),
    msgId: decodeInteger(report, msgId),
    flags: report[flags.start],
    engineId: Buffer.from(report.subarray(engine.start, engine.end)).toString('hex'),
    contextEngineId: Buffer.from(report.subarray(contextEngine.start, contextEngine.end)).toString('hex'),
    user: Buffer.from(report.subarray(user.start, user.end)).toString(),
    pduTag: pdu.tag,
    requestId: decodeInteger(report, requestId),
    oid: decodeOid(report, name).join('.'),
    valueTag: value.tag,
    value: decodeInteger(report, value),
  };
}

describe('usmReport', () => {
  it('answers discovery with usmStatsUnknownEngineIDs and the agent’s engine ID, counting', () => {
    const counts = { unknownEngineIds: 0, unknownUserNames: 0 };
    expect(read(usmReport(request({}), AGENT, counts)!)).toEqual({
      version: 3,
      msgId: 777,
      flags: 0,
      engineId: AGENT.toString('hex'),
      contextEngineId: AGENT.toString('hex'),
      user: '',
      pduTag: 0xa8,
      requestId: 4242,
      oid: '1.3.6.1.6.3.15.1.1.4.0',
      valueTag: 0x41,
      value: 1,
    });
    // A foreign engine is unknown too.
    const foreign = request({ engineId: Buffer.from('8000000905ff', 'hex'), user: 'mon' });
    expect(read(usmReport(foreign, AGENT, counts)!)).toMatchObject({ oid: '1.3.6.1.6.3.15.1.1.4.0', value: 2 });
    expect(counts).toEqual({ unknownEngineIds: 2, unknownUserNames: 0 });
  });

  it('answers a request to its engine with usmStatsUnknownUserNames, the PDU encrypted or not', () => {
    const counts = { unknownEngineIds: 0, unknownUserNames: 0 };
    const plain = read(usmReport(request({ engineId: AGENT, user: 'nobody' }), AGENT, counts)!);
    expect(plain).toMatchObject({ oid: '1.3.6.1.6.3.15.1.1.3.0', user: 'nobody', requestId: 4242, value: 1 });
    const sealed = request({ engineId: AGENT, user: 'mon', flags: 0x07, encrypted: true });
    // The manager matches a Report to an encrypted request by msgID: the PDU's request-id is unreadable.
    expect(read(usmReport(sealed, AGENT, counts)!)).toMatchObject({ msgId: 777, requestId: 0, user: 'mon', value: 2 });
  });

  it('answers nothing to v1/v2c, an unreportable request, or a trap, response or report', () => {
    const counts = { unknownEngineIds: 0, unknownUserNames: 0 };
    const v2c = tlv(0x30, [int(1), str('public'), tlv(0xa0, [int(1), int(0), int(0), tlv(0x30, [])])]);
    expect(usmReport(v2c, AGENT, counts)).toBeUndefined();
    expect(usmReport(request({ flags: 0x00 }), AGENT, counts)).toBeUndefined();
    for (const pdu of [0xa7, 0xa2, 0xa8]) expect(usmReport(request({ pdu }), AGENT, counts)).toBeUndefined();
    expect(counts).toEqual({ unknownEngineIds: 0, unknownUserNames: 0 });
  });

  it('throws BerError, and only that, on truncated or invalid v3 messages', () => {
    const counts = { unknownEngineIds: 0, unknownUserNames: 0 };
    const whole = request({ engineId: AGENT, user: 'mon' });
    for (let cut = 1; cut < whole.length; cut += 7)
      expect(() => usmReport(whole.subarray(0, cut), AGENT, counts)).toThrow(BerError);
    // Privacy without authentication (flags 0x06) is invalid (RFC 3412 §7.2).
    expect(() => usmReport(request({ flags: 0x06 }), AGENT, counts)).toThrow(/privacy without authentication/);
    expect(counts).toEqual({ unknownEngineIds: 0, unknownUserNames: 0 });
  });
});
