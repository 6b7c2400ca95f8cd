/**
 * SLACs against a scripted cloud: a return goes to the cloud (`keys: []`, the confirm code as `remove_code`)
 * and the SLAC leaves only with the cloud's answer; a new SLAC replaces the installed set, as the cloud's
 * record does. And a device with no license in use sends no usage upload at all.
 */
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '#protocol';
import { lines, mnemonics, ScriptedSlpCloud, signed, slpFile, slpLab, START, sudiOf } from './slp.test-support.ts';

const router = { pid: 'ISR4451-X/K9', sn: 'FGL2231A0AE', release: '17.12.4', bootLevel: 'ipbasek9' } as const;
const state = (d: { agentState(): { value: unknown } | undefined }) =>
  (d.agentState()!.value as { authorization: string }).authorization;

async function authorized() {
  const cloud = new ScriptedSlpCloud();
  const lab = slpLab({ cloud });
  const r = lab.device(router);
  r.slpLicense({ type: 'license.authorize', feature: 'hseck9' });
  await lab.clock.advance(301_000);
  expect(r.slp()!.licenses[0]).toMatchObject({ feature: 'hseck9', inUse: true });
  return { ...lab, cloud, r };
}

describe('SLAC return online', () => {
  it('sends keys: [] with the SLAC confirm code, polls, and removes the SLAC when the cloud answers', async () => {
    const { cloud, clock, r } = await authorized();
    expect(r.exec('license smart authorization return local online')).toBe('');
    await clock.advance(1);
    expect(cloud.requested).toEqual([]);
    expect(cloud.removeCodes.at(-1)).toBe('c0nf1rm');
    expect(state(r)).toBe('polling');
    expect(r.slp()!.licenses[0]).toMatchObject({ inUse: true });
    expect(r.exec('license smart authorization return local online')).toBe(
      '% An authorization request is already in progress\n',
    );
    await clock.advance(300_000);
    expect(state(r)).toBe('idle');
    expect(lines(r, 'AUTHORIZATION_REMOVED')).toHaveLength(1);
    expect(r.slp()!.licenses[0]).toMatchObject({ inUse: false, authorized: false });
    expect(r.slp()!.reports.map((x) => x.state)).toEqual(['CLOSED']);
  });

  it('keeps the SLAC when the return fails: COMM_FAILED with the reason, licenses still running', async () => {
    const { cloud, clock, r } = await authorized();
    cloud.authRequestAnswer = () => ({
      ok: false,
      kind: 'refused',
      code: 'SLAC_RETURN_CODE_INVALID',
      status: 400,
      message: 'the remove code is not the confirm code',
      reason: 'the remove code is not the confirm code',
    });
    r.exec('license smart authorization return local online');
    await clock.advance(1);
    expect(state(r)).toBe('idle');
    expect(lines(r, 'COMM_FAILED').at(-1)).toMatch(/\(CSLU\) : the remove code is not the confirm code\.?$/);
    expect(mnemonics(r)).not.toContain('AUTHORIZATION_REMOVED');
    expect(r.slp()!.licenses[0]).toMatchObject({ inUse: true, authorized: true });
    cloud.authRequestAnswer = () => ({ ok: false, kind: 'comm', reason: 'Communications failure' });
    r.exec('license smart authorization return local online');
    await clock.advance(1);
    expect(r.slp()!.licenses[0]).toMatchObject({ inUse: true, authorized: true });
    r.setSlpConfig({ transport: 'off' });
    expect(r.exec('license smart authorization return local online')).toBe(
      '% Authorization return needs a transport: license smart transport is off (the SLAC stays installed)\n',
    );
  });

  it('a new SLAC replaces the installed set whole, as the cloud holds it', async () => {
    const { r } = await authorized();
    const other = signed('SLAC', {
      sudi: sudiOf(r),
      keys: [{ entitlement: 'regid.2017-05.com.cisco.other,1.0_x', count: 1 }],
      issued_at: START,
      confirm_code: 'n3w',
    });
    r.putFile('flash:slac.txt', slpFile([other]));
    expect(r.exec('license smart import flash:slac.txt')).toBe('Import Data Successful\n');
    expect(r.slp()!.licenses[0]).toMatchObject({ feature: 'hseck9', inUse: false, authorized: false });
    const record = (r.agentState()!.context as { record: { authorizations: { confirmCode: string }[] } }).record;
    expect(record.authorizations.map((a) => a.confirmCode)).toEqual(['n3w']);
  });
});

describe('nothing to report', () => {
  it('a router with no license in use (factory level, hseck9 NOT IN USE) sends no upload, fails nothing', async () => {
    const cloud = new ScriptedSlpCloud();
    const { clock, device } = slpLab({ cloud });
    const r = device(router);
    expect(r.slp()!.licenses.map((l) => l.inUse)).toEqual([false]);
    await clock.advance(10 * MINUTE);
    expect(r.exec('license smart sync local')).toBe('');
    await clock.advance(40 * DAY);
    expect(cloud.calls.filter((c) => c.op === 'reportUsage')).toEqual([]);
    expect(mnemonics(r)).not.toContain('COMM_FAILED');
    expect(r.slp()!.states).toMatchObject({ communication: 'ok', push: 'scheduled.waiting' });
  });
});
