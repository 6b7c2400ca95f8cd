/**
 * `lab up`, `lab status`, `lab down`, `lab reset` as a user runs them: a real child process on a small
 * topology, its lab directory, resuming at the saved virtual time, and the errors a user can cause.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyslogCollector } from '#lab';
import { REPO, runLab, tempDir } from '#test-support/cloud-process.ts';
import { startLabUp } from '#test-support/lab-up-process.ts';

const SMALL = join(REPO, 'test/fixtures/topologies/small.topology.yaml');
const BAD = join(REPO, 'test/fixtures/topologies/bad.topology.yaml');
/** What `npm start` runs, read from package.json so the test follows the script. */
const DEMO_ARGS = (
  JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .slice(2);
const START = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const env = { CI: '1' };

const labJson = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.lab/small-lab/lab.json'), 'utf8'));
const statusJson = (cwd: string) => JSON.parse(readFileSync(join(cwd, '.lab/small-lab/status.json'), 'utf8'));

/** The first of `n` consecutive UDP ports that are free now. */
async function freeUdpPorts(n: number): Promise<number> {
  // Below Linux's ephemeral range (32768–60999), where other tests' port-0 binds land.
  for (let base = 10_000 + Math.floor(Math.random() * 20_000); ; base += n) {
    const sockets = Array.from({ length: n }, () => createSocket('udp4'));
    const bound = await Promise.all(
      sockets.map(
        (s, i) =>
          new Promise<boolean>((done) => {
            s.once('error', () => done(false));
            s.bind(base + i, '127.0.0.1', () => done(true));
          }),
      ),
    );
    await Promise.all(sockets.map((s) => new Promise<void>((done) => s.close(() => done()))));
    if (bound.every(Boolean)) return base;
  }
}

describe('lab up', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('puts every device message on the wire: its own collector counts them, a --syslog host over TCP gets them', async () => {
    const external = await SyslogCollector.listen({ now: () => 0 });
    try {
      const run = await runLab(
        [
          'up',
          SMALL,
          '--step',
          '--until',
          '1d',
          '--port',
          '0',
          '--control-port',
          '0',
          '--syslog-port',
          '0',
          '--syslog',
          `tcp:127.0.0.1:${external.tcpPort}`,
        ],
        { cwd: tempDir('lab-up-syslog-'), env, timeoutMs: 60_000 },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /syslog collector udp\+tcp 127\.0\.0\.1:\d+, tls 127\.0\.0\.1:\d+ \(CA .*\) · also sent to tcp:127\.0\.0\.1:/,
      );
      const own = /syslog collector: (\d+) messages received \(udp \d+, tcp 0, tls 0\), 0 lost, 0 malformed/.exec(
        run.stdout,
      );
      expect(Number(own?.[1])).toBeGreaterThanOrEqual(16);
      // Every message went to both collectors, and the senders' own count says so.
      expect(run.stdout).toContain(
        `[lab] devices' senders: syslog ${2 * Number(own?.[1])} sent, 0 dropped (queue full), 0 failed;`,
      );
      const counts = external.counts();
      expect(counts).toMatchObject({ received: Number(own?.[1]), lost: 0, malformed: 0 });
      expect(Object.keys(counts.devices).sort()).toEqual(['sw-01', 'sw-02', 'sw-03', 'wan-router']);
      const registered = external.messages({ device: 'sw-01', mnemonic: 'AUTH_RENEW_SUCCESS' });
      expect(registered[0]).toMatchObject({ format: 'ios', transport: 'tcp', severity: 6, pri: 190 });
      expect(registered[0]?.raw).toMatch(
        /^<190>\d+: sw-01: \*?\w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: %SMART_LIC-6-AUTH_RENEW_SUCCESS: /,
      );
    } finally {
      await external.close();
    }
  });

  it.skipIf(!existsSync('/usr/bin/snmpget'))(
    'serves every device of a sharded lab on one SNMP port by community@hostname, live, and takes TLS syslog',
    async () => {
      const cwd = tempDir('lab-up-snmp-');
      const base = await freeUdpPorts(4);
      const ports = ['--syslog-port', '0', '--trap-port', '0', '--snmp-port', '0', '--snmp-device-ports', `${base}`];
      const lab = startLabUp(
        [SMALL, '--shards', '2', '--speed', '3600', '--port', '0', '--control-port', '0', ...ports],
        cwd,
        children,
      );
      await lab.ready;
      const snmpPort = /SNMP agent udp 127\.0\.0\.1:(\d+) \(v1\/v2c read-only/.exec(lab.out())![1]!;
      const tlsPort = /tls 127\.0\.0\.1:(\d+) \(CA .*syslog-ca\.pem\)/.exec(lab.out())![1]!;
      // Patient where an answer is due (a shard's round trip under CI load), brief where none is.
      const get = (community: string, oid: string, port = snmpPort, answered = true) =>
        new Promise<string>((done) =>
          execFile(
            'snmpget',
            ['-v2c', '-c', community, ...(answered ? ['-t', '2', '-r', '2'] : ['-t', '1', '-r', '0'])].concat([
              '-Oqv',
              `127.0.0.1:${port}`,
              oid,
            ]),
            (_err, stdout, stderr) => done((stdout + stderr).trim()),
          ),
        );
      expect(await get('public@sw-01', '1.3.6.1.2.1.1.5.0')).toBe('"sw-01"');
      expect(await get('public@WAN-ROUTER', '1.3.6.1.2.1.47.1.1.1.1.13.1')).toMatch(/^"ISR4331\/K9"$/);
      // A community the device does not answer, a device the lab does not have: no answer, as on IOS.
      expect(await get('private@sw-01', '1.3.6.1.2.1.1.5.0', snmpPort, false)).toMatch(/Timeout/);
      expect(await get('public@sw-99', '1.3.6.1.2.1.1.5.0', snmpPort, false)).toMatch(/Timeout/);
      // A port per device too, in topology order, with a plain community.
      expect(await get('public', '1.3.6.1.2.1.1.5.0', `${base + 3}`)).toBe('"wan-router"');
      const exec = (line: string) => runLab(['exec', 'sw-01', line], { cwd, env });
      for (const line of [
        'configure terminal',
        'snmp-server location Lyon, rack 7',
        'snmp-server community ops RO',
        `logging host 127.0.0.1 transport tls port ${tlsPort}`,
        'end',
      ])
        expect((await exec(line)).code).toBe(0);
      // The walk reads the device's live configuration, in its shard.
      expect(await get('ops@sw-01', '1.3.6.1.2.1.1.6.0')).toBe('"Lyon, rack 7"');
      lab.child.kill('SIGTERM');
      expect(await lab.closed).toBe(0);
      expect(lab.err()).toBe('');
      // %SYS-6-LOGGINGHOST_STARTSTOP and %SYS-5-CONFIG_I at least came back over TLS, trusted by the lab CA.
      const tls = /syslog collector: \d+ messages received \(udp \d+, tcp 0, tls (\d+)\), 0 lost/.exec(lab.out());
      expect(Number(tls?.[1])).toBeGreaterThanOrEqual(2);
      expect(lab.out()).toMatch(/SNMP agent: (\d+) requests, (\d+) answered, 2 unknown community/);
      expect(lab.out()).toContain(`SNMP agents per device udp 127.0.0.1:${base}-${base + 3} (sw-01 on ${base},`);
      expect(readFileSync(join(cwd, '.lab/small-lab/syslog-ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    },
    90_000,
  );

  it('runs a topology to --until in stepped time, registers and authorizes every smart device, and saves', async () => {
    const cwd = tempDir('lab-up-');
    const run = await runLab(['up', SMALL, '--step', '--until', '2d', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/small-lab: 4 devices started/);
    expect(run.stdout).toMatch(/--until 2d reached: saving and stopping at 2026-03-03T00:00:00.000Z/);
    // The last summary line: every device registered and authorized.
    expect(run.stdout).toMatch(/4 devices: AUTHORIZED 4 · exchanges \d+/);
    const state = labJson(cwd);
    expect(state).toMatchObject({ name: 'small-lab', firstStart: START, labTime: START + 2 * DAY });
    expect(state.told.sort()).toEqual(['sw-01', 'sw-02', 'sw-03', 'wan-router']);
    expect(statusJson(cwd).totals).toEqual({ AUTHORIZED: 4 });
    expect(existsSync(join(cwd, '.lab/small-lab/lab.pid'))).toBe(false);

    // Resumed: same virtual time onward, same devices (their storage), nobody registers again.
    const sent = statusJson(cwd).exchanges.sent;
    const again = await runLab(['up', SMALL, '--step', '--until', '1d', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/4 devices resumed/);
    expect(again.stdout).toMatch(/stopping at 2026-03-04T00:00:00.000Z/);
    expect(again.stdout).toMatch(/4 devices: AUTHORIZED 4 · exchanges 0 /);
    expect(labJson(cwd).labTime).toBe(START + 3 * DAY);
    expect(sent).toBeGreaterThanOrEqual(8);

    const status = await runLab(['status'], { cwd, env });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/small-lab: stopped at 2026-03-04T00:00:00.000Z/);
    expect(status.stdout).toMatch(/4 devices: AUTHORIZED 4/);

    // A fault a user added while the lab ran comes back with the lab, for what is left of it.
    const file = join(cwd, '.lab/small-lab/lab.json');
    const unreachable = {
      spec: { kind: 'unreachable', select: 'sw-01' },
      startsAt: START + DAY,
      endsAt: START + 5 * DAY,
    };
    writeFileSync(file, JSON.stringify({ ...labJson(cwd), faults: [unreachable] }));
    const withFault = await runLab(['up', SMALL, '--step', '--until', '1d', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    expect(withFault.code, withFault.stderr).toBe(0);
    expect(withFault.stdout).toMatch(/fault f1 unreachable started on 1 devices \(sw-01\)/);
    expect(labJson(cwd).faults).toEqual([unreachable]);
    writeFileSync(
      file,
      JSON.stringify({ ...labJson(cwd), faults: [{ ...unreachable, spec: { kind: 'meteor', select: 'all' } }] }),
    );
    const broken = await runLab(['up', SMALL, '--step', '--until', '1d'], { cwd, env, timeoutMs: 60_000 });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/lab\.json: a saved fault kind: .*move the file away to start over/);
    expect(labJson(cwd).faults).toHaveLength(1);
  }, 150_000);

  it('with --shards 2 runs the same lab as in one thread: same summary, same saved state', async () => {
    const runs = [];
    for (const shards of ['0', '2']) {
      const cwd = tempDir('lab-up-');
      const args = ['up', SMALL, '--step', '--until', '2d', '--shards', shards, '--port', '0', '--control-port', '0'];
      const run = await runLab(args, { cwd, env, timeoutMs: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      runs.push({ out: run.stdout, state: labJson(cwd), status: statusJson(cwd) });
    }
    const [one, two] = runs;
    expect(one!.out).toMatch(/4 devices started in \d+ ms .*\(clock stepped; one thread\)/);
    expect(two!.out).toMatch(/4 devices started in \d+ ms .*\(clock stepped; 2 shards\)/);
    const last = (out: string) =>
      out
        .trim()
        .split('\n')
        .filter((l) => l.includes('4 devices: '))
        .at(-1)!
        .replace(/\(.*\/s/, '');
    expect(last(two!.out)).toBe(last(one!.out));
    const saved = (state: { told: string[] }) => ({ ...state, told: [...state.told].sort() });
    expect(saved(two!.state)).toEqual(saved(one!.state));
    expect(two!.status.totals).toEqual({ AUTHORIZED: 4 });
    expect(two!.status.exchanges.sent).toBe(one!.status.exchanges.sent);
  }, 150_000);

  it('registers devices at their arrival times, not before', async () => {
    const cwd = tempDir('lab-up-');
    // Waves of one over 30 minutes: at 5 minutes only the first switch and the router have been told.
    const run = await runLab(['up', SMALL, '--step', '--until', '5m', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    expect(run.code).toBe(0);
    expect(labJson(cwd).told.sort()).toEqual(['sw-01', 'wan-router']);
  }, 90_000);

  it('stops on SIGTERM from lab down with its state saved, in scaled time', async () => {
    const cwd = tempDir('lab-up-');
    const lab = startLabUp([SMALL, '--speed', '86400', '--port', '0', '--control-port', '0'], cwd, children);
    await lab.ready;
    const status = await runLab(['status', join(cwd, '.lab/small-lab')], { cwd, env });
    expect(status.stdout).toMatch(/small-lab: running \(pid \d+\)/);

    // The lab's own endpoint: Prometheus text and the summary as JSON, read-only.
    const control = /metrics (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(lab.out())![1]!;
    let metrics = '';
    const authorized = /license_lab_devices\{state="AUTHORIZED",kind="catalyst-9300",site="lyon"\} 3/;
    for (let i = 0; i < 100 && !authorized.test(metrics); i++) {
      await new Promise((r) => setTimeout(r, 200));
      metrics = await (await fetch(`${control}/metrics`)).text();
    }
    expect(metrics).toMatch(authorized);
    // No kind in the topology: devices count under their platform family.
    expect(metrics).toMatch(/license_lab_devices\{state="AUTHORIZED",kind="isr-4000",site="lyon"\} 1/);
    expect(metrics).toMatch(/license_lab_exchanges_total\{operation="register",outcome="ok"\} 4/);
    expect(metrics).toMatch(/license_lab_exchange_duration_seconds_count\{operation="authorize"\} \d+/);
    expect(metrics).toMatch(/license_lab_messages_total\{kind="syslog"\} \d+/);
    expect(((await (await fetch(`${control}/status`)).json()) as { totals: unknown }).totals).toEqual({
      AUTHORIZED: 4,
    });
    expect((await fetch(`${control}/nowhere`)).status).toBe(404);
    expect((await fetch(`${control}/metrics`, { method: 'POST' })).status).toBe(405);
    const down = await runLab(['down', join(cwd, '.lab/small-lab')], { cwd, env, timeoutMs: 60_000 });
    expect(down.stdout).toMatch(/stopped, state saved/);
    expect(await lab.closed).toBe(0);
    expect(lab.out()).toMatch(/SIGTERM: saving and stopping/);
    expect(lab.err()).toBe('');
    expect(labJson(cwd).labTime).toBeGreaterThan(START);
  }, 90_000);

  it("npm start's demo: 1,000 devices come up, register and authorize in scaled time", async () => {
    const cwd = tempDir('lab-up-');
    const lab = startLabUp([join(REPO, DEMO_ARGS[1]!), '--port', '0', '--control-port', '0'], cwd, children);
    await lab.ready;
    expect(lab.out()).toMatch(/\[lab\] demo: 1000 devices started/);
    // The most devices AUTHORIZED on any summary line so far (the campus pool runs short later).
    const authorized = () =>
      Math.max(0, ...[...lab.out().matchAll(/· 1000 devices: AUTHORIZED (\d+)/g)].map((m) => Number(m[1])));
    for (let i = 0; i < 600 && authorized() < 970; i++) await new Promise((r) => setTimeout(r, 100));
    expect(authorized()).toBe(970);
    lab.child.kill('SIGTERM');
    expect(await lab.closed).toBe(0);
    expect(lab.err()).toBe('');
  }, 120_000);

  it('refuses a second lab up of a running lab', async () => {
    const cwd = tempDir('lab-up-');
    const lab = startLabUp([SMALL, '--speed', '1', '--port', '0', '--control-port', '0'], cwd, children);
    await lab.ready;
    const second = await runLab(['up', SMALL, '--step', '--until', '1d'], { cwd, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/^lab: lab "small-lab" is already running \(pid \d+\); lab down stops it\n$/);
    lab.child.kill('SIGTERM');
  }, 60_000);

  it('reports a bad topology with file, line and column, and creates nothing', async () => {
    const cwd = tempDir('lab-up-');
    const run = await runLab(['up', BAD, '--step', '--until', '1d'], { cwd, env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^lab: .*bad\.topology\.yaml:5:16: licensing must be one of smart, traditional/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(existsSync(join(cwd, '.lab'))).toBe(false);
  });

  it('refuses bad flags with one line naming the value', async () => {
    const cwd = tempDir('lab-up-');
    const cases: [string[], RegExp][] = [
      [['up'], /needs a topology file/],
      [['up', SMALL, '--until', 'soon'], /--until must be a duration like 90d, 12h or 30m, got "soon"/],
      [['up', SMALL, '--speed=-3'], /--speed must be a number > 0, got "-3"/],
      [['up', SMALL, '--step', '--speed', '10'], /--step and --speed exclude each other/],
      [['up', SMALL, '--port', 'x'], /--port must be a whole number/],
      [['up', SMALL, '--shards', 'many'], /--shards must be a whole number from 0 to 64, got "many"/],
      [['up', SMALL, '--cloud', 'http://127.0.0.1:9', '--shards', '2'], /--shards needs the embedded cloud/],
      [['down'], /needs the topology file or the lab directory/],
      [['status', 'nowhere'], /"nowhere" is neither a topology file \(\.yaml\) nor a lab directory/],
      [['up', SMALL, '--syslog-rate', '0'], /--syslog-rate must be a whole number from 1 to 10000000, got "0"/],
      [['up', SMALL, '--snmp-community', 'ro@x'], /--snmp-community must be 1 to 32 printable characters without '@'/],
      [
        ['up', SMALL, '--snmp-device-ports', '65534'],
        /--snmp-device-ports must be a port from 1 with room for 4 ports/,
      ],
      [['up', SMALL, '--syslog-ca', 'nowhere.pem'], /cannot read --syslog-ca nowhere\.pem: ENOENT/],
      [['up', SMALL, '--syslog-ca', 'bad.pem'], /--syslog-ca bad\.pem certificate 1 of 1 does not parse/],
    ];
    writeFileSync(join(cwd, 'bad.pem'), '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    for (const [args, message] of cases) {
      const run = await runLab(args, { cwd, env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  }, 60_000);

  it('refuses a damaged syslog CA in the lab directory with one line, and leaves it as it is', async () => {
    const cwd = tempDir('lab-up-');
    const dir = join(cwd, '.lab/small-lab');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'syslog-ca.pem'), 'garbage');
    const run = await runLab(['up', SMALL, '--step', '--until', '1d', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /syslog-ca\.pem and .*syslog-ca\.key\.pem are not a CA the lab can use .*move both away/,
    );
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(readFileSync(join(dir, 'syslog-ca.pem'), 'utf8')).toBe('garbage');
  }, 60_000);

  it('lab reset needs --yes, and deletes only a lab directory', async () => {
    const cwd = tempDir('lab-up-');
    await runLab(['up', SMALL, '--step', '--until', '1h', '--port', '0', '--control-port', '0'], {
      cwd,
      env,
      timeoutMs: 60_000,
    });
    const dir = join(cwd, '.lab/small-lab');
    const refused = await runLab(['reset', dir], { cwd, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/add --yes to confirm/);
    expect(existsSync(join(dir, 'lab.json'))).toBe(true);
    const notALab = await runLab(['reset', cwd, '--yes'], { cwd, env });
    expect(notALab.code).toBe(2);
    expect(notALab.stderr).toMatch(/is not a lab directory; nothing deleted/);
    const reset = await runLab(['reset', dir, '--yes'], { cwd, env });
    expect(reset.code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  }, 90_000);
});
