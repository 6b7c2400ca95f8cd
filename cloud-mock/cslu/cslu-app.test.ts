import { afterEach, describe, expect, it } from 'vitest';
import { LabClock } from '#lab';
import { decodeSmartLicense, formatSlpFile, stringifySlpJson } from '#protocol';
import { serve, type RunningServer } from '../server.ts';
import { createCsluApp } from './cslu-app.ts';
import { CsluService } from './cslu-service.ts';
import { ackFor, testDevice, usageBody } from '#test-support/rum-reports.ts';

const admin = { user: 'cslu-admin', password: 'pw-7f3a' };
const basic = `Basic ${Buffer.from(`${admin.user}:${admin.password}`).toString('base64')}`;
const open: { server: RunningServer; service: CsluService }[] = [];

async function startCslu(withAdmin = true): Promise<string> {
  const service = new CsluService({ clock: LabClock.create({ mode: 'stepped', start: Date.UTC(2026, 0, 5) }) });
  const server = await serve(createCsluApp(service, withAdmin ? { admin } : {}));
  open.push({ server, service });
  return server.url;
}

afterEach(async () => {
  for (const { server, service } of open.splice(0)) {
    await server.close();
    service.close();
  }
});

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text() };
}

describe('CSLU over HTTP', () => {
  it('takes a push on /cslu/v1/pi, answers a poll id as a bare integer, and delivers the ACK', async () => {
    const url = await startCslu();
    const sw1 = testDevice('FOC2144X0AB');
    const pushed = await post(`${url}/cslu/v1/pi/reportusage`, stringifySlpJson(usageBody(sw1.sudi, [sw1.report(10)])));
    expect(pushed.status).toBe(202);
    const pollId = /"poll_id":(\d+),/.exec(pushed.text)?.[1];
    expect(pollId).toMatch(/^\d{18}$/);

    const exported = await post(`${url}/cslu/v1/usage/export`, '', { authorization: basic });
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('<RUMReport><![CDATA[');
    const ack = ackFor(sw1.sudi, [10]);
    const file = formatSlpFile([{ element: 'RUMACK', value: decodeSmartLicense(ack) }]);
    const imported = await post(`${url}/cslu/v1/acks/import`, file, {
      authorization: basic,
      'content-type': 'application/xml',
    });
    expect(JSON.parse(imported.text)).toEqual({ ok: true, acks: 1, reports: 1 });

    const polled = await post(
      `${url}/cslu/v1/pi/poll`,
      `{"data":{"timestamp":1,"nonce":"nonce-0002","poll_id":${pollId},"action":"acknowledgements"}}`,
    );
    expect(JSON.parse(polled.text)).toMatchObject({
      status: 'COMPLETE',
      data: { acknowledgements: [{ smart_license: ack }] },
    });
  });

  it('answers health, and refuses bad JSON, wrong methods, unknown paths and admin calls without credentials', async () => {
    const url = await startCslu();
    expect(await (await fetch(`${url}/cslu/v1/health`)).json()).toEqual({ status: 'UP' });
    expect(await post(`${url}/cslu/v1/pi/reportusage`, '{"data":')).toEqual({
      status: 400,
      text: '{"status":"FAILED","message":"the body is not valid JSON"}',
    });
    expect((await fetch(`${url}/cslu/v1/pi/poll`)).status).toBe(405);
    expect((await post(`${url}/cslu/v1/nothing`, '{}')).status).toBe(404);
    const anonymous = await fetch(`${url}/cslu/v1/status`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="CSLU"');
    const wrong = `Basic ${Buffer.from(`${admin.user}:nope`).toString('base64')}`;
    expect((await fetch(`${url}/cslu/v1/status`, { headers: { authorization: wrong } })).status).toBe(401);
    const status = await fetch(`${url}/cslu/v1/status`, { headers: { authorization: basic } });
    expect(await status.json()).toMatchObject({ connected: false, instances: 0 });
    const upload = await post(`${url}/cslu/v1/usage/upload`, '', { authorization: basic });
    expect(upload.status).toBe(409);
  });

  it('keeps the admin API shut when no credentials were configured', async () => {
    const url = await startCslu(false);
    expect((await fetch(`${url}/cslu/v1/status`, { headers: { authorization: basic } })).status).toBe(403);
  });
});
