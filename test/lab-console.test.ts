/**
 * `lab exec`, `lab console` and the control API behind them, on a real running `lab up` of the small
 * topology: transcripts per device, selectors, Tab completion, the device's log stream, the lab key, and
 * the errors a user can cause.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runLab, tempDir } from '#test-support/cloud-process.ts';
import { startLabUp, type LabUpProcess } from '#test-support/lab-up-process.ts';

const SMALL = join(REPO, 'test/fixtures/topologies/small.topology.yaml');
const env = { CI: '1' };

// The same commands whether the devices run in the lab's thread or in worker threads (lab/shards/).
describe.each([
  ['in one thread', []],
  ['over 2 shards', ['--shards', '2']],
])('lab exec and lab console on a running lab, devices %s', (_where, shardFlags) => {
  const children: ChildProcess[] = [];
  const cwd = tempDir('lab-console-');
  let lab: LabUpProcess;
  let url: string;
  let key: string;
  const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-lab-key': key }) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    // A minute of lab time per second: the switches register within the first seconds.
    lab = startLabUp([SMALL, '--speed', '60', '--port', '0', '--control-port', '0', ...shardFlags], cwd, children);
    await lab.ready;
    url = readFileSync(join(cwd, '.lab/small-lab/control.url'), 'utf8').trim();
    key = readFileSync(join(cwd, '.lab/small-lab/lab-key'), 'utf8').trim();
  }, 60_000);
  afterAll(async () => {
    lab.child.kill('SIGTERM');
    await lab.closed;
  });

  it('lab exec prints each selected device’s transcript, in fleet order', async () => {
    const run = await runLab(['exec', 'site=lyon', 'role=access', 'show version | include cisco'], { cwd, env });
    const hosts = [...run.stdout.matchAll(/^(\S+)#show version/gm)].map((m) => m[1]);
    expect(hosts).toEqual(['sw-01', 'sw-02', 'sw-03']);
    const router = await runLab(['exec', 'wan-router', 'show license udi'], { cwd, env });
    expect(router.code).toBe(0);
    expect(router.stdout).toMatch(/^wan-router#show license udi\n/);
    expect(router.stdout).toMatch(/ISR4331\/K9/);
  }, 30_000);

  it('exits 1 and says how many devices refused a line IOS rejects', async () => {
    const run = await runLab(['exec', 'sw-0*', 'show licence'], { cwd, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/% Invalid input detected at '\^' marker\./);
    expect(run.stderr).toBe('lab: 3 of 3 devices refused "show licence"\n');
  }, 30_000);

  it('refuses a selector that picks nothing or cannot be read, in one line', async () => {
    const none = await runLab(['exec', 'site=mars', 'show clock'], { cwd, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('lab: lab "small-lab": no device of this lab matches "site=mars"\n');
    const bad = await runLab(['exec', '@@', 'show clock'], { cwd, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lab: lab "small-lab": "@@" is not a selector term/);
    const short = await runLab(['exec', 'show clock'], { cwd, env });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/needs a selector and a command/);
  }, 30_000);

  it('lab console runs piped lines in the device’s shell, modes and prompts included', async () => {
    const run = await runLab(['console', 'wan-router'], {
      cwd,
      env,
      input: 'conf t\nhostname edge-1\nend\nshow running-config | include hostname\nexit\nshow clock\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[lab\] console on wan-router of lab "small-lab"/);
    expect(run.stdout).toContain('wan-router#conf t\n');
    expect(run.stdout).toContain('wan-router(config)#hostname edge-1\n');
    expect(run.stdout).toContain('edge-1(config)#end\n');
    // `exit` at the exec prompt detaches: the line after it never runs.
    expect(run.stdout).not.toContain('show clock');
    // The topology's name still reaches it; the device kept its new hostname.
    const again = await runLab(['exec', 'wan-router', 'show clock'], { cwd, env });
    expect(again.stdout).toMatch(/^edge-1#show clock/);
    const missing = await runLab(['console', 'nobody'], { cwd, env, input: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('lab: lab "small-lab": no device of this lab matches "hostname=nobody"\n');
  }, 30_000);

  it('POST /complete is Tab: a unique word is completed, an ambiguous one lists the candidates', async () => {
    const tab = async (line: string) => (await (await post('/complete', { device: 'sw-01', line })).json()) as object;
    expect(await tab('sh lic sum')).toMatchObject({
      line: 'sh lic summary ',
      candidates: ['summary'],
      prompt: 'sw-01#',
    });
    expect(await tab('sh lic s')).toMatchObject({ line: 'sh lic s' });
    expect(((await tab('sh lic s')) as { candidates: string[] }).candidates.length).toBeGreaterThan(1);
    expect((await post('/complete', { device: 'nobody', line: 'sh' })).status).toBe(404);
  });

  it('streams a device’s log lines as they happen', async () => {
    const controller = new AbortController();
    const res = await fetch(`${url}/devices/sw-02/log`, { headers: { 'x-lab-key': key }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const read = reader.read();
    await post('/exec', { select: 'sw-02', command: 'write memory' });
    await post('/exec', { select: 'sw-02', command: 'reload' });
    const { value } = await read;
    expect(new TextDecoder().decode(value)).toMatch(/%SYS-5-|%SMART_LIC-|%LICENSE-/);
    controller.abort();
  }, 30_000);

  it('acting on devices needs the lab key; reading metrics and status does not', async () => {
    const missing = await post('/exec', { select: 'all', command: 'show clock' }, {});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: 'LAB_KEY_MISSING',
      message: expect.stringContaining('lab-key'),
    });
    const wrong = await post('/exec', { select: 'all', command: 'show clock' }, { authorization: 'Bearer nope' });
    expect(((await wrong.json()) as { error: string }).error).toBe('LAB_KEY_INVALID');
    expect((await fetch(`${url}/devices/sw-01/log`)).status).toBe(401);
    expect((await fetch(`${url}/status`)).status).toBe(200);
    const bad = await runLab(['exec', 'all', 'show clock', '--lab-key', 'A'.repeat(43)], { cwd, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/acts on devices: send the X-Lab-Key header/);
  }, 30_000);

  it('lab fault add, list and clear switch faults on the running lab; devices see them', async () => {
    const add = await runLab(['fault', 'add', 'unreachable', 'sw-01', '--for', '1d'], { cwd, env });
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^f\d+ unreachable on "sw-01": active, from \S+ to \S+\n$/);
    const renew = await runLab(['exec', 'sw-01', 'license smart renew auth'], { cwd, env });
    expect(renew.code, renew.stdout + renew.stderr).toBe(0);
    let status = '';
    for (let i = 0; i < 50 && !/Fail to send out Call Home HTTP message/.test(status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await runLab(['exec', 'sw-01', 'show license status'], { cwd, env })).stdout;
    }
    expect(status).toMatch(/Failure reason: Fail to send out Call Home HTTP message\./);
    const list = await runLab(['fault', 'list'], { cwd, env });
    expect(list.stdout).toMatch(/^f\d+\s+unreachable\s+active\s+1 devices .* sw-01\n$/);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^license_lab_faults_active 1$/m);
    expect((await runLab(['fault', 'clear'], { cwd, env })).stdout).toBe('cleared 1 fault\n');
    expect((await runLab(['fault', 'list'], { cwd, env })).stdout).toBe('no faults\n');
    expect(lab.out()).toMatch(/\[lab\] fault f\d+ unreachable started on 1 devices \(sw-01\)/);
    expect(lab.out()).toMatch(/\[lab\] fault f\d+ unreachable ended/);
    const removed = await runLab(['fault', 'add', 'licenses-removed', 'sw-01', '--quantity', '1'], { cwd, env });
    expect(removed.stderr).toBe('');
    for (let i = 0; i < 50 && !/licenses-removed ended/.test(lab.out()); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(lab.out()).toMatch(/\[lab\] fault f\d+ licenses-removed ended: \d+ licenses removed from \d+ pools/);
  }, 60_000);

  it('lab fault refuses bad kinds, selectors, values and ids in one line', async () => {
    const cases: [string[], RegExp][] = [
      [['fault', 'add', 'meteor', 'all'], /^lab: lab "small-lab": fault kind: /],
      [['fault', 'add', 'unreachable', '@@'], /fault select: "@@" is not a selector term/],
      [['fault', 'add', 'reload', 'all', '--for', '1h'], /fault reload happens once; "for" belongs to network faults/],
      [['fault', 'add', 'latency', 'all', '--ms', 'lots'], /--ms must be a number, got "lots"/],
      [['fault', 'add', 'reload', 'all', '--quantity', '2'], /fault reload takes no quantity; licenses-removed does/],
      [['fault', 'add', 'cloud-restart', 'sw-01'], /fault cloud-restart stops the cloud for every device: select all/],
      [['fault', 'add', 'unreachable'], /needs a kind and a selector/],
      [['fault', 'clear', 'f999'], /no fault f999; lab fault list shows them/],
      [['fault', 'explode'], /lab fault explode: use add, list or clear/],
    ];
    for (const [args, message] of cases) {
      const run = await runLab(args, { cwd, env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    const unauthorized = await post('/faults', { kind: 'reload', select: 'all' }, {});
    expect(unauthorized.status).toBe(401);
  }, 60_000);

  it('answers garbage with a 4xx in one envelope, never a crash', async () => {
    const raw = (body: string) => fetch(`${url}/exec`, { method: 'POST', headers: { 'x-lab-key': key }, body });
    const cases: [string, number, string][] = [
      ['{"select":', 400, 'MALFORMED_JSON'],
      ['[]', 400, 'INVALID_BODY'],
      ['{"select":"all"}', 400, 'INVALID_BODY'],
      ['{"select":"all","command":"show clock","x":1}', 400, 'INVALID_BODY'],
      ['{"select":"all","command":"show clock\\nreload"}', 400, 'INVALID_BODY'],
      [JSON.stringify({ select: 'all', command: 'x'.repeat(20_000) }), 413, 'BODY_TOO_LARGE'],
    ];
    for (const [body, status, error] of cases) {
      const res = await raw(body);
      expect(res.status, body.slice(0, 40)).toBe(status);
      expect(((await res.json()) as { error: string }).error).toBe(error);
    }
    expect((await fetch(`${url}/exec`)).status).toBe(405);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    // Still serving.
    expect((await post('/exec', { select: 'sw-01', command: 'show clock' })).status).toBe(200);
  });
});

describe('lab exec and lab console without a running lab', () => {
  it('says no lab is running, or that the named one is stopped', async () => {
    const cwd = tempDir('lab-console-');
    const none = await runLab(['exec', 'all', 'show clock'], { cwd, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('lab: no lab is running under ./.lab; start one with lab up <topology>\n');
    await runLab(['up', SMALL, '--step', '--until', '1h', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    const stopped = await runLab(['console', 'sw-01', '--lab', SMALL], { cwd, env });
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toBe('lab: lab "small-lab" is not running; lab up starts it\n');
  }, 90_000);
});
