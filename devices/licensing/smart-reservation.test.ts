/**
 * Specific License Reservation on the classic Smart agent (16.x, smart-licensing.md §8.2) against the wire
 * contract's functions (cloud-mock/protocol/reservation.ts): the request code the portal parses, the
 * RESERVATION document it signs, the return code it accepts; refusals store nothing; reload keeps it.
 */
import { describe, expect, it } from 'vitest';
import {
  parseReservationRequestCode,
  parseReservationReturnCode,
  reservationRequestCode,
  DAY,
  MINUTE,
} from '#protocol';
import { MemoryBackend } from '../storage/memory-backend.ts';
import { smartLicObjects } from '../snmp/smart-lic-mib.ts';
import { smartLicInstances } from '../snmp/smart-lic-instances.ts';
import type { VirtualDevice } from '../device.ts';
import { authorizationCode, CONFIRMATION, lines, mnemonics, slpLab } from './slp.test-support.ts';

const requestCodeIn = (output: string): string => output.trim().split('\n').at(-1)!;
const recordOf = (d: VirtualDevice) =>
  (d.agentState()!.context as { record: { reservation?: unknown } }).record.reservation;

function classic(storage = new MemoryBackend()) {
  const lab = slpLab();
  const d = lab.device({ release: '16.12.4', storage });
  d.exec('configure terminal');
  d.exec('license smart reservation');
  d.exec('end');
  return { ...lab, d, storage };
}

