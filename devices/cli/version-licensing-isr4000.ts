/**
 * ISR 4000 `show version` licensing: the suite table of module 'esg' and the technology package table
 * (traditional-licensing-snmp-platforms.md A.5.6). Traditional images as GENIE golden_output_isr4k
 * (ISR4451-X 16.6.5: RTU packages `RightToUse`, ipbasek9 `Permanent`, no trailing blanks); Smart images as
 * a real ISR4351 17.9 capture (every type `Smart License`, blank-padded header and suite columns, then the
 * throughput line). The lab has no `license boot suite`: both suites show `None`.
 */
import type { DeviceView } from './cli-device.ts';

/** FoundationSuiteK9 = securityk9 + appxk9, AdvUCSuiteK9 = uck9 + cme-srst + cube (§C.2). */
const SUITES: readonly { name: string; members: readonly string[] }[] = [
  { name: 'FoundationSuiteK9', members: ['securityk9', 'appxk9'] },
  { name: 'AdvUCSuiteK9', members: ['uck9', 'cme-srst', 'cube'] },
];

/**
 * Throughput without a boost licence, kbps: ISR4351 200000 seen (17.9 capture); the others are the data-sheet
 * base rates (50 / 100 / 500 / 1000 Mbps), unconfirmed in a capture.
 */
const BASE_THROUGHPUT_KBPS: Readonly<Record<string, number>> = {
  'ISR4321/K9': 50_000,
  'ISR4331/K9': 100_000,
  'ISR4351/K9': 200_000,
  'ISR4431/K9': 500_000,
  'ISR4451-X/K9': 1_000_000,
};

function suiteTable(smart: boolean): string[] {
  const pad = (s: string, width: number): string => (smart ? s.padEnd(width) : s);
  const type = smart ? 'Smart License' : 'None';
  return [
    `Suite License Information for Module:'esg'${smart ? ' ' : ''}`,
    '',
    '-'.repeat(80),
    `${'Suite'.padEnd(22)}${'Suite Current'.padEnd(22)}${'Type'.padEnd(15)}${pad('Suite Next reboot', 22)}`,
    '-'.repeat(80),
    ...SUITES.flatMap((s, i) => [
      ...(i > 0 ? [''] : []),
      `${s.name.padEnd(22)}${'None'.padEnd(22)}${type.padEnd(15)}${pad('None', 22)}`,
      ...s.members,
    ]),
    '',
    '',
  ];
}

function technologyTable(view: DeviceView, smart: boolean): string[] {
  const p = view.platform;
  const b = view.bootLevel;
  const base = p.levels.find((l) => l.name === p.defaultLevel);
  // Packages first, ipbase last, as printed.
  const rows = [...p.levels.filter((l) => l !== base), ...(base ? [base] : [])].map((l) => {
    const isBase = l === base;
    const current = isBase || l.name === b.current ? l.name : 'None';
    const next = isBase || l.name === b.nextReload ? l.name : 'None';
    const type = smart ? 'Smart License' : current === 'None' ? 'None' : isBase ? 'Permanent' : 'RightToUse';
    return `${(isBase ? l.name.replace(/k9$/, '') : l.name).padEnd(17)}${current.padEnd(17)}${type.padEnd(17)}${next}`;
  });
  const end = smart ? ' ' : '';
  return [
    `Technology Package License Information:${end}`,
    '',
    '-'.repeat(65),
    'Technology    Technology-package           Technology-package',
    `              Current       Type           Next reboot${end}${end}`,
    '-'.repeat(66),
    ...rows,
    '',
  ];
}

export function isr4000Tables(view: DeviceView): string[] {
  const smart = view.licensingMode === 'smart';
  const throughput = BASE_THROUGHPUT_KBPS[view.platform.pid];
  const throughputLines = smart
    ? [`The current throughput level is ${throughput === undefined ? 'unthrottled' : `${throughput} kbps`} `, '', '']
    : [];
  return [...suiteTable(smart), ...technologyTable(view, smart), ...throughputLines];
}
