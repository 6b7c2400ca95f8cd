/**
 * UDI and serial numbers. Cisco serials (CSN) are `LLLYYWWSSSS` (traditional-licensing-snmp-platforms.md
 * §C.1, S-SERIAL, S-ENTSW): site code, year − 1996, week 01–52, then four base-34 digits without I and O.
 * Serials are generated from their inputs only, so the same topology gives the same fleet every run.
 */
import type { Udi } from '#protocol';
import type { PlatformModel } from './platform.ts';
import { DAY } from '#protocol';

/** Cisco manufacturing's CSN check (S-ENTSW). */
export const SERIAL_PATTERN = /^[A-Z]{3}[0-9]{4}[A-HJ-NP-Z0-9]{4}$/;

const DIGITS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const UNITS = DIGITS.length ** 4;
const FIRST_YEAR = 1996;

/**
 * Unit numbers go through a fixed bijection of 0…34⁴−1 so consecutive devices get serials that look
 * like real ones (FCW2223G0B9) rather than FCW22230001. MIX is odd and not a multiple of 17, so it is
 * invertible modulo 34⁴ = 2⁴·17⁴.
 */
const MIX = 523_657;
const OFFSET = 318_211;
const UNMIX = modInverse(MIX, UNITS);

function modInverse(a: number, m: number): number {
  let [r0, r1, t0, t1] = [m, a, 0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1, t0, t1] = [r1, r0 - q * r1, t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}

const mod = (n: number) => ((n % UNITS) + UNITS) % UNITS;
// Products stay below 2^53: both factors are < 34⁴ ≈ 1.3e6.
const mix = (unit: number) => mod(MIX * unit + OFFSET);
const unmix = (code: number) => mod(UNMIX * mod(code - OFFSET));

function base34(n: number): string {
  let s = '';
  for (let i = 0; i < 4; i++, n = Math.floor(n / 34)) s = DIGITS[n % 34] + s;
  return s;
}

/** Week of year 01–52 as Cisco stamps it: days 1–7 are week 01; the last one or two days fold into 52. */
function weekOf(date: Date): number {
  const dayOfYear = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY);
  return Math.min(52, Math.floor(dayOfYear / 7) + 1);
}

export interface SerialInput {
  /** Manufacturing time, epoch ms (lab clock); gives YY and WW (UTC). */
  manufacturedAt: number;
  /** The device's number in its fleet, ≥ 0: picks the site prefix (round robin) and the unit number. */
  sequence: number;
}

export function generateSerial(model: PlatformModel, input: SerialInput): string {
  const prefixes = model.serialPrefixes;
  const max = prefixes.length * UNITS;
  if (!Number.isSafeInteger(input.sequence) || input.sequence < 0 || input.sequence >= max) {
    throw new RangeError(
      `serial sequence ${input.sequence} for ${model.pid} must be a whole number from 0 to ${max - 1}`,
    );
  }
  const date = new Date(input.manufacturedAt);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(input.manufacturedAt) || year < FIRST_YEAR || year > FIRST_YEAR + 99) {
    throw new RangeError(
      `manufacturing time ${input.manufacturedAt} gives year ${Number.isNaN(year) ? 'none' : year}; serials encode ${FIRST_YEAR}–${FIRST_YEAR + 99}`,
    );
  }
  const prefix = prefixes[input.sequence % prefixes.length]!;
  const yy = String(year - FIRST_YEAR).padStart(2, '0');
  const ww = String(weekOf(date)).padStart(2, '0');
  return `${prefix}${yy}${ww}${base34(mix(Math.floor(input.sequence / prefixes.length)))}`;
}

export type ParsedSerial =
  { ok: true; prefix: string; year: number; week: number; sequence: number } | { ok: false; error: string };

/**
 * Splits a serial into its fields. `sequence` is the unit number as generateSerial counts it (for a
 * model with one prefix, the sequence it was generated from).
 */
export function parseSerial(sn: string): ParsedSerial {
  const bad = (why: string): ParsedSerial => ({ ok: false, error: `serial "${sn}": ${why}` });
  if (sn.length !== 11) return bad(`${sn.length} characters; a Cisco serial has 11 (LLLYYWWSSSS)`);
  const [prefix, yy, ww, ssss] = [sn.slice(0, 3), sn.slice(3, 5), sn.slice(5, 7), sn.slice(7)];
  if (!/^[A-Z]{3}$/.test(prefix)) return bad(`site code "${prefix}" must be 3 letters A-Z`);
  if (!/^[0-9]{2}$/.test(yy)) return bad(`year "${yy}" must be 2 digits (year - ${FIRST_YEAR})`);
  const week = Number(ww);
  if (!/^[0-9]{2}$/.test(ww) || week < 1 || week > 52) return bad(`week "${ww}" must be 01-52`);
  if (!/^[A-HJ-NP-Z0-9]{4}$/.test(ssss)) return bad(`unit number "${ssss}" must be 4 of 0-9 and A-Z without I and O`);
  const code = [...ssss].reduce((n, c) => n * 34 + DIGITS.indexOf(c), 0);
  return { ok: true, prefix, year: FIRST_YEAR + Number(yy), week, sequence: unmix(code) };
}

/** The UDI a smart device sends and prints (`PID:<pid>,SN:<sn>` through #protocol's udiString). */
export function udiFor(model: PlatformModel, sn: string): Udi {
  return { pid: model.pid, sn };
}

/** The traditional licensing UDI, `PID:SN` (`show license udi`: `C3900-SPE100/K9:FHH13030044`). */
export function licenseUdi(model: PlatformModel, sn: string): string {
  return `${model.licenseUdiPid ?? model.pid}:${sn}`;
}
