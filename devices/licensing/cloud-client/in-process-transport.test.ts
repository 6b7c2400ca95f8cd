/** The in-process transport against a fake cloud handler: what it hands over, and how drops and throws end. */
import { describe, expect, it } from 'vitest';
import { devicePaths } from '#protocol';
import { createInProcessTransport, type InProcessHandler } from './in-process-transport.ts';

const body = Buffer.from('{"udi":{"pid":"C9300-24T","sn":"FOC0000X0AB"}}');
const req = {
  method: 'POST' as const,
  path: devicePaths.authorize,
  headers: { 'Content-Type': 'application/json', 'x-lab-signature': 'c2ln' },
  body,
};
const DROP = Symbol('drop');

describe('in-process transport', () => {
  it('hands the cloud the exact request bytes, lower-case headers with content-length, and an empty query', async () => {
    const seen: Parameters<InProcessHandler>[0][] = [];
    const t = createInProcessTransport(async (r) => {
      seen.push(r);
      return {
        status: 200,
        headers: { 'Content-Type': 'application/json', 'x-lab-signature': 'YQ==' },
        body: Buffer.from('{"ok":1}'),
      };
    });
    const res = await t.send(req);
    expect(res).toEqual({
      ok: true,
      status: 200,
      headers: { 'content-type': 'application/json', 'x-lab-signature': 'YQ==' },
      body: Buffer.from('{"ok":1}'),
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: devicePaths.authorize,
      headers: { 'content-type': 'application/json', 'x-lab-signature': 'c2ln', 'content-length': String(body.length) },
    });
    expect(seen[0]!.body).toBe(body);
    expect([...seen[0]!.query]).toEqual([]);
    expect(t.description).toBe('in-process');
  });

  it('splits a query string off the path', async () => {
    let query = '';
    let path = '';
    const t = createInProcessTransport(async (r) => {
      [path, query] = [r.path, r.query.toString()];
      return { status: 200, headers: {}, body: Buffer.from('x') };
    });
    await t.send({ ...req, path: '/lab/events?after=3&limit=2' });
    expect([path, query]).toEqual(['/lab/events', 'after=3&limit=2']);
  });

  it('a dropped exchange (no answer object) is a reset', async () => {
    for (const dropped of [DROP, undefined, null, 'text', { status: '200' }]) {
      const res = await createInProcessTransport(async () => dropped).send(req);
      expect(res).toEqual({
        ok: false,
        failure: { kind: 'reset', detail: 'the in-process cloud dropped the exchange' },
      });
    }
  });

  it('a handler that throws, synchronously or not, is a reset', async () => {
    const sync: InProcessHandler = () => {
      throw new Error('defect');
    };
    expect(await createInProcessTransport(sync).send(req)).toEqual({
      ok: false,
      failure: { kind: 'reset', detail: 'the in-process cloud threw: Error: defect' },
    });
    expect(await createInProcessTransport(() => Promise.reject(new Error('later'))).send(req)).toMatchObject({
      ok: false,
      failure: { kind: 'reset' },
    });
  });

  it('an answer without body bytes is empty, like over HTTP', async () => {
    expect(await createInProcessTransport(async () => ({ status: 503, headers: {} })).send(req)).toEqual({
      ok: false,
      failure: { kind: 'empty', detail: 'HTTP 503 with an empty body' },
    });
    expect(
      await createInProcessTransport(async () => ({ status: 200, body: Buffer.alloc(0) })).send(req),
    ).toMatchObject({ ok: false, failure: { kind: 'empty' } });
  });

  it('close() is harmless and sends keep working', async () => {
    const t = createInProcessTransport(async () => ({ status: 200, headers: {}, body: Buffer.from('x') }));
    await t.close();
    expect((await t.send(req)).ok).toBe(true);
  });
});
