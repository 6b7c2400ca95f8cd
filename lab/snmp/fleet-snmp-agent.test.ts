import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mibTable, type MibTable } from '#devices';
import { BerError, decodeInteger, decodeOid, integerContents, oidContents, readTlv, tlv } from './ber.ts';
import { FleetSnmpAgent, splitCommunity, type FleetSnmpAgentOptions } from './fleet-snmp-agent.ts';
import {
  decodeMessage,
  encodeMessage,
  PDU,
  VERSION_1,
  VERSION_2C,
  type PduType,
  type SnmpMessage,
  type Varbind,
} from './snmp-message.ts';

const SYS = '1.3.6.1.2.1.1';
const arcs = (oid: string): number[] => oid.split('.').map(Number);

/** A small device: sysDescr, sysName and a 30-row column with long values (for size limits). */
function table(hostname: string): MibTable {
  return mibTable([
    { object: `${SYS}.1`, instance: [0], type: 'OctetString', value: `Cisco IOS Software, ${hostname}` },
    { object: `${SYS}.3`, instance: [0], type: 'TimeTicks', value: 4_294_967_295 },
    { object: `${SYS}.5`, instance: [0], type: 'OctetString', value: hostname },
    ...Array.from({ length: 30 }, (_, i) => ({
      object: '1.3.6.1.4.1.9.9.831.0.5.1.1.3',
      instance: [i + 1],
      type: 'OctetString' as const,
      value: `regid.2017-03.com.cisco.tag-${i + 1}-${'x'.repeat(60)}`,
    })),
  ]);
}

function request(
  type: PduType,
  oids: string[],
  options: { version?: 0 | 1; community?: string; errorStatus?: number; errorIndex?: number } = {},
): SnmpMessage {
  return {
    version: options.version ?? VERSION_2C,
    community: Buffer.from(options.community ?? 'public@sw-01'),
    pdu: {
      type,
      requestId: 0x7fff_fff0,
      errorStatus: options.errorStatus ?? 0,
      errorIndex: options.errorIndex ?? 0,
      varbinds: oids.map((oid) => ({ oid: arcs(oid), value: { type: 'Null' } })),
    },
  };
}

const text = (v: Varbind): string =>
  'value' in v.value && v.value.value instanceof Uint8Array
    ? Buffer.from(v.value.value).toString()
    : 'value' in v.value
      ? String(v.value.value)
      : v.value.type;

describe('BER and SNMP messages', () => {
  it('round-trips integers at every length boundary', () => {
    for (const n of [0, 1, 127, 128, 255, 256, -1, -128, -129, 32767, -32768, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1]) {
      const b = tlv(0x02, integerContents(n));
      expect(decodeInteger(b, readTlv(b, 0, b.length))).toBe(n);
    }
    expect([...integerContents(128)]).toEqual([0x00, 0x80]);
    expect([...integerContents(-129)]).toEqual([0xff, 0x7f]);
  });

  it('round-trips OIDs, large arcs and the 2.x first-octet form', () => {
    for (const oid of ['1.3.6.1.4.1.9.9.831.0.6.1.0', '0.0', '2.999.4294967295', '1.3.6.1.2.1.47.1.1.1.1.11.1']) {
      const b = tlv(0x06, oidContents(arcs(oid)));
      expect(decodeOid(b, readTlv(b, 0, b.length)).join('.')).toBe(oid);
    }
    expect([...oidContents(arcs('1.3.6.1.4.1.9'))]).toEqual([0x2b, 6, 1, 4, 1, 9]);
  });

  it('round-trips a message with every value type and long-form lengths', () => {
    const message: SnmpMessage = {
      version: VERSION_2C,
      community: Buffer.from('public@sw-01'),
      pdu: {
        type: PDU.response,
        requestId: -5,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [
          { oid: [1, 3, 1], value: { type: 'Integer', value: -1 } },
          { oid: [1, 3, 2], value: { type: 'OctetString', value: Buffer.from('é'.repeat(200)) } },
          { oid: [1, 3, 3], value: { type: 'ObjectIdentifier', value: '1.3.6.1.4.1.9.1' } },
          { oid: [1, 3, 4], value: { type: 'IpAddress', value: '192.0.2.1' } },
          { oid: [1, 3, 5], value: { type: 'Counter32', value: 4_294_967_295 } },
          { oid: [1, 3, 6], value: { type: 'Gauge32', value: 7 } },
          { oid: [1, 3, 7], value: { type: 'TimeTicks', value: 12_345 } },
          { oid: [1, 3, 8], value: { type: 'Null' } },
          { oid: [1, 3, 9], value: { type: 'noSuchObject' } },
          { oid: [1, 3, 10], value: { type: 'noSuchInstance' } },
          { oid: [1, 3, 11], value: { type: 'endOfMibView' } },
          { oid: [1, 3, 12], value: { type: 'Other', tag: 0x46, contents: Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0]) } },
        ],
      },
    };
    const wire = encodeMessage(message);
    const back = decodeMessage(wire);
    expect(back).toEqual(message);
    expect(encodeMessage(back).equals(wire)).toBe(true);
  });

  it('refuses what is not a whole SNMPv1/v2c message', () => {
    const good = encodeMessage(request(PDU.get, [`${SYS}.5.0`]));
    const v3 = Buffer.from(good);
    v3[4] = 3; // version INTEGER contents
    const indefinite = Buffer.from(good);
    indefinite[1] = 0x80;
    const bulkV1 = encodeMessage(request(PDU.getBulk, [SYS], { version: VERSION_1 }));
    for (const bad of [Buffer.alloc(0), good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])])])
      expect(() => decodeMessage(bad)).toThrow(BerError);
    for (const bad of [v3, indefinite, bulkV1, Buffer.from('hello world')])
      expect(() => decodeMessage(bad)).toThrow(BerError);
  });
});

