/** `lab cslu` as an admin runs it: its flags, and an offline CSLU taking a push and giving the export file. */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLab, serveDeviceHttp } from '#lab';
import { stringifySlpJson } from '#protocol';
import { testDevice, usageBody } from './support/rum-reports.ts';
import { EXAMPLE_SEED, runLab, startListening, tempDir, type ListeningProcess } from './support/cloud-process.ts';

const running: ListeningProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function usageError(args: string[], pattern: RegExp): Promise<void> {
  const r = await runLab(['cslu', ...args]);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe('lab cslu', () => {
  it('names what a connected CSLU lacks, and refuses contradictory or malformed flags', async () => {
    await usageError(
      [],
      /a connected CSLU needs --cloud, --client-id, --client-secret, --account \(or run it --offline\)/,
    );
    await usageError(['--offline', '--cloud', 'http://x'], /--offline and --cloud exclude each other/);
    await usageError(['--offline', '--admin', 'nopassword'], /--admin must be USER:PASSWORD/);
    await usageError(['--offline', '--port', '70000'], /--port must be a whole number from 0 to 65535/);
    await usageError(
      ['--cloud', 'ftp://x', '--client-id', 'a', '--client-secret', 'b', '--account', 'c'],
      /--cloud must be an http\(s\) URL/,
    );
  });

  it('offline: takes a device push on /cslu/v1/pi and hands the admin the export file, kept across a restart', async () => {
    const dir = tempDir('lab-cslu-');
    dirs.push(dir);
    const args = ['--offline', '--port', '0', '--db', join(dir, 'cslu.db'), '--admin', 'admin:s3cret'];
    const first = await startListening('cslu', args);
    running.push(first);
    expect(first.stdout()).toContain('offline: usage leaves by export file');
    const sw1 = testDevice('FOC2144X0AB');
    const pushed = await fetch(`${first.url}/cslu/v1/pi/reportusage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stringifySlpJson(usageBody(sw1.sudi, [sw1.report(1_767_600_000)])),
    });
    expect(pushed.status).toBe(202);
    await first.stop();
    running.splice(0);

    const again = await startListening('cslu', args);
    running.push(again);
    const auth = { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };
    const exported = await fetch(`${again.url}/cslu/v1/usage/export`, { method: 'POST', headers: auth });
    expect(exported.status).toBe(200);
    expect(await exported.text()).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><smartLicense><RUMReport>/);
  });
});

describe('lab cslu in pull mode', () => {
  const auth = { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };

  it('refuses a malformed --pull-interval or --devices-via', async () => {
    await usageError(['--offline', '--pull-interval', 'daily'], /--pull-interval must be a number of hours/);
    await usageError(['--offline', '--devices-via', 'https://x'], /--devices-via must be an http URL/);
  });

  it('pulls a device through a lab device gateway over real HTTP, and records a refused login', async () => {
    const lab = await createLab({ cloud: { seed: readFileSync(EXAMPLE_SEED, 'utf8') } });
    const gateway = await serveDeviceHttp(() => lab.devices());
    try {
      const d = lab.device({ pid: 'C9300-24P', release: '17.9.4' });
      for (const line of [
        'configure terminal',
        'license smart transport off',
        'ip http server',
        'ip http authentication local',
        'username cslu privilege 15 secret Pull-Me-1',
        'end',
      ])
        expect(d.exec(line), line).not.toMatch(/^%/m);
      const dir = tempDir('lab-cslu-pull-');
      dirs.push(dir);
      const cslu = await startListening('cslu', [
        ...['--offline', '--port', '0', '--db', join(dir, 'cslu.db'), '--admin', 'admin:s3cret'],
        ...['--pull-interval', '0', '--devices-via', gateway.url],
      ]);
      running.push(cslu);
      expect(cslu.stdout()).toContain('[cslu] pull: 0 device(s), on demand only via http://127.0.0.1:');
      const admin = (method: string, path: string, body?: object) =>
        fetch(`${cslu.url}${path}`, {
          method,
          headers: { ...auth, 'content-type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
      expect((await fetch(`${cslu.url}/cslu/v1/pull/devices`)).status).toBe(401);
      expect((await admin('POST', '/cslu/v1/pull/devices', { host: 'a b', user: 'u', password: 'p' })).status).toBe(
        400,
      );
      const added = await admin('POST', '/cslu/v1/pull/devices', {
        host: d.address,
        user: 'cslu',
        password: 'Pull-Me-1',
      });
      expect(added.status).toBe(201);
      await admin('POST', '/cslu/v1/pull/devices', { host: d.hostname, user: 'cslu', password: 'nope' });
      const collected = (await (await admin('POST', '/cslu/v1/pull/collect')).json()) as {
        outcomes: { host: string; ok: boolean; reports: number; error?: string }[];
      };
      const byHost = new Map(collected.outcomes.map((o) => [o.host, o]));
      expect(byHost.get(d.address)).toMatchObject({ ok: true });
      expect(byHost.get(d.address)!.reports).toBeGreaterThan(0);
      expect(byHost.get(d.hostname)).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 401/) });
      const listed = (await (await admin('GET', '/cslu/v1/pull/devices')).json()) as {
        devices: { host: string; lastError?: string; password?: string }[];
      };
      expect(listed.devices.map((t) => [t.host, t.lastError !== undefined, t.password])).toEqual(
        [
          [d.address, false, undefined],
          [d.hostname, true, undefined],
        ].sort(),
      );
      const jobs = (await (await admin('GET', '/cslu/v1/scheduler/jobs')).json()) as { job_name: string }[];
      expect(jobs.map((j) => j.job_name)).toContain('Pull usage from product instances');
      const exported = await admin('POST', '/cslu/v1/usage/export');
      expect(await exported.text()).toContain('<RUMReport>');
      expect((await admin('DELETE', `/cslu/v1/pull/devices/${d.hostname}`)).status).toBe(200);
      expect((await admin('DELETE', `/cslu/v1/pull/devices/${d.hostname}`)).status).toBe(404);
      expect((await admin('POST', '/cslu/v1/pull/devices/nobody/collect')).status).toBe(404);
    } finally {
      await gateway.close();
      await lab.close();
    }
  });
});
