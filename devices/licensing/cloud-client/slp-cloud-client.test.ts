/**
 * SlpCloudClient on the wire, over in-process transports: where each body goes (Smart: slpDevicePaths;
 * CSLU: the configured URL plus the operation's suffix), that it is signed with the device key, that poll
 * ids beyond 2^53 travel as bare integers both ways, and which answers are believed.
 */
import { describe, expect, it } from 'vitest';
import { headers as h, publicKeyFromSpki, signBytes, slpDevicePaths, verifyBytes, type DeviceRequest } from '#protocol';
import { caKey, caPem, deviceKey, deviceSpkiB64 } from '#test-support/test-cloud.ts';
import { SlpCloudClient, type SlpCaller } from './slp-cloud-client.ts';
import { answered, type CloudTransport } from './transport.ts';

const POLL_ID = '773126444402795033';
const accepted = `{"status":"OK_POLL","poll_id":${POLL_ID},"poll_interval":300,"action":"acknowledgements","timestamp":1,"nonce":"n"}`;

function recording(answer: (req: DeviceRequest) => { status: number; body: string; sign?: boolean }) {
  const sent: { origin: string; req: DeviceRequest }[] = [];
  const transport = (origin: string): CloudTransport => ({
    description: origin,
    close: async () => {},
    send: async (req) => {
      sent.push({ origin, req });
      const a = answer(req);
      const headers: Record<string, string> = a.sign === false ? {} : { [h.signature]: signBytes(a.body, caKey) };
      return answered(a.status, headers, Buffer.from(a.body));
    },
  });
  const client = new SlpCloudClient({
    transport: transport('cssm'),
    trustAnchorPem: caPem,
    cslu: transport,
    now: () => 1_000,
  });
  return { sent, client };
}

const caller = (destination: SlpCaller['destination']): SlpCaller => ({
  sudi: { udi_pid: 'C9300-24P', udi_serial_number: 'FCW2303D16Y' },
  hostname: 'sw1',
  key: deviceKey,
  publicKeySpkiB64: deviceSpkiB64,
  clockOffsetMs: 5,
  destination,
});

describe('SlpCloudClient', () => {
  it('Smart transport: slpDevicePaths over the cloud transport, body signed with the device key', async () => {
    const { sent, client } = recording(() => ({ status: 202, body: accepted }));
    const r = await client.reportUsage(caller({ kind: 'cssm' }), []);
    expect(r).toMatchObject({ ok: true, body: { poll_id: POLL_ID, poll_interval: 300 } });
    const { origin, req } = sent[0]!;
    expect([origin, req.path]).toEqual(['cssm', slpDevicePaths.reportUsage]);
    expect(verifyBytes(req.body, req.headers[h.signature]!, publicKeyFromSpki(deviceSpkiB64)!)).toBe(true);
    expect(JSON.parse(req.body.toString()).data).toMatchObject({ timestamp: 1_005, reports: [{ hostname: 'sw1' }] });
  });

  it('CSLU: the configured URL plus the suffix, unsigned answers believed, poll ids as bare integers', async () => {
    const { sent, client } = recording((req) =>
      req.path.endsWith('/poll')
        ? { status: 200, body: `{"status":"OK_POLL","poll_id":${POLL_ID},"message":""}`, sign: false }
        : { status: 202, body: accepted, sign: false },
    );
    const at = caller({ kind: 'cslu', url: 'http://10.0.0.9:8182/cslu/v1/pi' });
    expect((await client.poll(at, POLL_ID, 'acknowledgements')).ok).toBe(true);
    const { origin, req } = sent[0]!;
    expect([origin, req.path]).toEqual(['http://10.0.0.9:8182', '/cslu/v1/pi/poll']);
    expect(req.body.toString()).toContain(`"poll_id":${POLL_ID},`);
    await client.authRequest(at, [{ entitlement: 'tag', count: 1 }]);
    expect(sent[1]!.req.path).toBe('/cslu/v1/pi/authrequest');
  });

  it('the cloud must sign; catalogue errors are refusals; bodies off the schema are comm failures', async () => {
    let answer = { status: 202, body: accepted, sign: false };
    const { client } = recording(() => answer);
    const cssm = caller({ kind: 'cssm' });
    expect(await client.reportUsage(cssm, [])).toEqual({
      ok: false,
      kind: 'comm',
      reason: 'Response from server is not signed',
    });
    answer = {
      status: 403,
      body: '{"status":"FAILED","error":{"code":"TRUST_MISSING","message":"no trust"}}',
      sign: true,
    };
    expect(await client.reportUsage(cssm, [])).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'TRUST_MISSING',
      reason: 'no trust',
    });
    answer = { status: 202, body: '{"status":"OK"}', sign: true };
    expect(await client.reportUsage(cssm, [])).toEqual({
      ok: false,
      kind: 'comm',
      reason: 'Received invalid response from server',
    });
  });
});