describe('FleetSnmpAgent over UDP', () => {
  let agent: FleetSnmpAgent;
  const client = createSocket('udp4');
  const replies: Buffer[] = [];
  const waiting: ((b: Buffer) => void)[] = [];
  client.on('message', (m) => (waiting.shift() ?? ((b: Buffer) => replies.push(b)))(m));

  async function listen(options: Partial<FleetSnmpAgentOptions> = {}): Promise<FleetSnmpAgent> {
    return FleetSnmpAgent.listen({
      resolve: async (community) => {
        const { community: name, context } = splitCommunity(community);
        return name === 'public' && context?.startsWith('sw-') ? table(context) : undefined;
      },
      ...options,
    });
  }

  /** Sends `datagram` and waits for one answer; undefined after 150 ms of silence. */
  function ask(datagram: Buffer, to = agent): Promise<SnmpMessage | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(done), 1);
        resolve(undefined);
      }, 150);
      const done = (b: Buffer) => {
        clearTimeout(timer);
        resolve(decodeMessage(b));
      };
      waiting.push(done);
      client.send(datagram, to.port, to.host);
    });
  }
  const send = (m: SnmpMessage, to = agent) => ask(encodeMessage(m), to);

  beforeAll(async () => {
    agent = await listen();
  });
  afterAll(async () => {
    await agent.close();
    client.close();
  });

  it('answers GET per device, with noSuchObject / noSuchInstance for what is missing (v2c)', async () => {
    const r = (await send(request(PDU.get, [`${SYS}.5.0`, `${SYS}.5`, '1.3.6.1.9.9', `${SYS}.3.0`])))!;
    expect(r.pdu).toMatchObject({ type: PDU.response, requestId: 0x7fff_fff0, errorStatus: 0, errorIndex: 0 });
    expect(r.pdu.varbinds.map(text)).toEqual(['sw-01', 'noSuchInstance', 'noSuchObject', '4294967295']);
    const other = (await send(request(PDU.get, [`${SYS}.5.0`], { community: 'public@sw-02' })))!;
    expect(other.pdu.varbinds.map(text)).toEqual(['sw-02']);
    expect(Buffer.from(other.community).toString()).toBe('public@sw-02');
  });

  it('walks with GETNEXT and ends in endOfMibView', async () => {
    const first = (await send(request(PDU.getNext, ['1.3'])))!;
    expect(first.pdu.varbinds[0]!.oid.join('.')).toBe(`${SYS}.1.0`);
    const last = (await send(request(PDU.getNext, ['1.3.6.1.4.1.9.9.831.0.5.1.1.3.30', '1.3.6.1.4.1.9.9.831.0.5'])))!;
    expect(last.pdu.varbinds.map(text)).toEqual(['endOfMibView', expect.stringMatching(/tag-1-/)]);
  });

  it('GETBULK: non-repeaters, then rounds over the repeaters, stopping at the end of the view', async () => {
    const col = '1.3.6.1.4.1.9.9.831.0.5.1.1.3';
    const short = (r: SnmpMessage) =>
      r.pdu.varbinds.map((v) => `${v.oid.slice(-2).join('.')}=${text(v).replace(/-x+$/, '')}`);
    const r = (await send(request(PDU.getBulk, [SYS, `${SYS}.1.0`, `${col}.28`], { errorStatus: 1, errorIndex: 4 })))!;
    expect(r.pdu.errorStatus).toBe(0);
    const tag = (n: number) => `3.${n}=regid.2017-03.com.cisco.tag-${n}`;
    expect(short(r)).toEqual([
      '1.0=Cisco IOS Software, sw-01',
      ...['3.0=4294967295', tag(29)],
      ...['5.0=sw-01', tag(30)],
      ...[tag(1), '3.30=endOfMibView'],
      ...[tag(2), '3.30=endOfMibView'],
    ]);
    const end = (await send(request(PDU.getBulk, [`${col}.29`, `${col}.30`], { errorIndex: 5 })))!;
    expect(short(end)).toEqual([tag(30), '3.30=endOfMibView', '3.30=endOfMibView', '3.30=endOfMibView']);
  });

  it('GETBULK caps max-repetitions and trims repetitions to the message size; GET answers tooBig', async () => {
    const capped = await listen({ maxRepetitionsCap: 3 });
    const few = (await send(request(PDU.getBulk, ['1.3.6.1.4.1.9.9.831'], { errorIndex: 1000 }), capped))!;
    expect(few.pdu.varbinds).toHaveLength(3);
    await capped.close();
    const wire = encodeMessage(request(PDU.getBulk, ['1.3.6.1.4.1.9.9.831'], { errorIndex: 1_000_000 }));
    const answer = await new Promise<Buffer>((resolve) => {
      waiting.push(resolve);
      client.send(wire, agent.port, agent.host);
    });
    expect(answer.length).toBeLessThanOrEqual(1400);
    const bulk = decodeMessage(answer);
    expect(bulk.pdu.errorStatus).toBe(0);
    expect(bulk.pdu.varbinds.length).toBeGreaterThan(5);
    expect(bulk.pdu.varbinds.length).toBeLessThan(30);
    const small = await listen({ maxMessageSize: 120 });
    const tooBig = (await send(request(PDU.get, ['1.3.6.1.4.1.9.9.831.0.5.1.1.3.1', `${SYS}.1.0`]), small))!;
    expect(tooBig.pdu).toMatchObject({ errorStatus: 1, errorIndex: 0, varbinds: [] });
    await small.close();
  });

  it('SNMPv1: noSuchName with the failing index and the request varbinds; end of MIB too', async () => {
    const get = (await send(request(PDU.get, [`${SYS}.5.0`, `${SYS}.5.1`], { version: VERSION_1 })))!;
    expect(get.version).toBe(VERSION_1);
    expect(get.pdu).toMatchObject({ errorStatus: 2, errorIndex: 2 });
    expect(get.pdu.varbinds.map((v) => `${v.oid.join('.')}=${text(v)}`)).toEqual([
      `${SYS}.5.0=Null`,
      `${SYS}.5.1=Null`,
    ]);
    const next = (await send(request(PDU.getNext, ['2.0'], { version: VERSION_1 })))!;
    expect(next.pdu).toMatchObject({ errorStatus: 2, errorIndex: 1 });
    const ok = (await send(request(PDU.getNext, [`${SYS}.3.0`], { version: VERSION_1 })))!;
    expect(ok.pdu.varbinds.map(text)).toEqual(['sw-01']);
  });

  it('refuses SET: noAccess in v2c, readOnly in v1, the table unchanged', async () => {
    const set = (m: SnmpMessage): SnmpMessage => ({
      ...m,
      pdu: {
        ...m.pdu,
        varbinds: [{ oid: arcs(`${SYS}.5.0`), value: { type: 'OctetString', value: Buffer.from('x') } }],
      },
    });
    const v2 = (await send(set(request(PDU.set, []))))!;
    expect(v2.pdu).toMatchObject({ errorStatus: 6, errorIndex: 1 });
    expect(v2.pdu.varbinds.map(text)).toEqual(['x']);
    const v1 = (await send(set(request(PDU.set, [], { version: VERSION_1 }))))!;
    expect(v1.pdu).toMatchObject({ errorStatus: 4, errorIndex: 1 });
    expect((await send(request(PDU.get, [`${SYS}.5.0`])))!.pdu.varbinds.map(text)).toEqual(['sw-01']);
  });

  it('drops an unknown community and garbage silently, counting them; a failing resolver gets genErr', async () => {
    const before = { ...agent.counts };
    expect(await send(request(PDU.get, [`${SYS}.5.0`], { community: 'private@sw-01' }))).toBeUndefined();
    expect(await send(request(PDU.get, [`${SYS}.5.0`], { community: 'public@router-9' }))).toBeUndefined();
    const garbage = [
      Buffer.from('not snmp'),
      Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
      encodeMessage(request(PDU.get, [`${SYS}.5.0`])).subarray(0, 20),
      encodeMessage(request(PDU.response, [`${SYS}.5.0`])),
    ];
    for (const g of garbage) expect(await ask(g)).toBeUndefined();
    expect((await send(request(PDU.get, [`${SYS}.5.0`])))!.pdu.errorStatus).toBe(0);
    expect(agent.counts).toEqual({
      requests: before.requests + 3,
      responses: before.responses + 1,
      unknownCommunity: before.unknownCommunity + 2,
      malformed: before.malformed + 4,
      v3Reports: 0,
    });
    const broken = await listen({
      resolve: () => {
        throw new Error('device unreachable');
      },
    });
    expect((await send(request(PDU.get, [`${SYS}.5.0`]), broken))!.pdu).toMatchObject({ errorStatus: 5 });
    await broken.close();
  });

  it('splits Cisco-indexed communities at the last @', () => {
    expect(splitCommunity('public@sw-01')).toEqual({ community: 'public', context: 'sw-01' });
    expect(splitCommunity('p@ss@sw-01')).toEqual({ community: 'p@ss', context: 'sw-01' });
    expect(splitCommunity('public')).toEqual({ community: 'public', context: undefined });
  });
});
