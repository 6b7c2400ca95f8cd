/**
 * What an order line (SKU) deposits into a virtual account: entitlement tags, quantity per unit and
 * license type. SKU strings follow the real ones where the reference records them
 * (traditional-licensing-snmp-platforms.md §C: C9300-DNA-E-24, C9300-48-DNA-E, FL-4330-PERF-K9…);
 * a seed file can add more.
 */
import { entitlementCatalogue, type EntitlementDefinition } from '#protocol';
import type { LicenseType } from '../store/index.ts';
import { fail } from './domain-error.ts';

export interface SkuLine {
  tag: string;
  quantityPerUnit: number;
  licenseType: LicenseType;
  /** TERM and DEMO: how long the deposited licenses last. */
  termDays?: number;
}

export interface SkuDefinition {
  sku: string;
  description: string;
  lines: SkuLine[];
}

function tagOf(feature: string, nameIncludes: string): string {
  const e = entitlementCatalogue.find(
    (d: EntitlementDefinition) => d.feature === feature && d.name.includes(nameIncludes),
  );
  if (!e) throw new Error(`sku-catalog: no entitlement ${feature} for ${nameIncludes}`);
  return e.tag;
}

const term = (years: number) => years * 365;

export const builtInSkus: SkuDefinition[] = [
  {
    sku: 'C9300-NW-E-24',
    description: 'C9300 Network Essentials, 24-port, perpetual',
    lines: [{ tag: tagOf('network-essentials', 'C9300'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'C9300-NW-A-24',
    description: 'C9300 Network Advantage, 24-port, perpetual',
    lines: [{ tag: tagOf('network-advantage', 'C9300'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'C9300-DNA-E-24-3Y',
    description: 'C9300 DNA Essentials, 24-port, 3-year term',
    lines: [{ tag: tagOf('dna-essentials', 'C9300'), quantityPerUnit: 1, licenseType: 'TERM', termDays: term(3) }],
  },
  {
    sku: 'C9300-DNA-A-24-3Y',
    description: 'C9300 DNA Advantage, 24-port, 3-year term',
    lines: [{ tag: tagOf('dna-advantage', 'C9300'), quantityPerUnit: 1, licenseType: 'TERM', termDays: term(3) }],
  },
  {
    sku: 'C9200-NW-E-24',
    description: 'C9200 Network Essentials, perpetual',
    lines: [{ tag: tagOf('network-essentials', 'C9200'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'C9200-DNA-E-24-3Y',
    description: 'C9200 DNA Essentials, 3-year term',
    lines: [{ tag: tagOf('dna-essentials', 'C9200'), quantityPerUnit: 1, licenseType: 'TERM', termDays: term(3) }],
  },
  {
    sku: 'SL-4330-APP-K9',
    description: 'ISR 4331 Application (appxk9), perpetual',
    lines: [{ tag: tagOf('appxk9', '4331'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SL-4330-SEC-K9',
    description: 'ISR 4331 Security (securityk9), perpetual',
    lines: [{ tag: tagOf('securityk9', '4331'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SL-4330-FND-K9',
    description: 'ISR 4331 Foundation Suite (appxk9 + securityk9), perpetual',
    lines: [
      { tag: tagOf('appxk9', '4331'), quantityPerUnit: 1, licenseType: 'PERPETUAL' },
      { tag: tagOf('securityk9', '4331'), quantityPerUnit: 1, licenseType: 'PERPETUAL' },
    ],
  },
  {
    sku: 'FL-4330-PERF-K9',
    description: 'ISR 4000 Performance on Demand',
    lines: [{ tag: tagOf('throughput', 'ISR 4000'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'FL-44-HSEC-K9',
    description: 'ISR 4000 U.S. export restriction compliance (HSECK9)',
    lines: [{ tag: tagOf('hseck9', '4000'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SLASR1-AES',
    description: 'ASR 1001-X Advanced Enterprise Services, perpetual',
    lines: [{ tag: tagOf('adventerprise', '1001-X'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR920-S-A',
    description: 'ASR 920 Advanced Metro IP Access, perpetual',
    lines: [{ tag: tagOf('advancedmetroipaccess', 'ASR 920'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'LAB-DEMO-C9300-DNA-A',
    description: 'C9300 DNA Advantage demo, 60 days',
    lines: [{ tag: tagOf('dna-advantage', 'C9300'), quantityPerUnit: 1, licenseType: 'DEMO', termDays: 60 }],
  },
  // Appended with the device platform catalogue (devices/kinds/): one SKU per tag added there; names follow the real
  // SKU styles, unconfirmed.
  {
    sku: 'C9200L-NW-E-24',
    description: 'C9200L Network Essentials, 24-port, perpetual',
    lines: [{ tag: tagOf('network-essentials', 'C9200L'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'C9200L-NW-A-24',
    description: 'C9200L Network Advantage, 24-port, perpetual',
    lines: [{ tag: tagOf('network-advantage', 'C9200L'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'C9200L-DNA-E-24-3Y',
    description: 'C9200L DNA Essentials, 24-port, 3-year term',
    lines: [{ tag: tagOf('dna-essentials', 'C9200L'), quantityPerUnit: 1, licenseType: 'TERM', termDays: term(3) }],
  },
  {
    sku: 'C9200L-DNA-A-24-3Y',
    description: 'C9200L DNA Advantage, 24-port, 3-year term',
    lines: [{ tag: tagOf('dna-advantage', 'C9200L'), quantityPerUnit: 1, licenseType: 'TERM', termDays: term(3) }],
  },
  {
    sku: 'SL-4330-UC-K9',
    description: 'ISR 4331 Unified Communications (uck9), perpetual',
    lines: [{ tag: tagOf('uck9', '4331'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SL-4350-UC-K9',
    description: 'ISR 4351 Unified Communications (uck9), perpetual',
    lines: [{ tag: tagOf('uck9', '4351'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SL-4430-UC-K9',
    description: 'ISR 4431 Unified Communications (uck9), perpetual',
    lines: [{ tag: tagOf('uck9', '4431'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SL-4450-UC-K9',
    description: 'ISR 4451 Unified Communications (uck9), perpetual',
    lines: [{ tag: tagOf('uck9', '4451'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'FL-CME-SRST-25',
    description: 'ISR 4000 CME-SRST, 25 seats',
    lines: [{ tag: tagOf('cme-srst', 'ISR 4000'), quantityPerUnit: 25, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'SLASR1-AIS',
    description: 'ASR 1000 Advanced IP Services, perpetual',
    lines: [{ tag: tagOf('advipservices', 'ASR 1000'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'FLASR1-IPSEC-RTU',
    description: 'ASR 1000 IPsec, perpetual',
    lines: [{ tag: tagOf('ipsec', 'ASR 1000'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'FLASR1-FW-RTU',
    description: 'ASR 1000 Firewall, perpetual',
    lines: [{ tag: tagOf('firewall', 'ASR 1000'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'FLASR1001X-10G',
    description: 'ASR 1001-X throughput upgrade to 10G, perpetual',
    lines: [{ tag: tagOf('throughput_10g', '1001-X'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'FLASR1002X-5-10G',
    description: 'ASR 1002-X throughput upgrade 5G to 10G, perpetual',
    lines: [{ tag: tagOf('throughput_5g_to_10g', '1002-X'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-METRO-S',
    description: 'ASR 903 Metro Services, perpetual',
    lines: [{ tag: tagOf('metroservices', 'ASR 903'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-METRO-IP-S',
    description: 'ASR 903 Metro IP Services, perpetual',
    lines: [{ tag: tagOf('metroipservices', 'ASR 903'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-METRO-AGG-S',
    description: 'ASR 903 Metro Aggregation Services, perpetual',
    lines: [{ tag: tagOf('metroaggrservices', 'ASR 903'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-OC3-4P',
    description: 'ASR 903 OC-3, 4 ports',
    lines: [{ tag: tagOf('oc3', 'ASR 903'), quantityPerUnit: 4, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-OC12-1P',
    description: 'ASR 903 OC-12, 1 port',
    lines: [{ tag: tagOf('oc12', 'ASR 903'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-ATM',
    description: 'ASR 903 ATM, perpetual',
    lines: [{ tag: tagOf('atm', 'ASR 903'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR903-1588',
    description: 'ASR 903 IEEE 1588 PTP, perpetual',
    lines: [{ tag: tagOf('1588', 'ASR 903'), quantityPerUnit: 1, licenseType: 'PERPETUAL' }],
  },
  {
    sku: 'ASR920-10G-2P',
    description: 'ASR 920 10GE port upgrade, 2 ports',
    lines: [{ tag: tagOf('10GEupgradelicense', 'ASR 920'), quantityPerUnit: 2, licenseType: 'PERPETUAL' }],
  },
];

export class SkuCatalog {
  private readonly skus = new Map<string, SkuDefinition>();

  constructor(definitions: SkuDefinition[] = builtInSkus) {
    for (const d of definitions) this.skus.set(d.sku, d);
  }

  add(definition: SkuDefinition): void {
    this.skus.set(definition.sku, definition);
  }

  get(sku: string): SkuDefinition | undefined {
    return this.skus.get(sku);
  }

  delete(sku: string): void {
    this.skus.delete(sku);
  }

  require(sku: string): SkuDefinition {
    const d = this.skus.get(sku);
    if (!d)
      fail('SKU_UNKNOWN', `SKU "${sku}" is not in the catalogue; known: ${[...this.skus.keys()].sort().join(', ')}`);
    return d;
  }

  list(): SkuDefinition[] {
    return [...this.skus.values()];
  }
}
