import { describe, expect, it } from 'vitest';
import {
  parseReservationRequestCode,
  parseReservationReturnCode,
  reservationCheck,
  reservationRequestCode,
  reservationReturnCode,
} from './reservation.ts';

const udi = { pid: 'C9300-48P', sn: 'FOC2144X0AB' };

describe('reservation codes', () => {
  it('makes request codes <PID>:<SN>-<random>-<check> that parse back to their UDI', () => {
    const code = reservationRequestCode(udi);
    expect(code).toMatch(/^C9300-48P:FOC2144X0AB-[A-Za-z0-9]{9}-\d{2}$/);
    expect(parseReservationRequestCode(code)).toMatchObject({ ok: true, udi });
    expect(reservationRequestCode(udi)).not.toBe(code);
    const sn = { pid: 'ASR-920-24SZ-M', sn: 'CAT-1234' };
    expect(parseReservationRequestCode(reservationRequestCode(sn))).toMatchObject({ ok: true, udi: sn });
  });

  it('refuses a mistyped, cut-short or malformed code', () => {
    const code = reservationRequestCode(udi);
    const typo = code.replace('FOC2144X0AB', 'FOC2144X0AC');
    expect(parseReservationRequestCode(typo)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('check digits'),
    });
    expect(parseReservationRequestCode(code.slice(0, -1)).ok).toBe(false);
    expect(parseReservationRequestCode('no colon here').ok).toBe(false);
    expect(reservationCheck('a')).toBe('00');
  });

  it('makes return codes that carry the confirmation code', () => {
    const code = reservationReturnCode(udi, '0A1B2C3D');
    expect(parseReservationReturnCode(code)).toEqual({ ok: true, udi, value: '0A1B2C3D' });
    expect(parseReservationReturnCode(reservationRequestCode(udi))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no confirmation code'),
    });
  });
});
