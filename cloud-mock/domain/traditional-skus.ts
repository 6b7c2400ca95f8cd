/**
 * What a PAK item (a traditional licensing SKU) fulfils: one feature license of a type for devices whose
 * PID starts with one of `platforms`. Features are the CLI names of traditional-licensing-snmp-platforms.md
 * §C.2 (ISR G2 technology packages securityk9/datak9/uck9 and hseck9, cme-srst counted; Catalyst
 * 3560-E/3750-E ipservices/advipservices; ISR 4000 appxk9/securityk9/uck9). SKU strings follow the real
 * styles (SL-29-SEC-K9, SL-4330-APP-K9, FL-CME-SRST-25), which the reference marks unconfirmed; the
 * Catalyst ones are the lab's. `smartTag`: the entitlement a PAK → Smart conversion deposits; SKUs of
 * platforms that never ran Smart Licensing (ISR G2, Catalyst 3K-E) have none.
 */
import { entitlementCatalogue, type LicenseLineType } from '#protocol';
import { fail } from './domain-error.ts';

export interface TraditionalSku {
  sku: string;
  description: string;
  feature: string;
  type: LicenseLineType;
  /** PID prefixes of the devices the license applies to (`CISCO29`, `C3900-SPE` for the 3925's license UDI). */
  platforms: readonly string[];
  /** Counted licenses: the count one unit adds (`cme-srst` seats); absent: uncounted. */
  countPerUnit?: number;
  /** Subscriptions: the term. */
  termDays?: number;
  smartTag?: string;
}

const tag = (name: string): string => {
  const e = entitlementCatalogue.find((d) => d.tag.includes(`.com.cisco.${name},`));
  if (!e) throw new Error(`traditional-skus: no entitlement ${name}`);
  return e.tag;
};

const G2 = { '19': ['CISCO19'], '29': ['CISCO29'], '39': ['CISCO39', 'C3900-SPE'] } as const;

function g2(series: keyof typeof G2, code: string, feature: string, what: string): TraditionalSku {
  return {
    sku: `SL-${series}-${code}-K9`,
    description: `ISR G2 ${series}00 ${what} (${feature}), permanent`,
    feature,
    type: 'permanent',
    platforms: G2[series],
  };
}

function isr4k(sku: string, pid: string, feature: string, smart: string): TraditionalSku {
  return {
    sku,
    description: `${pid} ${feature}, permanent`,
    feature,
    type: 'permanent',
    platforms: [pid],
    smartTag: tag(smart),
  };
}

function cat3k(model: 'C3560E' | 'C3750E', feature: string, code: string): TraditionalSku {
  return {
    sku: `${model}-LIC-${code}`,
    description: `Catalyst ${model.slice(1)} ${feature} upgrade, permanent`,
    feature,
    type: 'permanent',
    platforms: [`WS-${model}`],
  };
}

export const traditionalSkus: readonly TraditionalSku[] = [
  g2('19', 'SEC', 'securityk9', 'Security'),
  g2('19', 'DATA', 'datak9', 'Data'),
  g2('29', 'SEC', 'securityk9', 'Security'),
  g2('29', 'DATA', 'datak9', 'Data'),
  g2('29', 'UC', 'uck9', 'Unified Communications'),
  g2('39', 'SEC', 'securityk9', 'Security'),
  g2('39', 'DATA', 'datak9', 'Data'),
  g2('39', 'UC', 'uck9', 'Unified Communications'),
  {
    sku: 'FL-29-HSEC-K9',
    description: 'ISR G2 2900/3900 U.S. export restriction compliance (hseck9), permanent',
    feature: 'hseck9',
    type: 'permanent',
    platforms: [...G2['29'], ...G2['39']],
  },
  {
    sku: 'FL-CME-SRST-25',
    description: 'CME-SRST, 25 seats (counted), permanent',
    feature: 'cme-srst',
    type: 'permanent',
    platforms: [...G2['29'], ...G2['39'], 'ISR4'],
    countPerUnit: 25,
    smartTag: tag('ISR_4000_CME_SRST'),
  },
  // IPS signature updates: subscription-based (§C.2, unconfirmed); the lab's SKU name.
  {
    sku: 'FL-IPS-UPD-1Y',
    description: 'ISR G2 IOS IPS signature updates, 1-year paid subscription',
    feature: 'ios-ips-update',
    type: 'paidSubscription',
    platforms: [...G2['19'], ...G2['29'], ...G2['39']],
    termDays: 365,
  },
  cat3k('C3560E', 'ipservices', 'I'),
  cat3k('C3560E', 'advipservices', 'A'),
  cat3k('C3750E', 'ipservices', 'I'),
  cat3k('C3750E', 'advipservices', 'A'),
  isr4k('SL-4320-APP-K9', 'ISR4321', 'appxk9', 'ISR_4321_Application'),
  isr4k('SL-4320-SEC-K9', 'ISR4321', 'securityk9', 'ISR_4321_Security'),
  isr4k('SL-4320-UC-K9', 'ISR4321', 'uck9', 'ISR_4321_UnifiedCommunication'),
  isr4k('SL-4330-APP-K9', 'ISR4331', 'appxk9', 'ISR_4331_Application'),
  isr4k('SL-4330-SEC-K9', 'ISR4331', 'securityk9', 'ISR_4331_Security'),
  isr4k('SL-4330-UC-K9', 'ISR4331', 'uck9', 'ISR_4331_UnifiedCommunication'),
  isr4k('SL-4350-APP-K9', 'ISR4351', 'appxk9', 'ISR_4351_Application'),
  isr4k('SL-4350-SEC-K9', 'ISR4351', 'securityk9', 'ISR_4351_Security'),
  isr4k('SL-4350-UC-K9', 'ISR4351', 'uck9', 'ISR_4351_UnifiedCommunication'),
  isr4k('SL-44-APP-K9', 'ISR4431', 'appxk9', 'ISR_4431_Application'),
  isr4k('SL-44-SEC-K9', 'ISR4431', 'securityk9', 'ISR_4431_Security'),
  isr4k('SL-44-UC-K9', 'ISR4431', 'uck9', 'ISR_4431_UnifiedCommunication'),
];

const bySku = new Map(traditionalSkus.map((s) => [s.sku, s]));

export function requireTraditionalSku(sku: string): TraditionalSku {
  const found = bySku.get(sku);
  if (!found)
    fail(
      'SKU_UNKNOWN',
      `SKU "${sku.slice(0, 64)}" is not a traditional license SKU; known: ${[...bySku.keys()].join(', ')}`,
    );
  return found;
}

export function appliesTo(sku: TraditionalSku, pid: string): boolean {
  return sku.platforms.some((p) => pid.startsWith(p));
}

export function requireSkuFor(sku: TraditionalSku, pid: string): void {
  if (!appliesTo(sku, pid))
    fail(
      'SKU_NOT_FOR_PLATFORM',
      `${sku.sku} (${sku.feature}) is for PIDs starting ${sku.platforms.join(', ')}, not ${pid}`,
    );
}

/** Features the portal knows for a PID (evaluation and extension licenses are asked for by feature). */
export function featuresFor(pid: string): string[] {
  return [...new Set(traditionalSkus.filter((s) => appliesTo(s, pid)).map((s) => s.feature))];
}
