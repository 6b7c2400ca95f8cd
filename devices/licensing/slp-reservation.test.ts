/**
 * SLR / PLR on the SLP agent (17.x keeps reservation, smart-licensing.md §9.1; the classic commands and
 * texts of §8.2): the chart's `reservation` region, what it stops (no usage report, no ACK deadline), the
 * refusals that leave the stored record byte for byte as it was, reload, and a code given back by its
 * authorization code.
 */
import { describe, expect, it } from 'vitest';
import { parseReservationReturnCode, reservationRequestCode, DAY, HOUR, MINUTE } from '#protocol';
import { MemoryBackend } from '../storage/memory-backend.ts';
import type { VirtualDevice } from '../device.ts';
import { authorizationCode, CONFIRMATION, lines, mnemonics, ScriptedSlpCloud, slpLab } from './slp.test-support.ts';

const lastLine = (output: string): string => output.trim().split('\n').at(-1)!;
const bytes = (storage: MemoryBackend): string[] => storage.keys().map((k) => storage.read(k)!.toString('base64'));
const region = (d: VirtualDevice): string => d.slp()!.states.reservation;

function reserving(transport: 'off' | 'cslu' = 'off') {
  const cloud = new ScriptedSlpCloud();
  const storage = new MemoryBackend();
  const lab = slpLab({ cloud });
  const d = lab.device({ storage });
  d.exec('configure terminal');
  d.exec(`license smart transport ${transport}`);
  expect(d.exec('license smart reservation')).toBe('');
  d.exec('end');
  return { ...lab, cloud, storage, d };
}

