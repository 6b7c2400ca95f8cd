/** `lab onprem` as an admin runs it: HTTPS from its own CA, its accounts by name, an SLP relay per VA. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { stringifySlpJson } from '#protocol';
import { testDevice, usageBody } from './support/rum-reports.ts';
import { runLab, startListening, tempDir, type ListeningProcess } from './support/cloud-process.ts';

const SEED = `accounts:
  - name: WORLD WIDE TECHNOLOGY INC
    domain: wwt.example.com
    virtualAccounts: [{ name: Campus }]
`;
const running: ListeningProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function post(url: string, body: string, ca: string, auth?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('lab onprem', () => {
  it('serves HTTPS from its CA: its accounts by name, SLP usage relayed per VA, the export file', async () => {
    const dir = tempDir('lab-onprem-');
    dirs.push(dir);
    writeFileSync(join(dir, 'seed.yaml'), SEED);
    const onprem = await startListening('onprem', [
      '--offline',
      '--port',
      '0',
      '--seed',
      join(dir, 'seed.yaml'),
      '--db',
      join(dir, 'onprem.db'),
      '--admin',
      'admin:s3cret',
    ]);
    running.push(onprem);
    expect(onprem.url).toMatch(/^https:\/\//);
    const ca = readFileSync(join(dir, 'onprem-ca.pem'), 'utf8');
    const accounts = await post(`${onprem.url}/api/v1/upstream_satellites/accounts`, '{}', ca);
    expect(JSON.parse(accounts.text)).toEqual({
      accounts: [{ name: 'WORLD WIDE TECHNOLOGY INC', domain: 'wwt.example.com' }],
    });
    const sw1 = testDevice('FOC2144X0AB');
    const body = stringifySlpJson(usageBody(sw1.sudi, [sw1.report(1_767_600_000)]));
    expect((await post(`${onprem.url}/cslu/v1/pi/Campus-1/reportusage`, body, ca)).status).toBe(202);
    expect((await post(`${onprem.url}/cslu/v1/pi/Branch-1/reportusage`, body, ca)).status).toBe(404);
    const auth = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
    const exported = await post(`${onprem.url}/cslu/v1/pi/Campus-1/usage/export`, '', ca, auth);
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('<RUMReport><![CDATA[');
  });

  it('names what a connected On-Prem lacks', async () => {
    const r = await runLab(['onprem', '--account', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^lab: a connected On-Prem needs --cloud, --client-id, --client-secret \(or run it --offline\)\n$/,
    );
  });
});
