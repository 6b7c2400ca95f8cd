/**
 * Right-to-Use licensing of the Catalyst 3650 / 3850 on IOS XE 3.x and 16.3 (traditional-licensing-snmp-platforms.md
 * §A.4, §A.5.7, §C.2): no PAK and no license file; `license right-to-use activate <level> [evaluation]
 * [all | slot <n>] [acceptEULA]` records a permanent RTU license (or a 90-day evaluation) of an image level
 * once its EULA is accepted, and the switch boots "the highest activated License level" at its next reload.
 * What an activation is, the licenses activations give, the checks a request must pass, and the level the
 * next reload runs live here; the chart records them (traditional-setup.ts) and the agent checks them.
 *
 * Lab choices where the reference is silent (noted in devices/README.md):
 * - the level keywords are the image levels without `k9` (`ipservices` runs `ipservicesk9`), as the
 *   confirmed `show license right-to-use default` prints them (`lanbase`);
 * - a permanent RTU license has clmgmtLicenseType permanent(4) (`show version` of a 3850 16.x prints
 *   `ipservicesk9  Permanent`), an evaluation demo(1) (`Evaluation`) with its 90 days counted while in use
 *   like every CSL evaluation (the MIB's metered licenses run on the system clock);
 * - a standalone switch is slot 1: `all` is slot 1, another slot is refused;
 * - the factory license is the `default` RTU license: it cannot be deactivated, nor activated again.
 */
import type { PlatformModel } from '../kinds/platform.ts';
import { licenseForLevel, type License } from './traditional-licenses.ts';
import type { TraditionalCommand, TraditionalContext } from './traditional-context.ts';
import type { TraditionalRecord } from './traditional-record.ts';

export type RtuKind = 'permanent' | 'evaluation';

/** One `license right-to-use activate` kept in the traditional record (it survives reload and upgrade). */
export interface RtuActivation {
  /** The image level it licenses (`ipservicesk9`). */
  level: string;
  kind: RtuKind;
  slot: number;
  /** Primary License Storage index it got (never reused). */
  storeIndex: number;
  activatedAt: number;
  /** `license right-to-use deactivate`: kept so an evaluation's used days are never given back. */
  deactivatedAt?: number;
}

/** A standalone switch answers for slot 1 (lab choice: the lab models no stacks). */
export const RTU_SLOTS: readonly number[] = [1];

/** `ipservicesk9` → `ipservices`: the RTU keyword of an image level. */
export const rtuName = (level: string): string => level.replace(/k9$/, '');

/** The platform levels as RTU keywords, lowest first. */
export const rtuLevels = (platform: PlatformModel): string[] => platform.levels.map((l) => rtuName(l.name));

export const rtuKey = (level: string, kind: RtuKind): string => `rtu:${kind}:${level}`;

export const activeActivations = (record: TraditionalRecord): RtuActivation[] =>
  (record.rightToUse ?? []).filter((a) => a.deactivatedAt === undefined);

/** The license an activation gives: node-locked to the switch, EULA accepted by the activation itself. */
export function rtuLicense(a: RtuActivation, lock: { pid: string; sn: string }, evaluationPeriodMs: number): License {
  const evaluation = a.kind === 'evaluation';
  return {
    key: rtuKey(a.level, a.kind),
    feature: a.level,
    version: '1.0',
    type: evaluation ? 'demo' : 'permanent',
    store: 'primary',
    storeIndex: a.storeIndex,
    lock,
    count: null,
    priority: evaluation ? 'none' : 'medium',
    ...(evaluation ? { periodMs: evaluationPeriodMs } : {}),
    eulaRequired: false,
    comment: '',
  };
}

/**
 * "Reboot the switch to invoke the highest activated License level": the highest level a usable license
 * (the factory one or an activation) covers, else the factory default.
 */
export function highestActivatedLevel(
  platform: PlatformModel,
  licenses: readonly License[],
  record: TraditionalRecord,
  deviceNow: number,
): string {
  const high = [...platform.levels]
    .reverse()
    .find((l) => licenseForLevel(platform, licenses, record, deviceNow, l.name) !== undefined);
  return high?.name ?? platform.defaultLevel;
}

export interface RtuRequest {
  /** RTU keyword as typed (`ipservices`). */
  level: string;
  kind: RtuKind;
  /** `all` or absent: 1. */
  slot: number;
}

export type RtuCheck = { ok: true; level: string } | { ok: false; error: string };