describe('Specific License Reservation on the SLP agent', () => {
  it('request, install, show, return: states in the chart, the record in storage', async () => {
    const { d, clock } = reserving();
    const tags = d.slp()!.licenses.map((l) => l.tag);
    expect(region(d)).toBe('enabled');
    const out = d.exec('license smart reservation request local');
    expect(out).toMatch(
      /^Enter this request code in the Cisco Smart Software Manager portal:\nC9300-24P:FCW2303D16Y-\w{9}-\d\d\n$/,
    );
    const request = lastLine(out);
    expect(region(d)).toBe('requested');
    expect(d.agentState()!.context).toMatchObject({ record: { reservation: { enabled: true, requestCode: request } } });

    expect(d.exec(`license smart reservation install ${authorizationCode(request, [tags[0]!])}`)).toBe(
      'Reservation install successful\n',
    );
    expect(region(d)).toBe('installed.specific');
    expect(lines(d, 'RESERVED_INSTALLED').at(-1)).toMatch(
      /%SMART_LIC-6-RESERVED_INSTALLED: Specific License Reservation Authorization code installed for udi PID:C9300-24P,SN:FCW2303D16Y$/,
    );
    expect(lines(d, 'NOT_AUTHORIZED')).toEqual([
      expect.stringContaining(`The entitlement ${tags[1]} in Not Authorized to be used. Reason: License not present`),
    ]);
    // Reporting is not required: no deadline, nothing scheduled, nothing open.
    const s = d.slp()!;
    expect(s.states).toMatchObject({ push: 'reserved', ack: 'none' });
    expect(s.usageReporting).toEqual({ pushIntervalDays: 0 });
    expect(s.reports.filter((r) => r.state === 'OPEN')).toEqual([]);
    expect(s.licenses.map((l) => [l.inUse, l.reserved])).toEqual([
      [true, 1],
      [true, 0],
    ]);

    const status = d.exec('show license status');
    expect(status).toContain(
      '  Next ACK deadline: <none>\n  Reporting push interval: 0 (no reporting)\n  Next ACK push check: <none>\n  Next report push: <none>\n',
    );
    expect(status).toMatch(
      /\nLicense Reservation:\n {2}Overall status:\n {4}Active: PID:C9300-24P,SN:FCW2303D16Y\n {8}Reservation status: SPECIFIC INSTALLED on \w{3} \d\d \d\d:\d\d:\d\d 2026 UTC\n {8}Request code: <none>\n {8}Last return code: <none>\n {8}Last Confirmation code: 17488C1F\n\nTrust Code Installed: <none>\n/,
    );
    expect(d.exec('show license summary')).toMatch(/^License Reservation is ENABLED\n\nAccount Information:\n/);
    const usage = d.exec('show license usage');
    expect(usage).toContain(
      '  Export status: NOT RESTRICTED\n  Reservation status: SPECIFIC INSTALLED\n  Total reserved count: 1\n',
    );
    expect(usage).toContain('  Reservation status: NOT INSTALLED\n');
    const shown = d.exec('show license reservation');
    expect(shown).toMatch(
      /^License reservation: ENABLED\n\nOverall status:\n {2}Active: PID:C9300-24P,SN:FCW2303D16Y\n/,
    );
    expect(shown).toContain(`      Last Confirmation code: ${CONFIRMATION}\n`);
    expect(shown).toMatch(
      /Specified license reservations:\n {2}.*\n {4}Description: .*\n {4}Total reserved count: 1\n$/,
    );

    // A year reserved: no reminder, no report, no ACK overdue.
    const before = mnemonics(d).length;
    await clock.advance(400 * DAY);
    expect(mnemonics(d).slice(before)).toEqual([]);
    expect(d.slp()!.reports.filter((r) => r.state === 'OPEN')).toEqual([]);
    expect(d.exec('license smart sync local')).toMatch(/^% License sync is not needed: a reservation/);
    expect(d.exec('license smart reservation request local')).toBe(
      '% A reservation authorization code is installed. Return it first (license smart reservation return local).\n',
    );
    d.exec('configure terminal');
    expect(d.exec('no license smart reservation')).toMatch(/^% A reservation authorization code is installed/);
    d.exec('end');

    const returned = d.exec('license smart reservation return local');
    expect(returned).toMatch(
      /Do you want to continue\? \[yes\/no\]: yes\nEnter this return code in Cisco Smart Software Manager portal:\n/,
    );
    expect(parseReservationReturnCode(lastLine(returned))).toEqual({
      ok: true,
      udi: { pid: 'C9300-24P', sn: 'FCW2303D16Y' },
      value: CONFIRMATION,
    });
    expect(region(d)).toBe('enabled');
    // Reporting is back: reports open again, a deadline counts from the return (the subscription's 90 days).
    const after = d.slp()!;
    expect(after.states.push).toBe('off');
    expect(after.usageReporting.nextAckDeadline).toBe(clock.now() + 90 * DAY);
    expect(after.reports.filter((r) => r.state === 'OPEN')).toHaveLength(2);
    expect(d.exec('show license reservation')).toContain(
      `      Reservation status: NOT INSTALLED\n      Request code: <none>\n      Last return code: ${lastLine(returned)}\n`,
    );
    expect(d.exec('license smart reservation return local')).toBe(
      '% No reservation authorization code is installed.\n',
    );
  });

  it('a reserved device sends no usage report on a transport that reaches the cloud', async () => {
    const { d, clock, cloud } = reserving('cslu');
    const request = lastLine(d.exec('license smart reservation request all'));
    d.exec(`license smart reservation install "${authorizationCode(request, [], { type: 'UNIVERSAL' })}"`);
    expect(region(d)).toBe('installed.universal');
    expect(mnemonics(d)).not.toContain('NOT_AUTHORIZED');
    await clock.advance(100 * DAY);
    expect(cloud.calls).toEqual([]);
    expect(d.exec('show license usage')).toContain(
      '  Reservation status: UNIVERSAL INSTALLED\n  Total reserved count: UNLIMITED\n',
    );
    expect(d.exec('show license reservation')).toContain('      Reservation status: UNIVERSAL INSTALLED on ');
    d.exec('license smart reservation return');
    await clock.advance(HOUR);
    expect(cloud.calls.map((c) => c.op)).toContain('reportUsage');
  });

  it('refuses a foreign, tampered or truncated code: the stored record is byte for byte the same', () => {
    const { d, storage } = reserving();
    const tags = d.slp()!.licenses.map((l) => l.tag);
    const request = lastLine(d.exec('license smart reservation request local'));
    const good = authorizationCode(request, tags);
    const tampered = good.replace(/quantity\\\\?":1/, (m) => m.replace('1', '9'));
    expect(tampered).not.toBe(good);
    // Flash lives in the same stored record: the files go there before the bytes are taken.
    d.putFile('flash:slr.txt', tampered);
    d.putFile('flash:stranger.txt', authorizationCode(request, tags, { by: 'stranger' }));
    d.writeMemory();
    const before = bytes(storage);
    const record = structuredClone(d.agentState()!.context);

    const foreign = authorizationCode(reservationRequestCode({ pid: 'C9300-24P', sn: 'FCW0000X0ZZ' }), tags);
    expect(d.exec(`license smart reservation install ${foreign}`)).toBe(
      '% Reservation install failed: The Reservation Authorization Code does not match the Reservation Request Code\n',
    );
    expect(d.exec('license smart reservation install file flash:slr.txt')).toMatch(
      /^% Reservation install file failed: The Reservation Authorization Code is not valid \(.+\)\n$/,
    );
    expect(d.exec('license smart reservation install file flash:stranger.txt')).toMatch(
      /^% Reservation install file failed: The Reservation Authorization Code is not valid \(signed by an unknown key/,
    );
    expect(d.exec(`license smart reservation install ${good.slice(0, good.length / 2)}`)).toMatch(
      /^% Reservation install failed: The Reservation Authorization Code is not valid/,
    );
    expect(d.exec(`license smart reservation return authorization ${foreign}`)).toMatch(
      /^% Reservation return failed: The Reservation Authorization Code does not match/,
    );
    expect(bytes(storage)).toEqual(before);
    expect(d.agentState()!.context).toEqual(record);
    expect(region(d)).toBe('requested');
    expect(mnemonics(d)).not.toContain('RESERVED_INSTALLED');
  });

  it('reload keeps the reservation: the chart comes back installed from the record', async () => {
    const { d, clock, storage } = reserving();
    const request = lastLine(d.exec('license smart reservation request local'));
    d.putFile('flash:slr.txt', authorizationCode(request, [], { type: 'UNIVERSAL' }));
    expect(d.exec('license smart reservation install file flash:slr.txt')).toBe(
      'Reservation install file successful\n',
    );
    d.writeMemory();
    const logged = mnemonics(d).length;
    d.exec('reload');
    await clock.advance(MINUTE);
    expect(region(d)).toBe('installed.universal');
    expect(d.slp()!.states.push).toBe('reserved');
    expect(d.slp()!.usageReporting.nextAckDeadline).toBeUndefined();
    expect(mnemonics(d).slice(logged)).not.toContain('REPORTING_REQUIRED');
    await clock.advance(400 * DAY);
    expect(mnemonics(d).slice(logged)).not.toContain('RUM_ACK_NOT_RECEIVED');
    // Plain JSON in the stored record.
    const stored = storage.keys().map((k) => storage.read(k)!.toString());
    expect(stored.join()).toMatch(/"slp":\{.*"reservation":\{"enabled":true,"installed":\{"type":"UNIVERSAL"/);
    expect(d.exec('show license reservation')).toContain('      Reservation status: UNIVERSAL INSTALLED on ');
  });

  it('gives back a code never installed by its authorization code; the state refuses what it cannot take', () => {
    const lab = slpLab();
    const d = lab.device();
    expect(region(d)).toBe('disabled');
    expect(d.exec('license smart reservation request local')).toBe(
      '% License reservation is disabled. Enable it first (license smart reservation).\n',
    );
    d.exec('configure terminal');
    d.exec('license smart reservation');
    d.exec('end');
    expect(d.exec('license smart reservation cancel')).toBe(
      '% No reservation request is pending (license smart reservation request local).\n',
    );
    const request = lastLine(d.exec('license smart reservation request local'));
    const code = authorizationCode(request, [], { confirmation: 'ABCDEF01' });
    const out = d.exec(`license smart reservation return local authorization ${code}`);
    expect(parseReservationReturnCode(lastLine(out))).toMatchObject({ ok: true, value: 'ABCDEF01' });
    expect(region(d)).toBe('enabled');
    expect(d.slp()!.reservation).toMatchObject({ status: 'notInstalled', lastReturnCode: lastLine(out) });
    expect(d.slp()!.reservation.requestCode).toBeUndefined();
    d.exec('license smart reservation request local');
    expect(d.exec('license smart reservation cancel local')).toBe('');
    expect(region(d)).toBe('enabled');
    d.exec('configure terminal');
    expect(d.exec('no license smart reservation')).toBe('');
    d.exec('end');
    expect(region(d)).toBe('disabled');
    expect(d.exec('show license reservation')).toBe('License reservation: DISABLED\n');
  });
});
