/** `lab cslu` as an admin runs it: its flags, and an offline CSLU taking a push and giving the export file. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { stringifySlpJson } from '#protocol';
import { testDevice, usageBody } from './support/rum-reports.ts';
import { runLab, startListening, tempDir, type ListeningProcess } from './support/cloud-process.ts';

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