/** The level a keyword names and a slot this switch has, or the refusal naming the valid choices. */
function levelAndSlot(platform: PlatformModel, request: RtuRequest): RtuCheck {
  if (!platform.rightToUse) return { ok: false, error: '% Right-to-use licensing is not supported on this platform' };
  const level = platform.levels.find((l) => rtuName(l.name) === request.level.toLowerCase())?.name;
  if (level === undefined)
    return { ok: false, error: `% Invalid license level ${request.level}; levels: ${rtuLevels(platform).join(', ')}` };
  if (!RTU_SLOTS.includes(request.slot))
    return { ok: false, error: `% Invalid slot ${request.slot}; slots: ${RTU_SLOTS.join(', ')}` };
  return { ok: true, level };
}

const label = (level: string, kind: RtuKind) => `${rtuName(level)} ${kind}`;

/** `activate`: a level this switch has, not yet active in that kind, and an evaluation not used up. */
export function checkActivate(
  platform: PlatformModel,
  record: TraditionalRecord,
  request: RtuRequest,
  evaluationPeriodMs: number,
): RtuCheck {
  const checked = levelAndSlot(platform, request);
  if (!checked.ok) return checked;
  const { level } = checked;
  const key = rtuKey(level, request.kind);
  const factory = request.kind === 'permanent' && level === platform.defaultLevel;
  if (factory || activeActivations(record).some((a) => a.level === level && a.kind === request.kind))
    return { ok: false, error: `% License ${label(level, request.kind)} is already activated` };
  // Usage is never reset: an evaluation deactivated and activated again goes on from where it was.
  if (request.kind === 'evaluation' && (record.usedMs[key] ?? 0) >= evaluationPeriodMs)
    return { ok: false, error: `% License ${label(level, 'evaluation')} has expired and cannot be activated again` };
  return checked;
}

/** `deactivate`: an active activation of that level and kind (the factory license stays). */
export function checkDeactivate(platform: PlatformModel, record: TraditionalRecord, request: RtuRequest): RtuCheck {
  const checked = levelAndSlot(platform, request);
  if (!checked.ok) return checked;
  const { level } = checked;
  if (request.kind === 'permanent' && level === platform.defaultLevel)
    return {
      ok: false,
      error: `% License ${label(level, 'permanent')} is the factory default and cannot be deactivated`,
    };
  if (!activeActivations(record).some((a) => a.level === level && a.kind === request.kind))
    return { ok: false, error: `% License ${label(level, request.kind)} is not activated` };
  return checked;
}

/** What IOS prints after an activation or deactivation (recalled from the 3850 guide, unconfirmed). */
export const RTU_REBOOT_NOTICE = '% switch-1:stack-mgr:Reboot the switch to invoke the highest activated License level';

/** The right-to-use licenses among a switch's licenses: the factory (`default`) one and the activations. */
export const isRtuLicense = (l: Pick<License, 'key'>): boolean =>
  l.key.startsWith('factory:') || l.key.startsWith('rtu:');

/**
 * An activation or deactivation checked against the switch's licenses, as the chart event that records it;
 * the level the next reload runs is the highest one the licenses left after the change cover.
 */
export function rtuCommand(
  platform: PlatformModel,
  c: TraditionalContext,
  request: RtuRequest & { action: 'activate' | 'deactivate' },
  now: number,
): { ok: true; event: TraditionalCommand } | { ok: false; error: string } {
  const deviceNow = now + c.device.clockOffsetMs;
  const period = c.timers.rtuEvaluationPeriod;
  if (request.action === 'deactivate') {
    const check = checkDeactivate(platform, c.record, request);
    if (!check.ok) return check;
    const key = rtuKey(check.level, request.kind);
    const left = c.licenses.filter((l) => l.key !== key);
    const nextReload = highestActivatedLevel(platform, left, c.record, deviceNow);
    return { ok: true, event: { type: 'license.rtu.deactivate', key, nextReload } };
  }
  const check = checkActivate(platform, c.record, request, period);
  if (!check.ok) return check;
  const activation = {
    level: check.level,
    kind: request.kind,
    slot: request.slot,
    storeIndex: c.record.nextStoreIndex,
    activatedAt: now,
  };
  const license = rtuLicense(
    activation,
    { pid: platform.licenseUdiPid ?? c.device.udi.pid, sn: c.device.udi.sn },
    period,
  );
  const after = [...c.licenses.filter((l) => l.key !== license.key), license];
  const nextReload = highestActivatedLevel(platform, after, c.record, deviceNow);
  return { ok: true, event: { type: 'license.rtu.activate', activation, license, nextReload } };
}
