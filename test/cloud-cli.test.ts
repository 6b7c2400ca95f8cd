/**
 * The `lab` command as a user meets it: exit codes (0 ok, 2 usage/input errors), one-line errors with no
 * stack trace, and `lab cloud`'s flags (--tls, --step, --seed, --port) against the running process.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  EXAMPLE_SEED,
  runLab,
  startCloud,
  tempDir,
  type CloudProcess,
  type RunResult,
} from './support/cloud-process.ts';
import { fetchCaKey, assertSigned, send } from './support/device.ts';
import { DAY } from '#protocol';

const running: CloudProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.kill();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function cloud(flags: string[]): Promise<CloudProcess> {
  const c = await startCloud(flags);
  running.push(c);
  dirs.push(c.dir);
  return c;
}

/** A usage error: exit 2, exactly one `lab: …` line on stderr, no stack frames, nothing on stdout. */
function expectUsageError(r: RunResult, pattern: RegExp): void {
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^lab: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('defect');
}

describe('lab', () => {
  it('--help prints the commands and exits 0', async () => {
    const r = await runLab(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: lab <command>');
    expect(r.stdout).toMatch(/^\s+cloud\s/m);
    expect(r.stderr).toBe('');
  });

  it('alone prints the usage and exits 2', async () => {
    const r = await runLab([]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('Usage: lab <command>');
  });

  it('with an unknown command exits 2 naming the valid commands', async () => {
    expectUsageError(
      await runLab(['clowd']),
      /unknown command "clowd".*valid commands: up, run, status, down, reset, exec, console, fault, cloud, cslu, onprem, device, bench/,
    );
  });

  it('cloud --help prints every flag and exits 0', async () => {
    const r = await runLab(['cloud', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--port', '--host', '--tls', '--db', '--seed', '--step', '--speed', '--lab-key'])
      expect(r.stdout).toContain(flag);
  });
});

describe.concurrent('lab cloud refuses bad input with exit 2 and one line', () => {
  it.each([
    [['--port', 'abc'], /--port must be a whole number.*"abc"/],
    [['--port', '70000'], /--port .*"70000"/],
    [['--port', '-1'], /--port/],
    [['--step', '--speed', '2'], /--step and --speed exclude each other/],
    [['--speed', '0'], /--speed must be a number > 0, got "0"/],
    [['--speed', 'fast'], /--speed .*"fast"/],
    [['--bogus'], /--bogus/],
    [['--seed', 'missing.yaml'], /missing\.yaml: no such file/],
    [['--lab-key', 'short'], /lab key from --lab-key must be 16 to 512 visible ASCII characters/],
    [['--lab-key', './missing-key-file'], /--lab-key \.\/missing-key-file: no such file/],
  ])('lab cloud %j', async (flags, pattern) => {
    const dir = tempDir();
    dirs.push(dir);
    const r = await runLab(['cloud', '--port', '0', '--db', join(dir, 'cloud.db'), ...flags]);
    expectUsageError(r, pattern);
  });

  it('a malformed seed YAML, naming its line', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const seed = join(dir, 'bad.yaml');
    writeFileSync(seed, 'accounts:\n  - name: Broken\n    domain: [unclosed\n    type: CUSTOMER\n');
    const r = await runLab(['cloud', '--port', '0', '--db', join(dir, 'cloud.db'), '--seed', seed]);
    expectUsageError(r, /bad\.yaml is not valid YAML at line \d+/);
  });

  it('a seed that is YAML but not the seed format, naming the field', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const seed = join(dir, 'wrong.yaml');
    writeFileSync(seed, 'accounts:\n  - name: Wrong\n    domian: example.org\n');
    const r = await runLab(['cloud', '--port', '0', '--db', join(dir, 'cloud.db'), '--seed', seed]);
    expectUsageError(r, /does not match the seed format: .*\/accounts\/0/);
  });

  it('a port in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((ok) => blocker.listen(0, '127.0.0.1', ok));
    const { port } = blocker.address() as AddressInfo;
    try {
      const dir = tempDir();
      dirs.push(dir);
      const r = await runLab(['cloud', '--port', String(port), '--db', join(dir, 'cloud.db')]);
      expectUsageError(r, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      await new Promise((ok) => blocker.close(ok));
    }
  });

  it('a database it cannot open', async () => {
    const r = await runLab(['cloud', '--port', '0', '--db', '/dev/null/cloud.db']);
    // The lab key is made beside the database first, so that is what fails.
    expectUsageError(r, /cannot create the lab key file \/dev\/null\/lab-key/);
  });

  it('a PostgreSQL server it cannot reach', async () => {
    const r = await runLab(['cloud', '--port', '0', '--db', 'postgres://postgres@127.0.0.1:1/nothing']);
    expectUsageError(r, /cannot open postgres 127\.0\.0\.1:1\/nothing/);
  });
});

function httpsGet(
  url: string,
  ca: string | undefined,
): Promise<{ status: number; body: string; authorized: boolean; issuer: string }> {
  return new Promise((ok, fail) => {
    const req = https.get(url, { ...(ca ? { ca } : {}), agent: false }, (res) => {
      let body = '';
      const socket = res.socket as TLSSocket;
      const { authorized } = socket;
      const issuer = String(socket.getPeerCertificate().issuer?.CN ?? '');
      res.setEncoding('utf8').on('data', (s: string) => (body += s));
      res.on('end', () => ok({ status: res.statusCode!, body, authorized, issuer }));
    });
    req.on('error', fail);
  });
}

describe('lab cloud, running', () => {
  it('--tls serves HTTPS with a certificate from the lab CA, whose PEM it writes and names', async () => {
    const c = await cloud(['--tls']);
    expect(c.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const caFile = /trust (\S+cloud-ca\.pem)/.exec(c.stdout())?.[1];
    expect(caFile, c.stdout()).toBe(join(c.dir, 'cloud-ca.pem'));
    const ca = readFileSync(caFile!, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const health = await httpsGet(`${c.url}/lab/health`, ca);
    expect(health.status).toBe(200);
    expect(health.authorized).toBe(true);
    expect(health.issuer.length).toBeGreaterThan(0);
    expect(new X509Certificate(ca).subject).toContain(`CN=${health.issuer}`);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'UP', store: 'sqlite' });
    // Also by name: the certificate covers localhost.
    const byName = await httpsGet(`${c.url.replace('127.0.0.1', 'localhost')}/lab/health`, ca);
    expect(byName.status).toBe(200);

    // A real handshake: without the lab CA the certificate is not trusted.
    await expect(httpsGet(`${c.url}/lab/health`, undefined)).rejects.toThrow(/self[- ]signed|unable to (verify|get)/i);
    // And the file is the CA that signs API answers.
    const answersCa = JSON.parse((await httpsGet(`${c.url}/lab/ca`, ca)).body) as { certificate: string };
    expect(answersCa.certificate.trim()).toBe(ca.trim());
  });

  it('--step: POST /lab/clock {advanceMs: 1 day} moves the lab clock by exactly one day', async () => {
    const c = await cloud(['--step']);
    expect(c.stdout()).toContain('clock: stepped');
    const caKey = await fetchCaKey(c.url);
    const read = async () => {
      const res = await send(c.url, { method: 'GET', path: '/lab/clock', headers: c.labHeaders });
      assertSigned(res, caKey);
      return JSON.parse(res.body.toString()) as { now: number; stepped: boolean };
    };
    const before = await read();
    expect(before.stepped).toBe(true);
    // Stepped time stands still between requests.
    await new Promise((r) => setTimeout(r, 50));
    expect((await read()).now).toBe(before.now);

    const res = await send(c.url, {
      method: 'POST',
      path: '/lab/clock',
      headers: { 'content-type': 'application/json', ...c.labHeaders },
      body: Buffer.from(JSON.stringify({ advanceMs: DAY })),
    });
    assertSigned(res, caKey);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toMatchObject({ now: before.now + DAY });
    expect((await read()).now).toBe(before.now + DAY);
  });

  it('without --step, POST /lab/clock answers 409 CLOCK_NOT_STEPPED and time is real', async () => {
    const c = await cloud([]);
    const res = await send(c.url, {
      method: 'POST',
      path: '/lab/clock',
      headers: { 'content-type': 'application/json', ...c.labHeaders },
      body: Buffer.from(JSON.stringify({ advanceMs: DAY })),
    });
    expect(res.status).toBe(409);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'CLOCK_NOT_STEPPED' } });
    const clock = JSON.parse(
      (await send(c.url, { method: 'GET', path: '/lab/clock', headers: c.labHeaders })).body.toString(),
    ) as { now: number; stepped: boolean };
    expect(clock.stepped).toBe(false);
    expect(Math.abs(clock.now - Date.now())).toBeLessThan(5_000);
  });

  it('SIGTERM closes the cloud and exits 0', async () => {
    const c = await cloud([]);
    expect((await send(c.url, { method: 'GET', path: '/lab/health', headers: {} })).status).toBe(200);
    expect(await c.stop()).toEqual({ code: 0, signal: null });
    expect(c.stdout()).toContain('[cloud] SIGTERM: closing');
    expect(c.stderr()).toBe('');
    await expect(fetch(`${c.url}/lab/health`)).rejects.toThrow();
  });

  it('makes a lab key beside the database on first start (mode 0600), names the file but never prints the key, and keeps it', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await startCloud([], { dir });
    running.push(first);
    const file = join(dir, 'lab-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.labKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.stdout()).toContain(`lab control needs the lab key in ${file} (created now, mode 0600)`);
    expect(first.stdout() + first.stderr()).not.toContain(first.labKey);
    const reset = (headers: Record<string, string>) =>
      send(first.url, {
        method: 'POST',
        path: '/lab/reset',
        headers: { 'content-type': 'application/json', ...headers },
        body: Buffer.from('{"confirm": true}'),
      });
    const refused = await reset({});
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body.toString()).error.message).toContain(file);
    expect((await reset(first.labHeaders)).status).toBe(200);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    const second = await startCloud([], { dir });
    running.push(second);
    expect(second.labKey).toBe(first.labKey);
    expect(second.stdout()).not.toContain('created now');
  });

  it('--lab-key VALUE, --lab-key FILE and LAB_KEY set the key; none of them is printed', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const keyFile = join(dir, 'team-key');
    writeFileSync(keyFile, 'team-key-from-a-file-0123456789\n', { mode: 0o600 });
    for (const [flags, env, key] of [
      [['--lab-key', 'given-on-the-command-line-42'], {}, 'given-on-the-command-line-42'],
      [['--lab-key', keyFile], {}, 'team-key-from-a-file-0123456789'],
      [[], { LAB_KEY: 'from-the-environment-0123456' }, 'from-the-environment-0123456'],
    ] as const) {
      const c = await startCloud([...flags], { env: { ...env } });
      running.push(c);
      dirs.push(c.dir);
      const events = (headers: Record<string, string>) => send(c.url, { method: 'GET', path: '/lab/events', headers });
      expect((await events({ 'x-lab-key': key })).status).toBe(200);
      expect((await events({ 'x-lab-key': 'the-key-in-the-lab-directory' })).status).toBe(401);
      expect(c.stdout()).not.toContain(key);
      expect(existsSync(join(c.dir, 'lab-key'))).toBe(false);
      await c.stop();
    }
  });

  it('beyond loopback (--host 0.0.0.0) warns in one line when the user set no key, and not when they did', async () => {
    const open = await cloud(['--host', '0.0.0.0']);
    expect(open.stdout().match(/warning: listening on 0\.0\.0\.0 .*--lab-key or LAB_KEY/g)).toHaveLength(1);
    await open.stop();
    const keyed = await cloud(['--host', '0.0.0.0', '--lab-key', 'a-key-the-team-shares-01']);
    expect(keyed.stdout()).not.toContain('warning');
  });

  it('--seed applies once; a restart on the same database with the same seed skips what exists', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const seed = EXAMPLE_SEED;
    const first = await startCloud(['--seed', seed], { dir });
    running.push(first);
    expect(first.stdout()).toMatch(/seeded from .*"accounts":2/);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    const second = await startCloud(['--seed', seed], { dir });
    running.push(second);
    expect(second.stdout()).toMatch(/seeded from .*"accounts":0.*skipped: smart account example\.com exists/);
  });
});
