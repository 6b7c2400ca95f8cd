import { describe, expect, it } from 'vitest';
import { checkBootLevel, findPlatform } from './registry.ts';

const c9300 = findPlatform('C9300-24P');

describe('checkBootLevel', () => {
  it('accepts a level and answers its canonical keyword', () => {
    expect(checkBootLevel(c9300, 'network-advantage')).toEqual({ ok: true, level: 'network-advantage' });
    expect(checkBootLevel(c9300, 'Network-Essentials')).toEqual({ ok: true, level: 'network-essentials' });
  });

  it('accepts a matching Catalyst 9000 add-on', () => {
    expect(checkBootLevel(c9300, 'network-advantage', 'DNA-ADVANTAGE')).toEqual({
      ok: true,
      level: 'network-advantage',
      addon: 'dna-advantage',
    });
    expect(checkBootLevel(c9300, 'network-essentials', 'dna-essentials')).toEqual({
      ok: true,
      level: 'network-essentials',
      addon: 'dna-essentials',
    });
  });

  it('refuses an unknown level, naming it and the valid ones', () => {
    expect(checkBootLevel(c9300, 'ipservices')).toEqual({
      ok: false,
      error: '% Invalid boot level "ipservices" for C9300-24P; valid levels: network-essentials, network-advantage',
    });
  });

  it('refuses an unknown add-on', () => {
    expect(checkBootLevel(c9300, 'network-advantage', 'dna-premier')).toEqual({
      ok: false,
      error: '% Invalid add-on "dna-premier" for C9300-24P; valid add-ons: dna-essentials, dna-advantage',
    });
  });

  it('refuses an add-on that does not pair with the level', () => {
    expect(checkBootLevel(c9300, 'network-essentials', 'dna-advantage')).toEqual({
      ok: false,
      error:
        '% Add-on "dna-advantage" needs boot level network-advantage; valid add-ons with network-essentials: dna-essentials',
    });
  });

  it('refuses an add-on on a model without add-ons', () => {
    expect(checkBootLevel(findPlatform('ISR4331/K9'), 'appxk9', 'dna-advantage')).toEqual({
      ok: false,
      error: '% Add-on "dna-advantage" is not valid: ISR4331/K9 has no add-on licenses',
    });
  });

  it('checks ISR G2 technology packages against the model (no uck9 on a 1900)', () => {
    expect(checkBootLevel(findPlatform('CISCO2911/K9'), 'uck9')).toEqual({ ok: true, level: 'uck9' });
    expect(checkBootLevel(findPlatform('CISCO1941/K9'), 'uck9')).toEqual({
      ok: false,
      error:
        '% Invalid technology package "uck9" for CISCO1941/K9 (module c1900); valid packages: ipbasek9, securityk9, datak9',
    });
  });

  it('checks the levels of each family', () => {
    expect(checkBootLevel(findPlatform('WS-C3750E-24TD-S'), 'ipservices').ok).toBe(true);
    expect(checkBootLevel(findPlatform('WS-C3850-24P'), 'ipservicesk9').ok).toBe(true);
    expect(checkBootLevel(findPlatform('C881-K9'), 'advipservices').ok).toBe(true);
    expect(checkBootLevel(findPlatform('ASR-903'), 'metroaggrservices').ok).toBe(true);
    expect(checkBootLevel(findPlatform('ASR-920-24SZ-M'), 'advancedmetroipaccess').ok).toBe(true);
    expect(checkBootLevel(findPlatform('ASR1001-X'), 'adventerprise').ok).toBe(true);
    expect(checkBootLevel(findPlatform('ASR1001-X'), 'metroaccess')).toMatchObject({
      ok: false,
      error: expect.stringContaining('valid levels: ipbase, advipservices, adventerprise'),
    });
  });
});
