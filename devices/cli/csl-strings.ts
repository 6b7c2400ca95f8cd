/**
 * How traditional (CSL) `show license …` prints a license (traditional-licensing-snmp-platforms.md A.2,
 * A.3, A.5): type names, state strings, periods, counts, priorities. Confirmed strings are the captures';
 * the ones the reference marks unconfirmed are noted where they are used.
 */
import type { LicenseLineType } from '#protocol';
import type { LicenseView } from '../licensing/traditional-view.ts';
import type { DeviceView } from './cli-device.ts';

/** `License Type:` (A.2): Evaluation and Permanent confirmed, the other names unconfirmed. */
export const TYPE_NAMES: Record<LicenseLineType, string> = {
  demo: 'Evaluation',
  extension: 'Extension',
  gracePeriod: 'Grace Period',
  permanent: 'Permanent',
  paidSubscription: 'Paid Subscription',
  evaluationSubscription: 'Evaluation Subscription',
  extensionSubscription: 'Extension Subscription',
  evalRightToUse: 'EvalRightToUse',
  rightToUse: 'RightToUse',
  permanentRightToUse: 'Permanent Right-To-Use',
};

const DAY_S = 86_400;
const unit = (n: number, name: string): string => `${n}  ${name}`;

/**
 * A period as CSL prints it, two spaces between number and unit: `8  weeks 4  days` (confirmed), `0  minute
 * 0  second` (confirmed); the forms between (`3  days 4  hours`, `5  hours 2  minutes`) are the lab's.
 */
export function formatPeriod(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / DAY_S);
  const hours = Math.floor((s % DAY_S) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days >= 7) return `${unit(Math.floor(days / 7), 'weeks')} ${unit(days % 7, 'days')}`;
  if (days > 0) return `${unit(days, 'days')} ${unit(hours, 'hours')}`;
  if (hours > 0) return `${unit(hours, 'hours')} ${unit(minutes, 'minutes')}`;
  return `${unit(minutes, 'minute')}  ${unit(s % 60, 'second')}`;
}

const metered = (l: LicenseView): boolean => l.periodMs !== undefined;
const notStarted = (l: LicenseView): boolean => metered(l) && l.usedMs === 0 && l.status !== 'inUse';

/** `Period left:` (A.3): `Life time`, `Not Activated` for an evaluation never used, else what is left. */
export function periodLeft(l: LicenseView): string {
  if (!metered(l)) return 'Life time';
  if (notStarted(l)) return 'Not Activated';
  return formatPeriod((l.periodMs ?? 0) - (l.usedMs ?? 0));
}

/**
 * `License State:` (A.3). Confirmed: `Active, In Use`, `Active, Not in Use`, `Inactive`, and for an
 * evaluation whose EULA is not accepted `Not in Use, EULA not accepted` (IOS 15.x) / `Active, Not in Use,
 * EULA not accepted` (IOS XE). Unconfirmed, the reference's suggestions: `…, EULA accepted`, `Expired, In
 * Use`, `Expired, Not in Use`.
 */
export function licenseState(l: LicenseView, view: DeviceView): string {
  switch (l.status) {
    case 'inUse':
      return 'Active, In Use';
    case 'inactive':
      return 'Inactive';
    case 'expiredInUse':
      return 'Expired, In Use';
    case 'expiredNotInUse':
      return 'Expired, Not in Use';
    case 'notInUse': {
      if (!l.eulaRequired) return 'Active, Not in Use';
      const eula = view.traditional?.eulaAccepted ? 'EULA accepted' : 'EULA not accepted';
      return `${view.release.os === 'IOS XE' || view.traditional?.eulaAccepted ? 'Active, ' : ''}Not in Use, ${eula}`;
    }
  }
}

/**
 * `License Count:` (A.2): `Non-Counted`; `<in-use>/<violation>  (In-use/Violation)` for a counted license
 * without units (the captured built-in `cme-srst` / `interface_10g` `0/0`), `<count>/<in-use>/<violation>
 * (Active/In-use/Violation)` for one with units (the captured ASR-903 `oc3` `4/4/0`). Which form a license
 * with units prints on ISR / ASR 1000 is unconfirmed: the lab prints the triple wherever there are units.
 */
export function licenseCount(l: LicenseView): string {
  if (l.count === null) return 'Non-Counted';
  const used = `${l.countInUse ?? 0}/${l.countViolation ?? 0}`;
  return l.count > 0 ? `${l.count}/${used}  (Active/In-use/Violation)` : `${used}  (In-use/Violation)`;
}

/** `License Priority:` (A.2): `Medium`, `None` confirmed; `High`, `Low` unconfirmed. */
export const licensePriority = (l: LicenseView): string => l.priority.charAt(0).toUpperCase() + l.priority.slice(1);

/**
 * `show version`'s type of the level running now: the type of the license it runs on (`Evaluation` on an
 * ISR G2 running a built-in license, GENIE golden_output_ios_c1900), `Permanent` without a traditional view.
 */
export function runningLicenseType(view: DeviceView): string {
  const t = view.traditional;
  const l = t?.licenses.find((x) => x.key === t.running.license);
  return l ? TYPE_NAMES[l.type] : 'Permanent';
}

/** `Period Used:` / `Period used:` lines appear for metered licenses only (A.3). */
export const periodUsed = (l: LicenseView): string => formatPeriod(l.usedMs ?? 0);
