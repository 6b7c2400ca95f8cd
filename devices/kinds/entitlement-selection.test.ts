import { describe, expect, it } from 'vitest';
import { findEntitlement, tagShortName } from '#protocol';
import { entitlementsFor, findPlatform } from './registry.ts';

/** Short tag names, count and flags: what a reader compares with `show license summary`. */
function requested(pid: string, selection: Parameters<typeof entitlementsFor>[1]) {
  return entitlementsFor(findPlatform(pid), selection).map((e) => {
    expect(findEntitlement(e.tag)).toBeDefined();
    return `${e.feature}=${tagShortName(e.tag)}×${e.count}${e.exportControlled ? ' export' : ''}`;
  });
}

describe('entitlementsFor', () => {
  it('Catalyst 9300: the base level and the add-on, only the running level', () => {
    expect(requested('C9300-24P', { level: 'network-advantage', addon: 'dna-advantage' })).toEqual([
      'network-advantage=advantagek9-Nyquist-C9300×1',
      'dna-advantage=c9300_dna_advantage×1',
    ]);
    expect(requested('C9300-48P', { level: 'network-essentials' })).toEqual([
      'network-essentials=essentialsk9-Nyquist-C9300×1',
    ]);
  });

  it('Catalyst 9200 and 9200L request their own tags', () => {
    expect(requested('C9200-24P', { level: 'network-essentials', addon: 'dna-essentials' })).toEqual([
      'network-essentials=C9200_NW_Essentials×1',
      'dna-essentials=C9200_DNA_Essentials×1',
    ]);
    expect(requested('C9200L-24T-4G', { level: 'network-essentials', addon: 'dna-essentials' })).toEqual([
      'network-essentials=C9200L-NW-E-24×1',
      'dna-essentials=C9200L-DNA-E-24×1',
    ]);
  });

  it('Catalyst 3850 on 16.9+: one tag for its level', () => {
    expect(requested('WS-C3850-24P', { level: 'ipservicesk9' })).toEqual(['ipservicesk9=cat3k_ipservices×1']);
  });

  it('ISR 4000: per-model package tags; hseck9 is export-controlled; cme-srst is counted; ipbasek9 requests nothing', () => {
    expect(requested('ISR4331/K9', { level: 'ipbasek9' })).toEqual([]);
    expect(
      requested('ISR4451-X/K9', {
        level: 'securityk9',
        features: [{ name: 'hseck9' }, { name: 'throughput' }, { name: 'cme-srst', count: 25 }],
      }),
    ).toEqual([
      'securityk9=ISR_4451_Security×1',
      'hseck9=ISR_4400_HSEC×1 export',
      'throughput=ISR_4000_Performance×1',
      'cme-srst=ISR_4000_CME_SRST×25',
    ]);
    expect(requested('ISR4321/K9', { level: 'uck9' })).toEqual(['uck9=ISR_4321_UnifiedCommunication×1']);
  });

  it('ASR 900 and ASR 1000: level tags and counted port licences', () => {
    expect(
      requested('ASR-903', {
        level: 'metroaggrservices',
        features: [
          { name: 'oc3', count: 4 },
          { name: 'oc12', count: 0 },
        ],
      }),
    ).toEqual(['metroaggrservices=ASR903_MetroAggrServices×1', 'oc3=ASR903_OC3×4']);
    expect(requested('ASR-920-24SZ-M', { level: 'advancedmetroipaccess' })).toEqual([
      'advancedmetroipaccess=ASR920_AdvancedMetroIPAccess×1',
    ]);
    expect(requested('ASR1002-X', { level: 'adventerprise', features: [{ name: 'ipsec' }] })).toEqual([
      'adventerprise=ASR1002-X_AdvEnterprise×1',
      'ipsec=ASR_1000_IPSec×1',
    ]);
  });

  it('traditional-only models request nothing', () => {
    expect(
      entitlementsFor(findPlatform('CISCO2911/K9'), {
        level: 'securityk9',
        features: [{ name: 'cme-srst', count: 10 }],
      }),
    ).toEqual([]);
    expect(entitlementsFor(findPlatform('WS-C3750E-24TD-S'), { level: 'ipservices' })).toEqual([]);
  });

  it('refuses an invalid level or add-on with the boot-level error', () => {
    expect(() => entitlementsFor(findPlatform('C9300-24P'), { level: 'lanbase' })).toThrow(
      '% Invalid boot level "lanbase" for C9300-24P',
    );
    expect(() =>
      entitlementsFor(findPlatform('C9300-24P'), { level: 'network-essentials', addon: 'dna-advantage' }),
    ).toThrow('needs boot level network-advantage');
  });

  it('refuses unknown, duplicated and badly counted features', () => {
    const isr = findPlatform('ISR4331/K9');
    expect(() => entitlementsFor(isr, { level: 'appxk9', features: [{ name: 'oc3' }] })).toThrow(
      'feature "oc3" is not licensed on ISR4331/K9; valid: hseck9, throughput, cme-srst',
    );
    expect(() =>
      entitlementsFor(findPlatform('C9300-24P'), { level: 'network-advantage', features: [{ name: 'hseck9' }] }),
    ).toThrow('valid: none');
    expect(() => entitlementsFor(isr, { level: 'appxk9', features: [{ name: 'hseck9' }, { name: 'HSECK9' }] })).toThrow(
      'feature hseck9 is listed twice',
    );
    expect(() => entitlementsFor(isr, { level: 'appxk9', features: [{ name: 'hseck9', count: 2 }] })).toThrow(
      'feature hseck9 is not counted on ISR4331/K9; count 2 must be 0 or 1',
    );
    expect(() => entitlementsFor(isr, { level: 'appxk9', features: [{ name: 'cme-srst', count: -1 }] })).toThrow(
      'count -1 must be a whole number',
    );
    expect(() => entitlementsFor(isr, { level: 'appxk9', features: [{ name: 'cme-srst', count: 1.5 }] })).toThrow(
      'count 1.5 must be a whole number',
    );
  });
});
