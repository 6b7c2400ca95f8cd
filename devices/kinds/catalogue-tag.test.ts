import { describe, expect, it } from 'vitest';
import { catalogueTag } from './catalogue-tag.ts';

describe('catalogueTag', () => {
  it('gives the full tag of a short name', () => {
    expect(catalogueTag('c9300_dna_advantage')).toBe(
      'regid.2017-05.com.cisco.c9300_dna_advantage,1.0_411773c3-2116-4c10-94a4-5d357fe6ff18',
    );
  });

  it('names an unknown short name and lists the known ones', () => {
    expect(() => catalogueTag('C9300-NW-X')).toThrow(
      /no entitlement "C9300-NW-X" in #protocol entitlementCatalogue; known: .*ISR_4331_Security/,
    );
  });
});
