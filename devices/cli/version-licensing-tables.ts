/**
 * `show version` "Technology Package License Information" tables (traditional-licensing-snmp-platforms.md
 * A.5.6), one function per layout; column widths and trailing blanks as the captures print them.
 */
import type { DeviceView } from './cli-device.ts';
import { runningLicenseType } from './csl-strings.ts';

/**
 * ISR G2 (GENIE ios c3900, c1900): one row per technology package (`securityk9` → `security`); ipbasek9 is
 * always on; the running package shows the type of the license it runs on (`Evaluation`, GENIE c1900).
 */
export function moduleTable(view: DeviceView): string[] {
  const b = view.bootLevel;
  const rows = view.platform.levels.map((l) => {
    const base = l.name === view.platform.defaultLevel;
    const current = base || l.name === b.current ? l.name : 'None';
    const next = base || l.name === b.nextReload ? l.name : 'None';
    const type = current === 'None' ? 'None' : base ? 'Permanent' : runningLicenseType(view);
    return `${l.name.replace(/k9$/, '').padEnd(14)}${current.padEnd(14)}${type.padEnd(15)}${next}`;
  });
  return [
    `Technology Package License Information for Module:'${view.platform.licenseModule ?? view.platform.pid}' `,
    '',
    '-'.repeat(65),
    'Technology    Technology-package           Technology-package',
    '              Current       Type           Next reboot  ',
    '-'.repeat(66),
    ...rows,
    '',
  ];
}

/** Catalyst 3850/3650 16.x RTU images (GENIE golden_output_c3850, 16.4): one row, the running level. */
export function packageTable(view: DeviceView): string[] {
  const b = view.bootLevel;
  return [
    'Technology Package License Information: ',
    '',
    '-'.repeat(65),
    `${'Technology-package'.padEnd(37)}Technology-package`,
    `${'Current'.padEnd(20)}${'Type'.padEnd(17)}Next reboot  `,
    '-'.repeat(66),
    `${b.current.padEnd(20)}${runningLicenseType(view).padEnd(17)}${b.nextReload}`,
    '',
  ];
}

const RULE_78 = '-'.repeat(78);

/**
 * Catalyst 9000 and Catalyst 3850/3650 16.12 smart images (GENIE golden_output_c9300; real WS-C3850-48P
 * 16.12.5b with `None` for the missing add-on): tab-separated base and add-on rows, then two blank lines.
 */
export function catalyst9000Table(view: DeviceView): string[] {
  const b = view.bootLevel;
  const row = (current: string, type: string, next: string, nextWidth: number): string =>
    `${current.padEnd(20)}\t${type.padEnd(30)}\t ${next.padEnd(nextWidth)}`;
  return [
    'Technology Package License Information: ',
    '',
    RULE_78,
    `${'Technology-package'.padEnd(55)}Technology-package`,
    `${'Current'.padEnd(31)}${'Type'.padEnd(27)}Next reboot  `,
    RULE_78,
    row(b.current, 'Smart License', b.nextReload, 20),
    row(b.currentAddon ?? 'None', 'Subscription Smart License', b.nextReloadAddon ?? 'None', 30),
    '',
    '',
  ];
}

/**
 * Catalyst 9300: the Catalyst 9000 table plus the embedded-wireless AIR level, `AIR DNA Advantage` whatever
 * the DNA add-on (real C9300-24U 16.12.3 with dna-essentials, GENIE C9300-24P 17.6); the lab has no
 * `license air level` command.
 */
export function catalyst9300Table(view: DeviceView): string[] {
  const table = catalyst9000Table(view);
  return [
    ...table.slice(0, -2),
    'AIR License Level: AIR DNA Advantage',
    'Next reload AIR license Level: AIR DNA Advantage',
    '',
    '',
  ];
}