describe('Specific License Reservation (classic Smart agent)', () => {
  it('request, install, show, return: the codes round-trip through the protocol functions', () => {
    const { d } = classic();
    const tags = d.smart().entitlements.map((e) => e.tag);
    const out = d.exec('license smart reservation request local');
    expect(out).toMatch(
      /^Enter this request code in the Cisco Smart Software Manager portal:\nC9300-24P:FCW2303D16Y-\w{9}-\d\d\n$/,
    );
    const request = requestCodeIn(out);
    expect(parseReservationRequestCode(request)).toMatchObject({
      ok: true,
      udi: { pid: 'C9300-24P', sn: 'FCW2303D16Y' },
    });
    expect(d.exec('show license reservation')).toContain(`      Request code: ${request}\n`);

    const code = authorizationCode(request, [tags[0]!]);
    expect(d.exec(`license smart reservation install ${code}`)).toBe('Reservation install successful\n');
    expect(lines(d, 'RESERVED_INSTALLED').at(-1)).toMatch(
      /%SMART_LIC-6-RESERVED_INSTALLED: Specific License Reservation Authorization code installed for udi PID:C9300-24P,SN:FCW2303D16Y$/,
    );
    expect(lines(d, 'NOT_AUTHORIZED')).toEqual([
      expect.stringContaining(
        `The entitlement ${tags[1]} in Not Authorized to be used. Reason: License not present in SLR auth code`,
      ),
    ]);
    expect(d.smart()).toMatchObject({
      registration: { status: 'registered' },
      authorization: { status: 'authorized' },
    });
    const status = d.exec('show license status');
    expect(status).toContain('Smart Licensing is ENABLED\nLicense Reservation is ENABLED\n');
    expect(status).toContain('Registration:\n  Status: REGISTERED - SPECIFIC LICENSE RESERVATION\n');
    expect(status).toContain('License Authorization: \n  Status: AUTHORIZED - RESERVED\n');
    expect(d.exec('show license summary')).toContain('  Status: REGISTERED - SPECIFIC LICENSE RESERVATION\n');
    expect(d.exec('show license summary')).toMatch(/AUTHORIZED - RESERVED/);
    expect(d.exec('show version')).toContain(
      'Smart Licensing Status: REGISTERED - SPECIFIC LICENSE RESERVATION/AUTHORIZED - RESERVED',
    );
    const shown = d.exec('show license reservation');
    expect(shown).toContain('      Reservation status: SPECIFIC INSTALLED on ');
    expect(shown).toContain(
      `      Request code: <none>\n      Last return code: <none>\n      Last Confirmation code: ${CONFIRMATION}\n`,
    );
    expect(shown).toMatch(
      /Specified license reservations:\n {2}.*\n {4}Description: .*\n {4}Total reserved count: 1\n$/,
    );
    expect(d.exec('license smart reservation request local')).toBe(
      '% A reservation authorization code is installed. Return it first (license smart reservation return local).\n',
    );
    expect(d.exec('license smart register idtoken T')).toMatch(/^% A reservation authorization code is installed/);

    const returned = d.exec('license smart reservation return local');
    expect(returned).toMatch(
      /Do you want to continue\? \[yes\/no\]: yes\nEnter this return code in Cisco Smart Software Manager portal:\n/,
    );
    const returnCode = requestCodeIn(returned);
    expect(parseReservationReturnCode(returnCode)).toEqual({
      ok: true,
      udi: { pid: 'C9300-24P', sn: 'FCW2303D16Y' },
      value: CONFIRMATION,
    });
    expect(d.smart().registration.status).toBe('unregistered');
    expect(d.exec('show license reservation')).toContain(
      `      Reservation status: NOT INSTALLED\n      Request code: <none>\n      Last return code: ${returnCode}\n`,
    );
    expect(d.exec('license smart reservation return local')).toBe(
      '% No reservation authorization code is installed.\n',
    );
  });

  it('refuses a code signed by a key the device does not trust, or for another UDI: nothing stored', () => {
    const { d } = classic();
    const tags = d.smart().entitlements.map((e) => e.tag);
    const request = requestCodeIn(d.exec('license smart reservation request local'));
    const before = structuredClone(recordOf(d));
    d.putFile('flash:slr.txt', authorizationCode(request, tags, { by: 'stranger' }));
    expect(d.exec('license smart reservation install file flash:slr.txt')).toMatch(
      /^% Reservation install file failed: The Reservation Authorization Code is not valid \(signed by an unknown key \(.+\)\)\n$/,
    );
    const foreign = authorizationCode(reservationRequestCode({ pid: 'C9300-24P', sn: 'FCW0000X0ZZ' }), tags);
    expect(d.exec(`license smart reservation install ${foreign}`)).toBe(
      '% Reservation install failed: The Reservation Authorization Code does not match the Reservation Request Code\n',
    );
    expect(d.exec('license smart reservation install <smartLicense>')).toMatch(
      /^% Reservation install failed: The Reservation Authorization Code is not valid/,
    );
    expect(recordOf(d)).toEqual(before);
    expect(mnemonics(d)).not.toContain('RESERVED_INSTALLED');
    expect(d.smart().registration.status).toBe('unregistered');
  });

  it('reload keeps the reservation (trusted storage); it never renews nor talks to the cloud', async () => {
    const { d, clock } = classic();
    const tags = d.smart().entitlements.map((e) => e.tag);
    const request = requestCodeIn(d.exec('license smart reservation request local'));
    d.putFile('flash:slr.txt', authorizationCode(request, tags));
    expect(d.exec('license smart reservation install file flash:slr.txt')).toBe(
      'Reservation install file successful\n',
    );
    d.writeMemory();
    const evalStarts = mnemonics(d).filter((m) => m === 'EVAL_START').length;
    d.exec('reload');
    await clock.advance(MINUTE);
    expect(d.smart()).toMatchObject({
      registration: { status: 'registered' },
      authorization: { status: 'authorized' },
    });
    expect(d.exec('show license status')).toContain('  Status: REGISTERED - SPECIFIC LICENSE RESERVATION\n');
    await clock.advance(400 * DAY);
    expect(d.smart().authorization.status).toBe('authorized');
    expect(mnemonics(d)).not.toContain('COMM_FAILED');
    expect(mnemonics(d).filter((m) => m === 'EVAL_START')).toHaveLength(evalStarts);
  });

  it('a UNIVERSAL (PLR) code reserves every license; the MIB reads the reserved states', () => {
    const { d } = classic();
    const request = requestCodeIn(d.exec('license smart reservation request local'));
    expect(d.exec(`license smart reservation install "${authorizationCode(request, [], { type: 'UNIVERSAL' })}"`)).toBe(
      'Reservation install successful\n',
    );
    expect(mnemonics(d)).not.toContain('NOT_AUTHORIZED');
    expect(d.exec('show license status')).toContain('  Status: REGISTERED - UNIVERSAL LICENSE RESERVATION\n');
    expect(d.exec('show license reservation')).toContain('      Reservation status: UNIVERSAL INSTALLED on ');
    expect(d.exec('show license all')).toContain(
      '  Reservation status: UNIVERSAL INSTALLED\n  Total reserved count: UNLIMITED\n',
    );
    const mib = smartLicInstances(d.smart());
    const value = (name: keyof typeof smartLicObjects) =>
      mib.filter((m) => m.object === smartLicObjects[name].oid).map((m) => m.value);
    expect(value('ciscoSlaAuthComplianceStatus')).toEqual(['AUTHORIZED - RESERVED']);
    expect(value('ciscoSlaEntitlementEnforceMode')).toEqual([11, 11]);
  });

  it('refuses what the state does not allow: disabled, pending request cancelled, no while installed', () => {
    const lab = slpLab();
    const d = lab.device({ release: '16.12.4' });
    expect(d.exec('license smart reservation request local')).toBe(
      '% License reservation is disabled. Enable it first (license smart reservation).\n',
    );
    d.exec('configure terminal');
    d.exec('license smart reservation');
    d.exec('end');
    expect(d.exec('license smart reservation cancel local')).toBe(
      '% No reservation request is pending (license smart reservation request local).\n',
    );
    const request = requestCodeIn(d.exec('license smart reservation request local'));
    expect(d.exec('license smart reservation cancel local')).toBe('');
    expect(d.exec('show license reservation')).toContain('      Request code: <none>\n');
    d.exec(`license smart reservation install ${authorizationCode(request, [])}`);
    d.exec('configure terminal');
    expect(d.exec('no license smart reservation')).toBe(
      '% A reservation authorization code is installed. Return it first (license smart reservation return local).\n',
    );
    d.exec('end');
    expect(d.exec('license smart deregister')).toMatch(/^% A reservation authorization code is installed/);
  });
});
