/** The SLP chart through real devices on a stepped lab clock and a scripted SLP cloud: every state and timer. */
import { describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { DAY, HOUR, MINUTE, RUM_REPORT_MAX, type PollResponse } from '#protocol';
import { MemoryBackend } from '../storage/memory-backend.ts';
import type { SlpRecord } from './slp-record.ts';
import {
  ackFor,
  authorizationCode,
  lines,
  mnemonics,
  ScriptedSlpCloud,
  signed,
  slpFile,
  slpLab,
  START,
  sudiOf,
  trustCodeFor,
} from './slp.test-support.ts';

const comm = { ok: false as const, kind: 'comm' as const, reason: 'Unable to resolve server hostname/domain name' };
const refusal = (code: string, reason: string) => ({
  ok: false as const,
  kind: 'refused' as const,
  code,
  status: 400,
  message: reason,
  reason,
});
const value = (d: { agentState(): { value: unknown } | undefined }) => d.agentState()?.value as Record<string, unknown>;
const recordOf = (d: { agentState(): { context: unknown } | undefined }) =>
  (d.agentState()!.context as { record: SlpRecord }).record;

function stateIds(v: unknown, prefix = 'slp'): string[] {
  if (typeof v === 'string') return [prefix, `${prefix}.${v}`];
  return [prefix, ...Object.entries(v as object).flatMap(([k, x]) => stateIds(x, `${prefix}.${k}`))];
}

describe('the SLP chart', () => {
  it('boots with licenses in use, no registration, the default policy and REPORTING_REQUIRED', () => {
    const { device } = slpLab();
    const d = device();
    expect(d.view().licensingMode).toBe('slp');
    expect(value(d)).toEqual({
      communication: 'ok',
      ack: 'pending',
      push: { scheduled: 'waiting' },
      trust: 'none',
      authorization: 'idle',
      usage: 'collecting',
      reservation: 'disabled',
    });
    // network-advantage (perpetual, first report 365 d) + dna-advantage (subscription, 90 d): 90 days.
    expect(lines(d, 'REPORTING_REQUIRED')).toEqual([
      '*Mar 13 08:00:00.000: %SMART_LIC-6-REPORTING_REQUIRED: A Usage report acknowledgement will be required in 90 days.',
    ]);
    const v = d.slp()!;
    expect(v.usageReporting.nextAckDeadline).toBe(START + 90 * DAY);
    expect(v.reports.map((r) => [r.feature, r.state])).toEqual([
      ['network-advantage', 'OPEN'],
      ['dna-advantage', 'OPEN'],
    ]);
    expect(v.reports[1]!.id).toBe(v.reports[0]!.id + 1);
    expect(v.licenses.every((l) => l.inUse)).toBe(true);
  });

  it('a perpetual-only router owes its first report in 365 days, then none once ACKed (frequency 0)', async () => {
    const { device, clock } = slpLab();
    const r = device({ pid: 'ISR4451-X/K9', sn: 'FGL2231A0AA', release: '17.12.4', bootLevel: 'appxk9' });
    expect(r.slp()!.usageReporting.nextAckDeadline).toBe(START + 365 * DAY);
    r.setSlpConfig({ transport: 'off' });
    r.writeMemory();
    await clock.advance(DAY);
    r.exec('reload');
    await clock.advance(MINUTE);
    expect(lines(r, 'REPORTING_REQUIRED').at(-1)).toBe(
      '*Mar 14 08:01:00.000: %SMART_LIC-6-REPORTING_REQUIRED: A Usage report acknowledgement will be required in 363 days.',
    );
    r.setSlpConfig({ transport: 'cslu' });
    r.slpLicense({ type: 'license.sync' });
    await clock.advance(5 * MINUTE);
    expect(mnemonics(r)).toContain('RUM_ACK_RECEIVED');
    expect(value(r).ack).toBe('none');
    expect(r.slp()!.usageReporting).toMatchObject({ pushIntervalDays: 0 });
    expect(r.slp()!.usageReporting.nextAckDeadline).toBeUndefined();
  });

  it('pushes 39 s after boot, polls for the ACK when the cloud says, installs it, then waits for the next push', async () => {
    const cloud = new ScriptedSlpCloud();
    const { device, clock } = slpLab({ cloud });
    const d = device();
    await clock.advance(38_000);
    expect(cloud.calls).toEqual([]);
    await clock.advance(1_000);
    expect(value(d).push).toEqual({ scheduled: 'polling' });
    const sent = cloud.calls[0]!;
    expect(sent.caller.destination).toEqual({ kind: 'cslu', url: 'http://cslu-local:8182/cslu/v1/pi' });
    expect(sent.usage).toHaveLength(2);
    const pushed = START + 39_000;
    expect(d.slp()!.usageReporting).toMatchObject({ lastReportPush: pushed, nextAckPushCheck: pushed + 300_000 });
    await clock.advance(300_000);
    expect(value(d).push).toEqual({ scheduled: 'waiting' });
    expect(mnemonics(d)).toContain('RUM_ACK_RECEIVED');
    const v = d.slp()!;
    // The ACK named both reports: they left storage; the deadline counts from the ACK (subscription 90 d).
    expect(v.acked).toBe(2);
    expect(v.reports.map((r) => r.state)).toEqual(['OPEN', 'OPEN']);
    expect(v.usageReporting.lastAckAt).toBe(pushed + 300_000);
    expect(v.usageReporting.nextAckDeadline).toBe(pushed + 300_000 + 90 * DAY);
    expect(v.usageReporting.nextReportPush).toBe(pushed + 30 * DAY);
    expect(v.account).toMatchObject({ smartAccount: 'example.com', virtualAccount: 'Default' });
    await clock.advance(30 * DAY);
    expect(cloud.calls.filter((c) => c.op === 'reportUsage')).toHaveLength(2);
  });

  it('retries a failed push with back-off, COMM_FAILED each time (CSLU wording), COMM_RESTORED once through', async () => {
    const cloud = new ScriptedSlpCloud();
    let fail = true;
    cloud.reportUsageAnswer = () => (fail ? comm : undefined);
    const { device, clock } = slpLab({ cloud });
    const d = device();
    await clock.advance(39_000);
    expect(value(d)).toMatchObject({ communication: 'failing', push: { scheduled: 'retrying' } });
    expect(lines(d, 'COMM_FAILED')).toEqual([
      '*Mar 13 08:00:39.000: %SMART_LIC-3-COMM_FAILED: Communications failure with the Cisco Smart License Utility (CSLU) : Unable to resolve server hostname/domain name',
    ]);
    await clock.advance(5 * MINUTE);
    await clock.advance(10 * MINUTE);
    expect(lines(d, 'COMM_FAILED')).toHaveLength(3);
    fail = false;
    await clock.advance(20 * MINUTE);
    expect(value(d)).toMatchObject({ communication: 'ok', push: { scheduled: 'polling' } });
    expect(lines(d, 'COMM_RESTORED')).toEqual([
      '*Mar 13 08:35:39.000: %SMART_LIC-5-COMM_RESTORED: Communications with Cisco Smart License Utility (CSLU) restored',
    ]);
  });

  it('failed pushes back off from 5 minutes, doubling, to once a day (pushRetryMax)', async () => {
    const cloud = new ScriptedSlpCloud();
    cloud.reportUsageAnswer = () => comm;
    const { device, clock } = slpLab({ cloud });
    const d = device();
    await clock.advance(10 * DAY);
    const at = d
      .events()
      .filter((e) => e.syslog.mnemonic === 'COMM_FAILED')
      .map((e) => e.labTime);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps.slice(0, 4)).toEqual([5 * MINUTE, 10 * MINUTE, 20 * MINUTE, 40 * MINUTE]);
    expect(gaps.slice(-3)).toEqual([DAY, DAY, DAY]);
    expect(() => device({ sn: 'FCW2303D16Z', slpTimers: { rumWindow: DAY } })).toThrow(
      /unknown smart licensing using policy timer "rumWindow"; valid timers: reportInterval, firstPush/,
    );
  });

  it('a hung exchange fails at the request timeout; a refused push waits for the next one', async () => {
    const cloud = new ScriptedSlpCloud();
    cloud.reportUsageAnswer = () => 'hang';
    const { device, clock } = slpLab({ cloud });
    const d = device();
    await clock.advance(39_000 + 60_000);
    expect(value(d).push).toEqual({ scheduled: 'retrying' });
    expect(lines(d, 'COMM_FAILED').at(-1)).toMatch(/Communication message send error$/);
    cloud.reportUsageAnswer = () => refusal('RUM_REPORT_INVALID', 'A RUM report is malformed');
    await clock.advance(5 * MINUTE);
    expect(value(d)).toMatchObject({ communication: 'failing', push: { scheduled: 'waiting' } });
    expect(lines(d, 'COMM_FAILED').at(-1)).toMatch(/: A RUM report is malformed$/);
    expect(d.slp()!.usageReporting.nextReportPush).toBe(clock.now() + 30 * DAY);
  });

  it('polls again while the cloud answers OK_POLL, and refuses an ACK that is not for it', async () => {
    const cloud = new ScriptedSlpCloud();
    const pending: PollResponse = { status: 'OK_POLL', poll_id: '1', message: '' };
    cloud.pollAnswer = () => ({ ok: true, body: pending });
    const { device, clock } = slpLab({ cloud });
    const d = device();
    await clock.advance(39_000 + 300_000);
    expect(value(d).push).toEqual({ scheduled: 'polling' });
    expect(d.slp()!.usageReporting.nextAckPushCheck).toBe(clock.now() + 2 * MINUTE);
    const other = { udi_pid: 'C9300-24P', udi_serial_number: 'FOC0000X000' };
    cloud.pollAnswer = () => refusal('POLL_UNKNOWN', 'No poll of this caller has this poll id and action.');
    await clock.advance(2 * MINUTE);
    expect(value(d).push).toEqual({ scheduled: 'waiting' });
    expect(lines(d, 'COMM_FAILED').at(-1)).toMatch(/: No poll of this caller has this poll id and action\.$/);
    // ACK for another device, via sync: logged, nothing installed.
    cloud.pollAnswer = undefined;
    const held = d.slp()!.reports.length;
    const real = cloud.poll.bind(cloud);
    cloud.poll = async (caller, pollId, action) => real({ ...caller, sudi: other }, pollId, action);
    expect(d.slpLicense({ type: 'license.sync' })).toEqual({ ok: true, output: '' });
    await clock.advance(300_000);
    expect(lines(d, 'COMM_FAILED').at(-1)).toMatch(
      /Invalid license document: it is for another device \(PID:C9300-24P,SN:FOC0000X000\)$/,
    );
    expect(d.slp()!.reports.length).toBe(held + 2);
    expect(mnemonics(d)).not.toContain('RUM_ACK_RECEIVED');
  });

  it('transport off: no pushes; REPORTING_REQUIRED daily in the last 30 days, RUM_ACK_NOT_RECEIVED daily past the deadline', async () => {
    const cloud = new ScriptedSlpCloud();
    const { device, clock } = slpLab({ cloud });
    const d = device();
    d.setSlpConfig({ transport: 'off' });
    expect(value(d).push).toBe('off');
    await clock.advance(59 * DAY);
    expect(lines(d, 'REPORTING_REQUIRED')).toHaveLength(1);
    await clock.advance(DAY);
    expect(lines(d, 'REPORTING_REQUIRED').at(-1)).toMatch(/required in 30 days\.$/);
    await clock.advance(29 * DAY);
    expect(lines(d, 'REPORTING_REQUIRED')).toHaveLength(31);
    await clock.advance(DAY);
    expect(value(d).ack).toBe('overdue');
    expect(lines(d, 'RUM_ACK_NOT_RECEIVED')).toEqual([
      '*Jun 11 08:00:00.000: %SMART_LIC-4-RUM_ACK_NOT_RECEIVED: A Usage report acknowledgement was required 0 days ago and has not been received.',
    ]);
    await clock.advance(2 * DAY);
    expect(lines(d, 'RUM_ACK_NOT_RECEIVED').at(-1)).toMatch(/required 2 days ago/);
    expect(cloud.calls).toEqual([]);
    // Reports still close with their 30-day window, ready for `save usage`: 3 windows of 2 licenses.
    expect(d.slp()!.reports.filter((r) => r.state === 'CLOSED')).toHaveLength(6);
  });

  it('closes open reports after the report window, measured from the window alone', async () => {
    const { device, clock } = slpLab();
    const d = device();
    d.setSlpConfig({ transport: 'off' });
    await clock.advance(30 * DAY);
    const closed = recordOf(d).reports.filter((r) => r.state === 'CLOSED');
    expect(closed).toHaveLength(2);
    const m = JSON.parse(closed[0]!.signed!.payload).measurements[0];
    expect(m).toMatchObject({
      sample_interval: 900,
      num_samples: (30 * DAY) / 900_000,
      value: { type: 'COUNT', value: '1' },
    });
    expect(m.meta.termination_reason).toBe('ReportWindowElapsed');
    expect(closed[0]!.signed!.signature.key).toBe(
      d.agentState() && (d.agentState()!.context as { device: { publicKeySpkiB64: string } }).device.publicKeySpkiB64,
    );
  });

  it(`keeps at most ${RUM_REPORT_MAX} reports: the oldest unacknowledged are purged`, async () => {
    const { device, clock } = slpLab();
    const d = device({ slpTimers: { rumReportWindow: HOUR } });
    d.setSlpConfig({ transport: 'off' });
    await clock.advance(320 * HOUR);
    const v = d.slp()!;
    expect(v.reports).toHaveLength(RUM_REPORT_MAX);
    // 320 windows of 2 licenses closed, 2 open now: the 42 oldest closed ones went.
    expect(v.purged).toBe(2 * 320 + 2 - RUM_REPORT_MAX);
    expect(v.reports.filter((r) => r.state === 'OPEN')).toHaveLength(2);
    expect(v.reports[0]!.start).toBe(START + 21 * HOUR);
  });

  it('keeps stored reports, signatures and all, across a reload and a power loss', async () => {
    const storage = new MemoryBackend();
    const { device, clock } = slpLab();
    const d = device({ storage });
    d.setSlpConfig({ transport: 'off' });
    d.writeMemory();
    await clock.advance(30 * DAY);
    const before = recordOf(d).reports.filter((r) => r.state === 'CLOSED');
    expect(before).toHaveLength(2);
    d.exec('reload');
    await clock.advance(MINUTE);
    expect(recordOf(d).reports.filter((r) => r.state === 'CLOSED')).toEqual(before);
    d.powerLoss();
    await clock.advance(MINUTE);
    expect(recordOf(d).reports.filter((r) => r.state === 'CLOSED')).toEqual(before);
  });

  it('direct reporting needs a trust code: untrusted until one is installed, force to replace it', async () => {
    const cloud = new ScriptedSlpCloud();
    const { device, clock } = slpLab({ cloud });
    const d = device();
    d.setSlpConfig({ transport: 'smart' });
    expect(value(d)).toMatchObject({ push: 'untrusted', trust: 'none' });
    await clock.advance(MINUTE);
    expect(cloud.calls).toEqual([]);
    expect(d.slpLicense({ type: 'license.sync' })).toMatchObject({ ok: false });
    cloud.trustAnswer = () => 'hang';
    d.slpLicense({ type: 'license.trust', idToken: 'TOKEN', scope: 'local', force: false });
    expect(value(d).trust).toBe('requesting');
    expect(d.slpLicense({ type: 'license.trust', idToken: 'TOKEN', scope: 'local', force: false })).toEqual({
      ok: false,
      error: '% A trust code request is already in progress',
    });
    await clock.advance(MINUTE);
    expect(value(d).trust).toBe('none');
    expect(lines(d, 'TRUST_CODE_INSTALL_FAILED').at(-1)).toMatch(
      /has failed on PID:C9300-24P,SN:FCW2303D16Y: Communication message send error\.$/,
    );
    cloud.trustAnswer = undefined;
    d.slpLicense({ type: 'license.trust', idToken: 'TOKEN', scope: 'local', force: false });
    await clock.advance(1);
    expect(value(d)).toMatchObject({ trust: 'installed', push: { scheduled: 'waiting' } });
    expect(d.slp()!.usageReporting.nextReportPush).toBe(clock.now() - 1 + 39_000);
    expect(lines(d, 'TRUST_CODE_INSTALL_SUCCESS')).toHaveLength(1);
    expect(d.slp()!.trust).toMatchObject({ validFrom: START - 300_000 });
    await clock.advance(5 * MINUTE);
    expect(cloud.calls.filter((c) => c.op === 'reportUsage').map((c) => c.caller.destination)).toEqual([
      { kind: 'cssm' },
    ]);
    d.slpLicense({ type: 'license.trust', idToken: 'TOKEN', scope: 'local', force: false });
    expect(lines(d, 'TRUST_CODE_INSTALL_FAILED').at(-1)).toMatch(
      /Trust code is already installed\. Use the force option to replace it\.$/,
    );
    cloud.trustAnswer = () => refusal('TOKEN_UNKNOWN', 'The ID token is not valid.');
    d.slpLicense({ type: 'license.trust', idToken: 'BAD', scope: 'all', force: true });
    await clock.advance(1);
    expect(value(d).trust).toBe('installed');
    expect(lines(d, 'TRUST_CODE_INSTALL_FAILED').at(-1)).toMatch(/: The ID token is not valid\.$/);
  });

  it('a trust code for another key is refused and nothing is installed', async () => {
    const cloud = new ScriptedSlpCloud();
    cloud.trustAnswer = (c) => ({
      ok: true,
      body: {
        status: 'SUCCESS',
        smart_license: Buffer.from(JSON.stringify(trustCodeFor(c.sudi, 'AAAA'))).toString('base64'),
      },
    });
    const { device, clock } = slpLab({ cloud });
    const d = device();
    d.setSlpConfig({ transport: 'smart' });
    d.slpLicense({ type: 'license.trust', idToken: 'T', scope: 'local', force: false });
    await clock.advance(1);
    expect(value(d).trust).toBe('none');
    expect(lines(d, 'TRUST_CODE_INSTALL_FAILED').at(-1)).toMatch(
      /the trust code is bound to another key than this device's\.$/,
    );
  });

  it('imports a policy and an ACK from a file; refuses bad files whole, storage bytes unchanged', async () => {
    const storage = new MemoryBackend();
    const { device, clock } = slpLab();
    const d = device({ storage });
    d.setSlpConfig({ transport: 'off' });
    d.writeMemory();
    await clock.advance(30 * DAY);
    const ids = recordOf(d)
      .reports.filter((r) => r.state === 'CLOSED')
      .map((r) => r.id);
    const bytes = () => Buffer.from(storage.read(storage.keys()[0]!)!);
    const before = bytes();
    const refuse = (text: string) => d.slpLicense({ type: 'license.import', path: 'flash:ack.xml', text });
    const good = slpFile([ackFor(d, ids)]);
    const tampered = good.replace('example.com', 'exemple.com');
    expect(refuse(tampered)).toEqual({
      ok: false,
      error: '% Import of flash:ack.xml failed: signature is not valid. Nothing was installed.',
    });
    expect(refuse(good.slice(0, good.length - 20)).ok).toBe(false);
    expect(refuse(slpFile([ackFor(d, [...ids, 42])]))).toMatchObject({
      error: expect.stringMatching(/reports this device does not hold \(42\)/),
    });
    const foreign = signed('RUM_ACK', {
      sudi: { ...sudiOf(d), udi_serial_number: 'FOC1' },
      report_ids: ids,
      acknowledged_at: 0,
      smart_account: 'a',
      virtual_account: 'v',
    });
    expect(refuse(slpFile([foreign])).ok).toBe(false);
    expect(
      refuse(
        slpFile([
          signed(
            'RUM_ACK',
            { sudi: sudiOf(d), report_ids: ids, acknowledged_at: 0, smart_account: 'a', virtual_account: 'v' },
            'stranger',
          ),
        ]),
      ),
    ).toMatchObject({
      error: expect.stringMatching(/signed by an unknown key/),
    });
    expect(bytes().equals(before)).toBe(true);
    expect(mnemonics(d)).not.toContain('RUM_ACK_RECEIVED');

    const custom = {
      ...d.slp()!.policy.policy,
      name: 'Custom Policy',
      origin: 'Customer Policy' as const,
      unenforced_subscription: { first_report: 30, reporting_frequency: 30, report_on_change: 30 },
    };
    const policy = signed('POLICY', { policy: custom, issued_at: START });
    expect(refuse(slpFile([ackFor(d, ids), policy]))).toEqual({ ok: true, output: 'Import Data Successful' });
    expect(mnemonics(d).slice(-2)).toEqual(['RUM_ACK_RECEIVED', 'POLICY_INSTALL_SUCCESS']);
    const v = d.slp()!;
    expect(v.reports.every((r) => r.state === 'OPEN')).toBe(true);
    expect(v.policy).toEqual({ policy: custom, installedAt: clock.now() });
    expect(v.usageReporting.nextAckDeadline).toBe(clock.now() + 30 * DAY);
    expect(value(d).ack).toBe('pending');
    // The same ACK again names reports no longer held.
    expect(refuse(slpFile([ackFor(d, ids)])).ok).toBe(false);
  });

  it('factory reset wipes reports, policy, trust and ACK history; usage starts again', async () => {
    const { device, clock } = slpLab();
    const d = device();
    d.setSlpConfig({ transport: 'smart' });
    d.slpLicense({ type: 'license.trust', idToken: 'T', scope: 'local', force: false });
    await clock.advance(HOUR);
    expect(d.slp()!.usageReporting.lastAckAt).toBeDefined();
    d.slpLicense({ type: 'license.factoryReset' });
    const v = d.slp()!;
    expect(v).toMatchObject({ acked: 0, purged: 0, usageReporting: { nextAckDeadline: clock.now() + 90 * DAY } });
    expect(v.trust).toBeUndefined();
    expect(v.usageReporting.lastAckAt).toBeUndefined();
    expect(value(d)).toMatchObject({ trust: 'none', push: 'untrusted', ack: 'pending' });
  });

  it('a device whose licenses need no report has no deadline', () => {
    const { device } = slpLab();
    const d = device({ pid: 'ISR4451-X/K9', sn: 'FGL2231A0AB', release: '17.12.4', bootLevel: 'ipbasek9' });
    expect(d.slp()!.licenses.map((l) => [l.feature, l.class, l.inUse])).toEqual([['hseck9', 'export', false]]);
    expect(value(d).ack).toBe('none');
    expect(d.slp()!.usageReporting).toMatchObject({ pushIntervalDays: 0 });
    expect(mnemonics(d)).not.toContain('REPORTING_REQUIRED');
  });

  it('reaches every state node', async () => {
    const visited = new Set<string>();
    const inspect = (e: { type: string; snapshot?: unknown }) => {
      const s = e.snapshot as { value?: unknown; machine?: { id: string } } | undefined;
      if (e.type === '@xstate.snapshot' && s?.value !== undefined && s.machine?.id === 'slp')
        for (const id of stateIds(s.value)) visited.add(id);
    };
    const cloud = new ScriptedSlpCloud();
    const { device, clock, environment } = slpLab({ cloud });
    const d = device({ inspect });
    await clock.advance(39_000);
    cloud.pollAnswer = () => ({ ok: true, body: { status: 'OK_POLL', poll_id: '1', message: '' } });
    await clock.advance(300_000);
    cloud.pollAnswer = undefined;
    await clock.advance(2 * MINUTE);
    cloud.reportUsageAnswer = () => comm;
    d.slpLicense({ type: 'license.sync' });
    await clock.advance(1);
    cloud.reportUsageAnswer = undefined;
    await clock.advance(5 * MINUTE);
    d.setSlpConfig({ transport: 'smart' });
    d.slpLicense({ type: 'license.trust', idToken: 'T', scope: 'local', force: false });
    await clock.advance(1);
    d.setSlpConfig({ transport: 'off' });
    d.slpLicense({ type: 'license.factoryReset' });
    await clock.advance(100 * DAY);
    const other = device({
      pid: 'ISR4451-X/K9',
      sn: 'FGL2231A0AC',
      release: '17.12.4',
      bootLevel: 'ipbasek9',
      inspect,
    });
    other.slpLicense({ type: 'license.authorize', feature: 'hseck9' });
    await clock.advance(10 * MINUTE);
    expect(other.slp()!.licenses[0]!.inUse).toBe(true);
    other.slpLicense({ type: 'license.authorizationReturn' });
    await clock.advance(10 * MINUTE);
    expect(other.slp()!.licenses[0]!.inUse).toBe(false);
    // Reservation (slp-reservation.test.ts): enabled, requested, SLR installed, replaced by PLR, returned.
    d.exec('configure terminal');
    d.exec('license smart reservation');
    d.exec('end');
    const request = d.exec('license smart reservation request local').trim().split('\n').at(-1)!;
    d.exec(`license smart reservation install ${authorizationCode(request, [])}`);
    d.exec(`license smart reservation install ${authorizationCode(request, [], { type: 'UNIVERSAL' })}`);
    expect(value(d)).toMatchObject({ push: 'reserved', reservation: { installed: 'universal' } });
    d.exec('license smart reservation return local');
    const machine = environment.slp.machine;
    const all = getStateNodes(machine.root)
      .filter((n) => n.always === undefined || n.always.length === 0)
      .map((n) => n.id);
    expect(all.filter((id) => !visited.has(id))).toEqual([]);
  });

  it('export-controlled licenses run only with a SLAC: asked for online, polled, installed, returned', async () => {
    const cloud = new ScriptedSlpCloud();
    const { device, clock } = slpLab({ cloud });
    const r = device({ pid: 'ISR4451-X/K9', sn: 'FGL2231A0AD', release: '17.12.4', bootLevel: 'ipbasek9' });
    const ask = (feature: string) => r.slpLicense({ type: 'license.authorize', feature });
    expect(ask('appxk9')).toEqual({ ok: false, error: '% appxk9 is not a license of this device; licenses: hseck9' });
    r.setSlpConfig({ transport: 'off' });
    expect(ask('hseck9')).toMatchObject({ ok: false, error: expect.stringMatching(/transport is off/) });
    r.setSlpConfig({ transport: 'cslu' });
    cloud.authRequestAnswer = () => comm;
    expect(ask('hseck9')).toEqual({ ok: true, output: '' });
    await clock.advance(1);
    expect(value(r).authorization).toBe('idle');
    expect(lines(r, 'AUTHORIZATION_INSTALL_FAILED')).toEqual([
      '*Mar 13 08:00:00.000: %SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED: The install of a new licensing authorization code has failed on PID:ISR4451-X/K9,SN:FGL2231A0AD: Unable to resolve server hostname/domain name.',
    ]);
    cloud.authRequestAnswer = undefined;
    ask('hseck9');
    expect(ask('hseck9')).toEqual({ ok: false, error: '% An authorization request is already in progress' });
    await clock.advance(1);
    expect(value(r).authorization).toBe('polling');
    await clock.advance(300_000);
    expect(value(r).authorization).toBe('idle');
    expect(lines(r, 'AUTHORIZATION_INSTALL_SUCCESS').at(-1)).toMatch(
      /successfully installed on: PID:ISR4451-X\/K9,SN:FGL2231A0AD\.$/,
    );
    expect(r.slp()!.licenses[0]).toMatchObject({ feature: 'hseck9', inUse: true, authorized: true });
    expect(r.slp()!.reports.map((x) => [x.feature, x.state])).toEqual([['hseck9', 'OPEN']]);
    expect(r.exec('show license usage')).toContain('  Status: IN USE\n  Export status: RESTRICTED - ALLOWED\n');
    expect(ask('hseck9')).toEqual({ ok: false, error: '% hseck9 already holds an authorization code' });
    expect(r.exec('license smart authorization return local online')).toBe('');
    expect(value(r).authorization).toBe('returning');
    await clock.advance(300_000);
    expect(mnemonics(r)).toContain('AUTHORIZATION_REMOVED');
    expect(r.slp()!.licenses[0]).toMatchObject({ inUse: false, authorized: false });
    expect(r.slp()!.reports.map((x) => x.state)).toEqual(['CLOSED']);
    expect(r.exec('license smart authorization return local online')).toBe('% No authorization code is installed\n');
  });

  it('keeps a context that crosses structuredClone unchanged', () => {
    const d = slpLab().device();
    const { context } = d.agentState()!;
    expect(structuredClone(context)).toEqual(context);
    expect(JSON.parse(JSON.stringify(context))).toEqual(context);
  });
});
