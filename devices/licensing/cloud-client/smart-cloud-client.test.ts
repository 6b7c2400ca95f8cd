/**
 * SmartCloudClient over real node:http requests with msw standing in for the cloud: every fault a
 * device can meet (5xx, 429, timeouts, resets, malformed, empty, unsigned or mis-signed answers,
 * schema-violating bodies) is a communication failure; catalogue 4xx errors are refusals.
 */
import { generateKeyPairSync } from 'node:crypto';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { devicePaths, headers as h, verifyBytes, type DeviceOperation } from '#protocol';
import { createHttpTransport } from './http-transport.ts';
import { SmartCloudClient } from './smart-cloud-client.ts';
import {
  caPem,
  deviceIdOtherCaPem,
  deviceKey,
  deviceSerial,
  deviceSpkiB64,
  errorAnswer,
  identity,
  operations,
  otherCaKey,
  otherCaPem,
  signed,
  T,
  udi,
  validBodies,
  type Answer,
} from '#test-support/test-cloud.ts';
import type { CloudTransport } from './transport.ts';

const CLOUD = 'http://cloud.test';
const server = setupServer();
const transport = createHttpTransport({ url: CLOUD, timeoutMs: 200 });
const CALL_HOME_SEND = 'Fail to send out Call Home HTTP message.';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(async () => {
  server.close();
  await transport.close();
});

function client(transportType: 'Callhome' | 'Smart' = 'Callhome', t: CloudTransport = transport) {
  return new SmartCloudClient({ transport: t, trustAnchorPem: caPem, now: () => T, transportType });
}

function toResponse(a: Answer) {
  return new HttpResponse(new Uint8Array(a.body), { status: a.status, headers: a.headers });
}

function cloudAnswers(op: DeviceOperation, a: Answer) {
  server.use(http.post(`${CLOUD}${devicePaths[op]}`, () => toResponse(a)));
}

function call(c: SmartCloudClient, op: DeviceOperation) {
  switch (op) {
    case 'register':
      return c.register({
        udi,
        idToken: 'LAB-TOKEN',
        hostname: 'sw1',
        key: deviceKey,
        publicKeySpkiB64: deviceSpkiB64,
      });
    case 'authorize':
      return c.authorize(identity, [{ tag: 'regid.x', count: 1 }]);
    case 'renewId':
      return c.renewId(identity);
    case 'deregister':
      return c.deregister(identity);
    case 'convert':
      return c.convert(identity, [{ feature: 'ipservicesk9', tag: 'regid.x', source: 'RTU' }]);
    case 'reportUsage':
      return c.reportUsage(identity, [{ tag: 'regid.x', count: 1 }]);
  }
}

