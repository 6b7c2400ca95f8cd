import { describe, expect, it } from 'vitest';
import { udiString } from '#protocol';
import { findPlatform } from './registry.ts';
import { generateSerial, licenseUdi, parseSerial, SERIAL_PATTERN, udiFor } from './udi.ts';

const asr903 = findPlatform('ASR-903'); // one prefix: FOX
const c9300 = findPlatform('C9300-24P'); // FCW, FOC
const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 12);

describe('generateSerial', () => {
  it('writes LLLYYWWSSSS: site, year − 1996, week, base-34 unit', () => {
    const sn = generateSerial(asr903, { manufacturedAt: at(2018, 11, 6), sequence: 0 });
    expect(sn).toMatch(SERIAL_PATTERN);
    expect(sn.slice(0, 7)).toBe('FOX2245'); // as the real FOX2245PFTF
  });

  it('is deterministic and gives distinct serials to distinct sequences', () => {
    const input = { manufacturedAt: at(2020, 3, 3), sequence: 41 };
    expect(generateSerial(c9300, input)).toBe(generateSerial(c9300, { ...input }));
    const serials = Array.from({ length: 5000 }, (_, sequence) =>
      generateSerial(c9300, { manufacturedAt: at(2020, 3, 3), sequence }),
    );
    expect(new Set(serials).size).toBe(5000);
    for (const sn of serials) expect(sn).toMatch(SERIAL_PATTERN);
  });

  it('takes the site prefix from the model, round robin by sequence', () => {
    const prefixes = [0, 1, 2, 3].map((sequence) =>
      generateSerial(c9300, { manufacturedAt: at(2020, 1, 1), sequence }).slice(0, 3),
    );
    expect(prefixes).toEqual(['FCW', 'FOC', 'FCW', 'FOC']);
  });

  it('stamps week 01 on 1–7 January and folds the year end into week 52', () => {
    const week = (t: number) => generateSerial(asr903, { manufacturedAt: t, sequence: 0 }).slice(5, 7);
    expect(week(Date.UTC(2021, 0, 1))).toBe('01');
    expect(week(Date.UTC(2021, 0, 7, 23, 59))).toBe('01');
    expect(week(Date.UTC(2021, 0, 8))).toBe('02');
    expect(week(Date.UTC(2021, 11, 23))).toBe('51');
    expect(week(Date.UTC(2021, 11, 24))).toBe('52');
    expect(week(Date.UTC(2020, 11, 31, 23, 59))).toBe('52'); // day 366 of a leap year
  });

  it('covers the years 1996–2095', () => {
    expect(generateSerial(asr903, { manufacturedAt: Date.UTC(1996, 0, 1), sequence: 0 }).slice(3, 5)).toBe('00');
    expect(generateSerial(asr903, { manufacturedAt: Date.UTC(2095, 11, 31), sequence: 0 }).slice(3, 5)).toBe('99');
    expect(() => generateSerial(asr903, { manufacturedAt: Date.UTC(1995, 11, 31), sequence: 0 })).toThrow(
      'gives year 1995; serials encode 1996–2095',
    );
    expect(() => generateSerial(asr903, { manufacturedAt: Date.UTC(2096, 0, 1), sequence: 0 })).toThrow(RangeError);
    expect(() => generateSerial(asr903, { manufacturedAt: Number.NaN, sequence: 0 })).toThrow('gives year none');
  });

  it('refuses sequences outside 0 … prefixes × 34⁴ − 1', () => {
    expect(generateSerial(asr903, { manufacturedAt: at(2020, 1, 1), sequence: 34 ** 4 - 1 })).toMatch(SERIAL_PATTERN);
    expect(() => generateSerial(asr903, { manufacturedAt: at(2020, 1, 1), sequence: 34 ** 4 })).toThrow(
      'serial sequence 1336336 for ASR-903 must be a whole number from 0 to 1336335',
    );
    expect(() => generateSerial(asr903, { manufacturedAt: at(2020, 1, 1), sequence: -1 })).toThrow(RangeError);
    expect(() => generateSerial(asr903, { manufacturedAt: at(2020, 1, 1), sequence: 0.5 })).toThrow(RangeError);
  });
});

describe('parseSerial', () => {
  it('round-trips generated serials', () => {
    for (const sequence of [0, 1, 33, 34, 1155, 1_336_335]) {
      const sn = generateSerial(asr903, { manufacturedAt: at(2018, 11, 6), sequence });
      expect(parseSerial(sn)).toEqual({ ok: true, prefix: 'FOX', year: 2018, week: 45, sequence });
    }
    const sn = generateSerial(c9300, { manufacturedAt: at(2023, 2, 1), sequence: 7 });
    expect(parseSerial(sn)).toEqual({ ok: true, prefix: 'FOC', year: 2023, week: 5, sequence: 3 });
  });

  it('reads real serials', () => {
    expect(parseSerial('FCW2223G0B9')).toMatchObject({ ok: true, prefix: 'FCW', year: 2018, week: 23 });
    expect(parseSerial('FHH1216P07R')).toMatchObject({ ok: true, year: 2008, week: 16 });
  });

  it('names what is wrong', () => {
    expect(parseSerial('FOX2245PFT')).toEqual({
      ok: false,
      error: 'serial "FOX2245PFT": 10 characters; a Cisco serial has 11 (LLLYYWWSSSS)',
    });
    expect(parseSerial('F0X2245PFTF')).toEqual({
      ok: false,
      error: 'serial "F0X2245PFTF": site code "F0X" must be 3 letters A-Z',
    });
    expect(parseSerial('FOX2A45PFTF')).toEqual({
      ok: false,
      error: 'serial "FOX2A45PFTF": year "2A" must be 2 digits (year - 1996)',
    });
    expect(parseSerial('FOX2200PFTF')).toEqual({ ok: false, error: 'serial "FOX2200PFTF": week "00" must be 01-52' });
    expect(parseSerial('FOX2253PFTF')).toMatchObject({ ok: false, error: expect.stringContaining('week "53"') });
    expect(parseSerial('FOX22X1PFTF')).toMatchObject({ ok: false, error: expect.stringContaining('week "X1"') });
    expect(parseSerial('FOX2245PFTO')).toEqual({
      ok: false,
      error: 'serial "FOX2245PFTO": unit number "PFTO" must be 4 of 0-9 and A-Z without I and O',
    });
    expect(parseSerial('fox2245pftf')).toMatchObject({ ok: false, error: expect.stringContaining('site code "fox"') });
  });
});

describe('UDI', () => {
  it('is PID + SN for smart licensing, printed by udiString', () => {
    expect(udiString(udiFor(c9300, 'FCW2223G0B9'))).toBe('PID:C9300-24P,SN:FCW2223G0B9');
  });

  it('uses the licensing PID for the traditional PID:SN form', () => {
    expect(licenseUdi(findPlatform('CISCO3925/K9'), 'FHH13030044')).toBe('C3900-SPE100/K9:FHH13030044');
    expect(licenseUdi(findPlatform('C881-K9'), 'FTX18298312')).toBe('CISCO881-K9:FTX18298312');
    expect(licenseUdi(findPlatform('CISCO2911/K9'), 'JTV1635T41W')).toBe('CISCO2911/K9:JTV1635T41W');
  });

  it('carries the model VID', () => {
    expect(findPlatform('WS-C3560E-24TD-S').vid).toBe('V03');
  });
});
