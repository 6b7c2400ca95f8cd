/**
 * The licensing lines of `show version` (traditional-licensing-snmp-platforms.md A.5.6): the Catalyst 9000
 * `Technology Package License Information` table (16.12 layout, tab-separated as captured), the ISR G2
 * per-module table, or the image-level `License Level:` lines; Smart Licensing images end with
 * `Smart Licensing Status: <registration>/<authorization>`.
 */
import type { DeviceView } from './cli-device.ts';
import { REGISTRATION_STATUS, authorizationStatusText } from './smart-strings.ts';

const RULE_78 = '-'.repeat(78);

function catalyst9000Table(view: DeviceView): string[] {
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
  ];
}

/** ISR G2: one row per technology (`securityk9` → `security`); ipbasek9 is always on. */
function moduleTable(view: DeviceView, module: string): string[] {
  const b = view.bootLevel;
  const rows = view.platform.levels.map((l) => {
    const tech = l.name.replace(/k9$/, '');
    const base = l.name === view.platform.defaultLevel;
    const current = base || l.name === b.current ? l.name : 'None';
    const next = base || l.name === b.nextReload ? l.name : 'None';
    return `${tech.padEnd(14)}${current.padEnd(14)}${(current === 'None' ? 'None' : 'Permanent').padEnd(15)}${next}`;
  });
  return [
    `Technology Package License Information for Module:'${module}' `,
    '',
    '-'.repeat(65),
    'Technology    Technology-package           Technology-package',
    '              Current       Type           Next reboot  ',
    '-'.repeat(66),
    ...rows,
  ];
}

/** `REGISTERED/AUTHORIZED`, `UNREGISTERED/EVAL MODE` (A.5.6): statuses without their dates. */
export function smartStatusLine(view: DeviceView): string {
  const s = view.smart;
  return `Smart Licensing Status: ${REGISTRATION_STATUS[s.registration.status]}/${authorizationStatusText(s.authorization.status, undefined)}`;
}

export function versionLicensing(view: DeviceView): string[] {
  const p = view.platform;
  const b = view.bootLevel;
  const smart = view.licensingMode === 'smart';
  let lines: string[];
  if (smart && p.addons?.length) lines = [...catalyst9000Table(view), '', ''];
  else if (p.levelModel === 'technology-package' && p.licenseModule) lines = [...moduleTable(view, p.licenseModule), ''];
  else {
    // Image-level (3750-E, ASR 903); Smart images print `License Type: Smart License` (ASR 920, A.5.6).
    // The view does not say whether a traditional level is permanent or evaluation: `Permanent`.
    lines = [`License Level: ${b.current}`, `License Type: ${smart ? 'Smart License' : 'Permanent'}`, `Next reload license Level: ${b.nextReload}`, ''];
  }
  return smart ? [...lines, smartStatusLine(view), ''] : lines;
}
