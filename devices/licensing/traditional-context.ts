/**
 * What goes into the traditional agent's chart and what comes out. In: commands already checked by the
 * agent (verified lines to install, the license to clear), and facts about the device. Out, through
 * XState's `emit()`: every %LICENSE / %IOS_LICENSE_IMAGE_APPLICATION message with the CISCO-LICENSE-MGMT-MIB
 * rows its notification carries. Context is plain JSON.
 */
import type { LicensePriority, Udi } from '#protocol';
import type { LicenseMgmtTrapContext } from '../snmp/license-mgmt-mib.ts';
import { imageLicenseMessages, licenseMessages } from '../syslog/license-messages.ts';
import type { ParamsOf } from '../syslog/message-definition.ts';
import type { RunningLevel } from './boot-level.ts';
import type { License } from './traditional-licenses.ts';
import type { InstalledLicense, TraditionalRecord } from './traditional-record.ts';
import type { CountedUsage } from './traditional-counted.ts';
import type { RtuActivation } from './traditional-rtu.ts';
import type { TraditionalTimers } from './traditional-timers.ts';

/** Both catalogues the agent logs from (their mnemonics do not overlap). */
export const traditionalMessages = { ...licenseMessages, ...imageLicenseMessages };
export type TraditionalMnemonic = keyof typeof traditionalMessages;
export type TraditionalParams<M extends TraditionalMnemonic> = ParamsOf<(typeof traditionalMessages)[M]>;

export type TraditionalEmission = {
  [M in TraditionalMnemonic]: {
    type: 'license.log';
    mnemonic: M;
    params: TraditionalParams<M>;
    trap?: LicenseMgmtTrapContext;
  };
}[TraditionalMnemonic];

export function licenseLog<M extends TraditionalMnemonic>(
  mnemonic: M,
  params: TraditionalParams<M>,
  trap?: LicenseMgmtTrapContext,
): TraditionalEmission {
  return { type: 'license.log', mnemonic, params, ...(trap ? { trap } : {}) } as TraditionalEmission;
}

/** A line that passed every check, with the storage slot it gets. */
export interface VerifiedInstall {
  installed: InstalledLicense;
  license: License;
}

export type TraditionalCommand =
  | { type: 'license.install'; lines: readonly VerifiedInstall[] }
  | { type: 'license.clear'; key: string }
  /** A permission ticket applied: `keys` revoked, `grace` installed, the level running on `running`. */
  | {
      type: 'license.revoke';
      keys: readonly string[];
      grace: readonly VerifiedInstall[];
      running: RunningLevel;
      permissionTicket: string;
    }
  | { type: 'license.acceptEula' }
  | { type: 'license.comment'; key: string; comment: string }
  /** `license modify priority`: the installed licenses of a feature get `priority`. */
  | { type: 'license.priority'; keys: readonly string[]; priority: LicensePriority }
  /** `license right-to-use activate` checked: the activation to record and the level the next reload runs. */
  | { type: 'license.rtu.activate'; activation: RtuActivation; license: License; nextReload: string }
  /** `license right-to-use deactivate` checked: the license to deactivate and the level the next reload runs. */
  | { type: 'license.rtu.deactivate'; key: string; nextReload: string }
  /** Entities of a counted feature taken or given back (checked): what is in use now and licensed. */
  | { type: 'license.usage'; feature: string; usage: CountedUsage; counted: string };

export type TraditionalFact =
  | { type: 'clock.changed'; clockOffsetMs: number }
  | { type: 'hostname.changed'; hostname: string }
  /** `license boot level` / `license boot module` in the running configuration. */
  | { type: 'bootLevel.changed'; level: string };

export type TraditionalEvent = TraditionalCommand | TraditionalFact;

/** What the agent knows of its device. */
export interface TraditionalDevice {
  udi: Udi;
  /** `PID:SN` as the licensing messages print it (the licensing PID: a 3925 is `C3900-SPE100/K9`). */
  licenseUdi: string;
  /** `Module name = <module>` of LICENSE_LEVEL (ISR G2 `c2900`; image-level platforms their PID). */
  module: string;
  /** Feature names in `show license` order: clmgmtFeatureIndex is the position + 1. */
  features: readonly string[];
  /** Level (image or technology package) names: installing one logs the next reboot level. */
  levels: readonly string[];
  /** Level configured for the next reload (running configuration). */
  nextReload: string;
  clockOffsetMs: number;
}

export interface TraditionalInput {
  record: TraditionalRecord;
  timers: TraditionalTimers;
  device: TraditionalDevice;
  /** Every license of the device (traditional-licenses.ts), kept current by installs and clears. */
  licenses: readonly License[];
  /** The level this boot runs and the license it runs on (chosen at boot, boot-level.ts). */
  running: RunningLevel;
}

export interface TraditionalContext extends TraditionalInput {
  /** Lab time the metered license in use started its current usage segment. */
  segmentStart?: number;
  /** Entities in use per counted feature (this boot: they register again after a reload). */
  countInUse?: Record<string, number>;
}

export const inUseLicense = (c: TraditionalInput): License | undefined =>
  c.licenses.find((l) => l.key === c.running.license);

/** Usage of the license in use including the running segment, ms. */
export function usedNow(c: TraditionalContext, now: number): number {
  const l = inUseLicense(c);
  if (!l) return 0;
  return (c.record.usedMs[l.key] ?? 0) + (c.segmentStart === undefined ? 0 : now - c.segmentStart);
}

/** What is left of the metered license in use, ms (0 for none). */
export function leftNow(c: TraditionalContext, now: number): number {
  return Math.max(0, (inUseLicense(c)?.periodMs ?? 0) - usedNow(c, now));
}
