/**
 * The entitlement tags devices request and the cloud keeps pools of: part of the contract both sides
 * share. Format `regid.<yyyy-mm>.com.cisco.<NAME>,<version>_<uuid>` (ISO/IEC 19770-2 SWID style,
 * smart-licensing.md §4.10). Tags marked `real` were seen in captures (reference files); the others use
 * the real naming pattern with lab-made UUIDs.
 */
export interface EntitlementDefinition {
  tag: string;
  /** License name as CSSM lists it (`license` in the licenses API) and devices print it. */
  name: string;
  /** Short name devices show in `show license summary` (feature / boot level keyword). */
  feature: string;
  real?: boolean;
}

function def(
  date: string,
  name: string,
  uuid: string,
  license: string,
  feature: string,
  real = false,
): EntitlementDefinition {
  return { tag: `regid.${date}.com.cisco.${name},1.0_${uuid}`, name: license, feature, ...(real ? { real } : {}) };
}

export const entitlementCatalogue: readonly EntitlementDefinition[] = [
  // Catalyst 9300 (smart-licensing.md §4.11; cssm-api.md §1.3.10)
  def(
    '2017-05',
    'c9300_dna_advantage',
    '411773c3-2116-4c10-94a4-5d357fe6ff18',
    'C9300 DNA Advantage',
    'dna-advantage',
    true,
  ),
  def(
    '2018-05',
    'C9300-DNA-E-48',
    'e213fd3f-18f9-4940-a21c-617b92efdaae',
    'C9300-48 DNA Essentials',
    'dna-essentials',
    true,
  ),
  def(
    '2017-05',
    'advantagek9-Nyquist-C9300',
    '6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d01',
    'C9300 Network Advantage',
    'network-advantage',
  ),
  def(
    '2017-05',
    'essentialsk9-Nyquist-C9300',
    '6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02',
    'C9300 Network Essentials',
    'network-essentials',
  ),
  // Catalyst 9200
  def(
    '2018-06',
    'C9200_NW_Essentials',
    '6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d03',
    'C9200 Network Essentials',
    'network-essentials',
  ),
  def(
    '2018-06',
    'C9200_NW_Advantage',
    '6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d04',
    'C9200 Network Advantage',
    'network-advantage',
  ),
  def(
    '2018-06',
    'C9200_DNA_Essentials',
    '6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d05',
    'C9200 DNA Essentials',
    'dna-essentials',
  ),
  def('2018-06', 'C9200_DNA_Advantage', '6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d06', 'C9200 DNA Advantage', 'dna-advantage'),
  // Catalyst 9600 (captured, smart-licensing.md §4.10)
  def(
    '2018-11',
    'C9600-NW-E',
    '5dd8378e-df2c-493a-9c7e-4966cbe34aa3',
    'C9600 Network Essentials',
    'network-essentials',
    true,
  ),
  // Catalyst 3650 / 3850 (16.x Smart)
  def('2017-01', 'cat3k_ipbase', '7a0e3b1c-5d2f-4e6a-9b8c-0d1e2f3a4b01', 'Catalyst 3K IP Base', 'ipbase'),
  def('2017-01', 'cat3k_ipservices', '7a0e3b1c-5d2f-4e6a-9b8c-0d1e2f3a4b02', 'Catalyst 3K IP Services', 'ipservices'),
  def('2017-01', 'cat3k_lanbase', '7a0e3b1c-5d2f-4e6a-9b8c-0d1e2f3a4b03', 'Catalyst 3K LAN Base', 'lanbase'),
  // ISR 4000 (tags named ISR_4321_Application / ISR_4321_Security in captures)
  def('2015-09', 'ISR_4321_Application', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c01', 'ISR_4321_Application', 'appxk9'),
  def('2015-09', 'ISR_4321_Security', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c02', 'ISR_4321_Security', 'securityk9'),
  def(
    '2015-09',
    'ISR_4321_UnifiedCommunication',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c03',
    'ISR_4321_UnifiedCommunication',
    'uck9',
  ),
  def('2015-09', 'ISR_4331_Application', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c04', 'ISR_4331_Application', 'appxk9'),
  def('2015-09', 'ISR_4331_Security', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c05', 'ISR_4331_Security', 'securityk9'),
  def('2015-09', 'ISR_4351_Application', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c06', 'ISR_4351_Application', 'appxk9'),
  def('2015-09', 'ISR_4351_Security', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c07', 'ISR_4351_Security', 'securityk9'),
  def('2015-09', 'ISR_4431_Application', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c08', 'ISR_4431_Application', 'appxk9'),
  def('2015-09', 'ISR_4431_Security', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c09', 'ISR_4431_Security', 'securityk9'),
  def('2015-09', 'ISR_4451_Application', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0a', 'ISR_4451_Application', 'appxk9'),
  def('2015-09', 'ISR_4451_Security', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0b', 'ISR_4451_Security', 'securityk9'),
  def(
    '2015-09',
    'ISR_4400_HSEC',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0c',
    'U.S. Export Restriction Compliance license for 4000 series',
    'hseck9',
  ),
  def(
    '2015-09',
    'ISR_4000_Performance',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0d',
    'ISR 4000 Performance on Demand',
    'throughput',
  ),
  // ASR 1000
  def(
    '2014-12',
    'ASR1001-X_AdvEnterprise',
    '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d01',
    'ASR 1001-X Advanced Enterprise Services',
    'adventerprise',
  ),
  def('2014-12', 'ASR1001-X_IPBase', '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d02', 'ASR 1001-X IP Base', 'ipbase'),
  def(
    '2014-12',
    'ASR1002-X_AdvEnterprise',
    '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d03',
    'ASR 1002-X Advanced Enterprise Services',
    'adventerprise',
  ),
  def('2014-12', 'ASR1002-X_IPBase', '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d04', 'ASR 1002-X IP Base', 'ipbase'),
  // ASR 900
  def(
    '2016-03',
    'ASR920_AdvancedMetroIPAccess',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e01',
    'ASR 920 Advanced Metro IP Access',
    'advancedmetroipaccess',
  ),
  def(
    '2016-03',
    'ASR920_MetroIPAccess',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e02',
    'ASR 920 Metro IP Access',
    'metroipaccess',
  ),
  def('2016-03', 'ASR920_MetroAccess', 'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e03', 'ASR 920 Metro Access', 'metroaccess'),
  def(
    '2016-03',
    'ASR903_AdvancedMetroIPAccess',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e04',
    'ASR 903 Advanced Metro IP Access',
    'advancedmetroipaccess',
  ),
  // Appended with the device platform catalogue (devices/kinds/). Real naming pattern, lab-made UUIDs.
  // Catalyst 9200L: short names as C9200L devices print them in EVAL (smart-licensing.md §4.3: C9200L-NW-E-24)
  def(
    '2018-06',
    'C9200L-NW-E-24',
    'be4c7f5a-9b6d-4cae-8f2a-4b5c6d7e8f01',
    'C9200L Network Essentials',
    'network-essentials',
  ),
  def(
    '2018-06',
    'C9200L-NW-A-24',
    'be4c7f5a-9b6d-4cae-8f2a-4b5c6d7e8f02',
    'C9200L Network Advantage',
    'network-advantage',
  ),
  def('2018-06', 'C9200L-DNA-E-24', 'be4c7f5a-9b6d-4cae-8f2a-4b5c6d7e8f03', 'C9200L DNA Essentials', 'dna-essentials'),
  def('2018-06', 'C9200L-DNA-A-24', 'be4c7f5a-9b6d-4cae-8f2a-4b5c6d7e8f04', 'C9200L DNA Advantage', 'dna-advantage'),
  // ISR 4000 uck9 for the models that had only appxk9/securityk9, and the counted cme-srst seats
  def(
    '2015-09',
    'ISR_4331_UnifiedCommunication',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0e',
    'ISR_4331_UnifiedCommunication',
    'uck9',
  ),
  def(
    '2015-09',
    'ISR_4351_UnifiedCommunication',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c0f',
    'ISR_4351_UnifiedCommunication',
    'uck9',
  ),
  def(
    '2015-09',
    'ISR_4431_UnifiedCommunication',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c10',
    'ISR_4431_UnifiedCommunication',
    'uck9',
  ),
  def(
    '2015-09',
    'ISR_4451_UnifiedCommunication',
    '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c11',
    'ISR_4451_UnifiedCommunication',
    'uck9',
  ),
  def('2015-09', 'ISR_4000_CME_SRST', '8b1f4c2d-6e3a-4f7b-8c9d-1e2f3a4b5c12', 'ISR 4000 CME-SRST seat', 'cme-srst'),
  // ASR 1000: advipservices (short name as in traditional-licensing-snmp-platforms.md §C.2) and feature licences
  def(
    '2014-12',
    'ASR_1000_AdvIpservices',
    '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d05',
    'ASR 1000 Advanced IP Services',
    'advipservices',
  ),
  def('2014-12', 'ASR_1000_IPSec', '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d06', 'ASR 1000 IPsec', 'ipsec'),
  def('2014-12', 'ASR_1000_Firewall', '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d07', 'ASR 1000 Firewall', 'firewall'),
  def(
    '2014-12',
    'ASR1001-X_10G_Throughput',
    '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d08',
    'ASR 1001-X 10G Throughput Upgrade',
    'throughput_10g',
  ),
  def(
    '2014-12',
    'ASR1002-X_5G_To_10G_Throughput',
    '9c2a5d3e-7f4b-4a8c-9d0e-2f3a4b5c6d09',
    'ASR 1002-X 5G to 10G Throughput Upgrade',
    'throughput_5g_to_10g',
  ),
  // ASR 903 levels (metro*services, S-ASR903) and its feature licences; ASR 920 10GE port upgrade
  def(
    '2016-03',
    'ASR903_MetroServices',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e05',
    'ASR 903 Metro Services',
    'metroservices',
  ),
  def(
    '2016-03',
    'ASR903_MetroIPServices',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e06',
    'ASR 903 Metro IP Services',
    'metroipservices',
  ),
  def(
    '2016-03',
    'ASR903_MetroAggrServices',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e07',
    'ASR 903 Metro Aggregation Services',
    'metroaggrservices',
  ),
  def('2016-03', 'ASR903_OC3', 'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e08', 'ASR 903 OC-3 port', 'oc3'),
  def('2016-03', 'ASR903_OC12', 'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e09', 'ASR 903 OC-12 port', 'oc12'),
  def('2016-03', 'ASR903_ATM', 'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e0a', 'ASR 903 ATM', 'atm'),
  def('2016-03', 'ASR903_1588', 'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e0b', 'ASR 903 IEEE 1588 PTP', '1588'),
  def(
    '2016-03',
    'ASR920_10GE_Upgrade',
    'ad3b6e4f-8a5c-4b9d-8e1f-3a4b5c6d7e0c',
    'ASR 920 10GE port upgrade',
    '10GEupgradelicense',
  ),
];

const byTag = new Map(entitlementCatalogue.map((e) => [e.tag, e]));

export function findEntitlement(tag: string): EntitlementDefinition | undefined {
  return byTag.get(tag);
}

/** The part between `com.cisco.` and `,` — what operators usually say ("C9300-DNA-E-48"). */
export function tagShortName(tag: string): string {
  const m = /\.com\.cisco\.([^,]+),/.exec(tag);
  return m?.[1] ?? tag;
}