describe('requests', () => {
  it('signs fresh bodies with the device key and names the certificate after registration', async () => {
    const seen: { path: string; headers: Headers; body: Buffer }[] = [];
    server.use(
      http.post(`${CLOUD}/licservice/license/:op`, async ({ request }) => {
        const body = Buffer.from(await request.arrayBuffer());
        seen.push({ path: new URL(request.url).pathname, headers: request.headers, body });
        const op = operations.find((o) => devicePaths[o] === new URL(request.url).pathname)!;
        return toResponse(signed(200, validBodies[op]));
      }),
    );
    const c = client();
    for (const op of operations) expect((await call(c, op)).ok, op).toBe(true);
    expect(seen.map((s) => s.path)).toEqual(operations.map((op) => devicePaths[op]));
    const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    for (const s of seen) {
      const sig = s.headers.get(h.signature)!;
      expect(verifyBytes(s.body, sig, identity.key)).toBe(true);
      expect(verifyBytes(s.body, sig, publicKey)).toBe(false);
      expect(JSON.parse(s.body.toString())).toMatchObject({ udi, timestamp: T });
    }
    expect(seen[0]!.headers.get(h.certificateSerial)).toBeNull();
    expect(seen.slice(1).map((s) => s.headers.get(h.certificateSerial))).toEqual(
      Array(operations.length - 1).fill(deviceSerial),
    );
    expect(JSON.parse(seen[0]!.body.toString())).toMatchObject({
      idToken: 'LAB-TOKEN',
      hostname: 'sw1',
      publicKey: deviceSpkiB64,
    });
    expect(JSON.parse(seen[0]!.body.toString())).not.toHaveProperty('force');
    const nonces = seen.map((s) => JSON.parse(s.body.toString()).nonce);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it('sends force and softwareVersion only when given', async () => {
    let body: Record<string, unknown> = {};
    server.use(
      http.post(`${CLOUD}${devicePaths.register}`, async ({ request }) => {
        body = (await request.json()) as Record<string, unknown>;
        return toResponse(signed(200, validBodies.register));
      }),
    );
    await client().register({
      udi,
      idToken: 't',
      hostname: 'sw1',
      key: deviceKey,
      publicKeySpkiB64: deviceSpkiB64,
      force: true,
      softwareVersion: '17.9.5',
    });
    expect(body).toMatchObject({ force: true, softwareVersion: '17.9.5' });
  });
});

describe('accepted answers', () => {
  it.each(operations)('%s: a signed 200 matching the response schema is the body', async (op) => {
    cloudAnswers(op, signed(200, validBodies[op]));
    expect(await call(client(), op)).toEqual({ ok: true, body: validBodies[op] });
  });
});

it('a registration answer carrying the trust anchor in other PEM whitespace is still the trusted root', async () => {
  const body = { ...validBodies.register, caCertificate: `\n${caPem.trim()}\r\n` };
  cloudAnswers('register', signed(200, body));
  expect(await call(client(), 'register')).toEqual({ ok: true, body });
});

describe('communication failures', () => {
  const comm = (reason: string) => ({ ok: false, kind: 'comm', reason });

  it.each([500, 502, 503, 504, 429])('HTTP %i is a communication failure, whatever the body', async (status) => {
    cloudAnswers('authorize', errorAnswer(status, status === 429 ? 'INVALID_VALUE' : 'STORE_UNAVAILABLE'));
    expect(await call(client(), 'authorize')).toEqual(comm(CALL_HOME_SEND));
    cloudAnswers('authorize', signed(status, '<html>busy</html>'));
    expect(await call(client('Smart'), 'authorize')).toEqual(comm('Communications failure'));
  });

  it('a lab fault rule (FAULT_INJECTED) is a communication failure even with a 4xx status', async () => {
    cloudAnswers('register', errorAnswer(404, 'FAULT_INJECTED'));
    expect(await call(client(), 'register')).toEqual(comm(CALL_HOME_SEND));
  });

  it('a request the cloud refuses as replayed (REQUEST_REPLAYED, 409) is a failed send, not a refusal', async () => {
    cloudAnswers('authorize', errorAnswer(409, 'REQUEST_REPLAYED'));
    expect(await call(client(), 'authorize')).toEqual(comm(CALL_HOME_SEND));
    cloudAnswers('register', errorAnswer(409, 'REQUEST_REPLAYED'));
    expect(await call(client('Smart'), 'register')).toEqual(comm('Communications failure'));
  });

  it('a connection reset is a failed send', async () => {
    server.use(http.post(`${CLOUD}${devicePaths.authorize}`, () => HttpResponse.error()));
    expect(await call(client(), 'authorize')).toEqual(comm(CALL_HOME_SEND));
    server.use(http.post(`${CLOUD}${devicePaths.authorize}`, () => HttpResponse.error()));
    expect(await call(client('Smart'), 'authorize')).toEqual(comm('Communications failure'));
  });

  it('no answer within the socket timeout is a failed send', async () => {
    server.use(
      http.post(`${CLOUD}${devicePaths.authorize}`, async () => {
        await delay(2_000);
        return toResponse(signed(200, validBodies.authorize));
      }),
    );
    const started = performance.now();
    expect(await call(client(), 'authorize')).toEqual(comm(CALL_HOME_SEND));
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('an empty body is "Received empty response from server"', async () => {
    server.use(http.post(`${CLOUD}${devicePaths.authorize}`, () => new HttpResponse(null, { status: 200 })));
    expect(await call(client(), 'authorize')).toEqual(comm('Received empty response from server'));
  });

  it('malformed JSON, even signed, is never an acceptance', async () => {
    cloudAnswers('authorize', signed(200, '{"status":"AUTHORIZED",'));
    expect(await call(client(), 'authorize')).toEqual(comm('Received invalid response from server'));
  });

  it.each(operations)('%s: a signed 200 that violates the response schema is a communication failure', async (op) => {
    const { status: _status, ...rest } = validBodies[op];
    cloudAnswers(op, signed(200, rest));
    expect(await call(client(), op)).toEqual(comm('Received invalid response from server'));
    cloudAnswers(op, signed(200, { ...validBodies[op], status: 'PERHAPS' }));
    expect(await call(client(), op)).toEqual(comm('Received invalid response from server'));
  });

  it('a date that is not ISO 8601 violates the schema', async () => {
    cloudAnswers('authorize', signed(200, { ...validBodies.authorize, validUntil: 'next spring' }));
    expect(await call(client(), 'authorize')).toEqual(comm('Received invalid response from server'));
  });

  it('an answer without X-Lab-Signature is not believed, refusals included', async () => {
    cloudAnswers('authorize', signed(200, validBodies.authorize, null));
    expect(await call(client(), 'authorize')).toEqual(comm('Response from server is not signed'));
    cloudAnswers('register', signed(404, { error: { code: 'TOKEN_UNKNOWN', message: 'no' } }, null));
    expect(await call(client(), 'register')).toEqual(comm('Response from server is not signed'));
  });

  it('a signature by another key, over other bytes, or garbage is a communication failure', async () => {
    const bad = 'Response signature verification failed';
    cloudAnswers('authorize', signed(200, validBodies.authorize, otherCaKey));
    expect(await call(client(), 'authorize')).toEqual(comm(bad));
    const tampered = signed(200, validBodies.authorize);
    tampered.body = Buffer.from(JSON.stringify({ ...validBodies.authorize, status: 'OUT_OF_COMPLIANCE' }));
    cloudAnswers('authorize', tampered);
    expect(await call(client(), 'authorize')).toEqual(comm(bad));
    cloudAnswers('authorize', {
      ...signed(200, validBodies.authorize),
      headers: { [h.signature]: 'not base64 at all!' },
    });
    expect(await call(client(), 'authorize')).toEqual(comm(bad));
    // A refusal signed by someone else must not make the device give up either.
    cloudAnswers('register', {
      ...errorAnswer(410, 'TOKEN_REVOKED'),
      headers: signed(410, { error: { code: 'TOKEN_REVOKED', message: 'x' } }, otherCaKey).headers,
    });
    expect(await call(client(), 'register')).toEqual(comm(bad));
  });

  it('a registration answer naming another CA, or an ID certificate from it, is not believed', async () => {
    cloudAnswers('register', signed(200, { ...validBodies.register, caCertificate: otherCaPem }));
    expect(await call(client(), 'register')).toEqual(comm('Response signature verification failed'));
    cloudAnswers('register', signed(200, { ...validBodies.register, idCertificate: deviceIdOtherCaPem }));
    expect(await call(client(), 'register')).toEqual(comm('Response signature verification failed'));
    cloudAnswers('register', signed(200, { ...validBodies.register, idCertificate: 'not a certificate' }));
    expect(await call(client(), 'register')).toEqual(comm('Response signature verification failed'));
    cloudAnswers('register', signed(200, { ...validBodies.register, certificateSerial: 'ffff' }));
    expect(await call(client(), 'register')).toEqual(comm('Response signature verification failed'));
  });

  it('an ID certificate that certifies another key is not believed (registration and renewal)', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherSpki = other.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    cloudAnswers('register', signed(200, validBodies.register));
    expect(
      await client().register({
        udi,
        idToken: 't',
        hostname: 'sw1',
        key: other.privateKey,
        publicKeySpkiB64: otherSpki,
      }),
    ).toMatchObject({ kind: 'comm' });
    cloudAnswers('renewId', signed(200, validBodies.renewId));
    expect(await client().renewId({ ...identity, key: other.privateKey })).toEqual(
      comm('Response signature verification failed'),
    );
  });

  it('other statuses and error bodies outside the catalogue are communication failures', async () => {
    cloudAnswers('authorize', signed(302, { moved: true }));
    expect(await call(client(), 'authorize')).toEqual(comm('Communications failure'));
    cloudAnswers('authorize', signed(201, validBodies.authorize));
    expect(await call(client(), 'authorize')).toEqual(comm('Communications failure'));
    cloudAnswers('authorize', errorAnswer(400, 'NOT_A_CODE'));
    expect(await call(client(), 'authorize')).toEqual(comm('Received invalid response from server'));
    cloudAnswers('authorize', signed(404, { oops: true }));
    expect(await call(client(), 'authorize')).toEqual(comm('Received invalid response from server'));
    cloudAnswers('authorize', signed(404, 'null'));
    expect(await call(client(), 'authorize')).toEqual(comm('Received invalid response from server'));
    cloudAnswers('authorize', signed(404, '<html>'));
    expect(await call(client(), 'authorize')).toEqual(comm('Received invalid response from server'));
    cloudAnswers('authorize', signed(503, '<html>'));
    expect(await call(client(), 'authorize')).toEqual(comm(CALL_HOME_SEND));
  });

  it('a key that cannot sign is "Communications init failure"; nothing is sent', async () => {
    const publicOnly = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(await client().authorize({ ...identity, key: publicOnly }, [])).toEqual(comm('Communications init failure'));
  });

  it('a transport that breaks its promise and throws still gives a communication failure', async () => {
    const throwing: CloudTransport = {
      description: 'broken',
      send: () => Promise.reject(new Error('boom')),
      close: async () => {},
    };
    expect(await call(client('Smart', throwing), 'deregister')).toEqual(comm('Communications failure'));
  });
});

describe('refusals', () => {
  const cases = [
    ['TOKEN_UNKNOWN', 404, 'The ID token is not valid.'],
    ['TOKEN_EXPIRED', 410, 'The ID token has expired.'],
    ['TOKEN_REVOKED', 410, 'The ID token has been revoked.'],
    ['TOKEN_USES_EXHAUSTED', 409, 'The ID token has reached its maximum number of uses.'],
    [
      'UDI_REGISTERED_ELSEWHERE',
      409,
      'The product instance is already registered in another virtual account. Use the force option to move it.',
    ],
    ['CERTIFICATE_UNKNOWN', 401, 'The product instance is not registered with Cisco Smart Software Manager.'],
    ['CERTIFICATE_EXPIRED', 401, 'Identity certificate expired.'],
    ['CLOCK_SKEW', 401, 'The system clock is not in sync with Cisco Smart Software Manager.'],
  ] as const;

  it.each(cases)(
    '%s (%i) is a refusal with the cloud code and message and the IOS reason',
    async (code, status, reason) => {
      const op = code.startsWith('TOKEN') || code === 'UDI_REGISTERED_ELSEWHERE' ? 'register' : 'authorize';
      cloudAnswers(op, errorAnswer(status, code, `cloud message for ${code}`));
      expect(await call(client(), op)).toEqual({
        ok: false,
        kind: 'refused',
        code,
        status,
        message: `cloud message for ${code}`,
        reason,
      });
    },
  );

  it('a catalogue code without an IOS reason carries the cloud message as its reason', async () => {
    cloudAnswers(
      'authorize',
      errorAnswer(403, 'IDENTITY_MISMATCH', 'the body names PID:X,SN:Y, the certificate PID:C9300-24T,SN:FOC0000X0AB'),
    );
    expect(await call(client(), 'authorize')).toEqual({
      ok: false,
      kind: 'refused',
      code: 'IDENTITY_MISMATCH',
      status: 403,
      message: 'the body names PID:X,SN:Y, the certificate PID:C9300-24T,SN:FOC0000X0AB',
      reason: 'the body names PID:X,SN:Y, the certificate PID:C9300-24T,SN:FOC0000X0AB',
    });
  });
});

describe('construction', () => {
  it('refuses a trust anchor that is not a certificate, naming what to pass', () => {
    expect(
      () => new SmartCloudClient({ transport, trustAnchorPem: 'nope', now: () => T, transportType: 'Smart' }),
    ).toThrow(/trustAnchorPem is not a PEM X\.509 certificate.*GET \/lab\/ca/);
  });
});

describe('the HTTP transport under msw faults', () => {
  const req = {
    method: 'POST' as const,
    path: devicePaths.authorize,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{}'),
  };

  it('names what broke: reset for HttpResponse.error(), timeout for a silent cloud, empty for no body', async () => {
    server.use(http.post(`${CLOUD}${devicePaths.authorize}`, () => HttpResponse.error()));
    expect(await transport.send(req)).toMatchObject({ ok: false, failure: { kind: 'reset' } });
    server.use(
      http.post(`${CLOUD}${devicePaths.authorize}`, async () => {
        await delay(2_000);
        return new HttpResponse('late');
      }),
    );
    expect(await transport.send(req)).toEqual({
      ok: false,
      failure: { kind: 'timeout', detail: 'no answer within 200 ms' },
    });
    server.use(http.post(`${CLOUD}${devicePaths.authorize}`, () => new HttpResponse(null, { status: 503 })));
    expect(await transport.send(req)).toEqual({
      ok: false,
      failure: { kind: 'empty', detail: 'HTTP 503 with an empty body' },
    });
  });

  it('passes status, lower-case headers and the exact body bytes through', async () => {
    const bytes = Buffer.from([0x7b, 0x7d, 0xff, 0x00]);
    server.use(
      http.post(
        `${CLOUD}${devicePaths.authorize}`,
        () => new HttpResponse(new Uint8Array(bytes), { status: 409, headers: { 'X-Lab-Key-Id': 'abc' } }),
      ),
    );
    const res = await transport.send(req);
    expect(res.ok && [res.status, res.headers['x-lab-key-id'], res.body.equals(bytes)]).toEqual([409, 'abc', true]);
  });
});
