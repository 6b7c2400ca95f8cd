/**
 * The traditional chart's named implementations (traditional.machine.ts is the chart): delays computed from
 * the usage banked in context, guards, and actions that assign plain data or emit output. Built on a lab
 * clock, the only source of time. Usage counts in lab time while the metered license is in use: the MIB's
 * "usage period measured on the system clock", which a `clock set` does not move.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { LicenseMgmtTrapContext } from '../snmp/license-mgmt-mib.ts';
import { formatCoarse } from '../time/ios-time.ts';
import { nextExpiryWarning } from './schedules.ts';
import {
  inUseLicense,
  leftNow,
  licenseLog,
  usedNow,
  type TraditionalContext,
  type TraditionalEvent,
  type TraditionalInput,
  type TraditionalEmission,
  type VerifiedInstall,
} from './traditional-context.ts';
import { STORE_NAMES, type License } from './traditional-licenses.ts';
import { usageCrossing } from './traditional-counted.ts';
import { withHistory, type HistoryEntry, type TraditionalRecord } from './traditional-record.ts';

/** A standalone box answers for entPhysicalIndex 1 (B.1). */
const CHASSIS = 1;

/** The clmgmtLicensableFeatureTable row of a feature (index = its `show license` position). */
function featureRow(c: TraditionalContext, l: License, remainingMs?: number): LicenseMgmtTrapContext['feature'] {
  return {
    index: c.device.features.indexOf(l.feature) + 1,
    name: l.feature,
    version: l.version,
    ...(remainingMs !== undefined ? { validityPeriodRemaining: Math.floor(remainingMs / 1000) } : {}),
  };
}

/** The clmgmtLicenseInfoTable row of a license: store 1 is the primary storage, 2 the built-in one. */
function licenseRow(l: License): LicenseMgmtTrapContext['license'] {
  return {
    storeUsed: l.store === 'primary' ? 1 : 2,
    index: l.storeIndex + 1,
    featureName: l.feature,
    featureVersion: l.version,
    type: l.type,
    comments: l.comment,
  };
}

const store = (l: License) => ({ storeIndex: l.storeIndex, storeName: STORE_NAMES[l.store] });
const named = (c: TraditionalContext, l: License) => ({
  feature: l.feature,
  version: l.version,
  udi: c.device.licenseUdi,
});

function recorded(c: TraditionalContext, now: number, entries: Omit<HistoryEntry, 'at'>[]): TraditionalRecord {
  return entries.reduce((r, e) => withHistory(r, { at: now, ...e }), c.record);
}

const installEntry = ({ license: l }: VerifiedInstall): Omit<HistoryEntry, 'at'> => ({
  action: 'install',
  feature: l.feature,
  license: l.key,
  type: l.type,
});

/** `licenses` with `added` placed before the built-in ones (`show license detail` order). */
function beforeBuiltin(licenses: readonly License[], added: readonly License[]): License[] {
  const builtinAt = licenses.findIndex((l) => l.store === 'builtin');
  const at = builtinAt < 0 ? licenses.length : builtinAt;
  return [...licenses.slice(0, at), ...added, ...licenses.slice(at)];
}

/** `base` with verified lines added to the storage, and their licenses placed before the built-in ones. */
function installed(
  c: TraditionalContext,
  lines: readonly VerifiedInstall[],
  base: TraditionalRecord,
): Pick<TraditionalContext, 'record' | 'licenses'> {
  const last = lines.at(-1)?.installed.storeIndex ?? base.nextStoreIndex - 1;
  return {
    record: {
      ...base,
      installed: [...base.installed, ...lines.map((v) => v.installed)],
      nextStoreIndex: Math.max(base.nextStoreIndex, last + 1),
    },
    licenses: beforeBuiltin(
      c.licenses,
      lines.map((v) => v.license),
    ),
  };
}

/**
 * INSTALL (clmgmtLicenseInstalled), and for a level's license what the next reboot runs (S-CCNA60: after
 * installing datak9).
 */
function installLogs(c: TraditionalContext, l: License): TraditionalEmission[] {
  const logs = [
    licenseLog('INSTALL', { ...named(c, l), ...store(l) }, { entPhysicalIndex: CHASSIS, license: licenseRow(l) }),
  ];
  if (c.device.levels.includes(l.feature))
    logs.push(
      licenseLog('LICENSE_LEVEL', {
        module: c.device.module,
        nextReboot: c.device.nextReload,
        license: c.device.nextReload,
      }),
    );
  return logs;
}

/** The implementations on `clock`; every device of a lab shares them (and the machine built on them). */
export function traditionalSetup(clock: { now(): number }) {
  const now = (): number => clock.now();
  const banked = (c: TraditionalContext, used: number): TraditionalRecord => {
    const l = inUseLicense(c);
    return l ? { ...c.record, usedMs: { ...c.record.usedMs, [l.key]: used } } : c.record;
  };

  return setup({
    types: {} as {
      context: TraditionalContext;
      events: TraditionalEvent;
      input: TraditionalInput;
      emitted: TraditionalEmission;
    },
    delays: {
      EXPIRY_WARNING: ({ context: c }) => {
        const left = leftNow(c, now());
        const next = nextExpiryWarning(left);
        return next === undefined ? Infinity : left - next;
      },
      EXPIRY: ({ context: c }) => leftNow(c, now()),
      USAGE_CHECKPOINT: ({ context: c }) => c.timers.usageCheckpoint,
      EXPIRED_REMINDER: ({ context: c }) => c.timers.expiredReminder,
    },
    guards: {
      meteredInUse: ({ context: c }) => inUseLicense(c)?.periodMs !== undefined,
      revokesRunning: ({ context: c, event }) =>
        event.type === 'license.revoke' && event.keys.includes(c.running.license ?? ''),
    },
    actions: {
      startSegment: assign({ segmentStart: () => now() }),
      endSegment: assign(({ context: c }) => ({ record: banked(c, usedNow(c, now())), segmentStart: undefined })),
      bankUsage: assign(({ context: c }) => ({ record: banked(c, usedNow(c, now())), segmentStart: now() })),
      expire: assign(({ context: c }) => {
        const l = inUseLicense(c)!;
        const record = banked(
          {
            ...c,
            record: recorded(c, now(), [{ action: 'expire', feature: l.feature, license: l.key, type: l.type }]),
          },
          l.periodMs ?? 0,
        );
        return { record, segmentStart: undefined };
      }),
      logExpiring: emit(({ context: c }) => {
        const l = inUseLicense(c)!;
        const left = leftNow(c, now());
        return licenseLog(
          'EXPIRING',
          { ...named(c, l), remaining: formatCoarse(left) },
          {
            entPhysicalIndex: CHASSIS,
            feature: featureRow(c, l, left),
          },
        );
      }),
      // The recalled template's third [chars]: lab wording saying what the reference's choice keeps doing.
      logExpired: emit(({ context: c }) => {
        const l = inUseLicense(c)!;
        return licenseLog(
          'EXPIRED',
          { ...named(c, l), detail: 'and will run until the next reload' },
          {
            entPhysicalIndex: CHASSIS,
            feature: featureRow(c, l),
          },
        );
      }),

      // At every boot (S-CCNA60 boot logs: `Module name = c1900 Next reboot level = ipbasek9 and License = ipbasek9`).
      logBootLevel: emit(({ context: c }) =>
        licenseLog('LICENSE_LEVEL', {
          module: c.device.module,
          nextReboot: c.device.nextReload,
          license: inUseLicense(c)?.feature ?? 'No valid license found',
        }),
      ),
      install: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.install') return;
        enqueue.assign(installed(c, event.lines, recorded(c, now(), event.lines.map(installEntry))));
        for (const { license: l } of event.lines) for (const e of installLogs(c, l)) enqueue.emit(e);
      }),
      /**
       * A permission ticket applied: its licenses stay in storage marked revoked (no license any more), its
       * grace lines are installed, and the level runs on as the agent chose (on the grace license when the
       * revoked one served it). REVOKED (clmgmtLicenseRevoked) per license, then INSTALL per grace line.
       */
      revoke: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.revoke') return;
        const gone = c.licenses.filter((l) => event.keys.includes(l.key));
        const at = now();
        const history = [
          ...gone.map((l) => ({ action: 'revoke' as const, feature: l.feature, license: l.key, type: l.type })),
          ...event.grace.map(installEntry),
        ];
        const base = recorded(c, at, history);
        const marked = base.installed.map((i) => {
          const l = gone.find((x) => x.storeIndex === i.storeIndex);
          return l
            ? { ...i, revoked: { at, license: l.key, feature: l.feature, permissionTicket: event.permissionTicket } }
            : i;
        });
        const kept = { ...c, licenses: c.licenses.filter((l) => !gone.includes(l)) };
        enqueue.assign({ ...installed(kept, event.grace, { ...base, installed: marked }), running: event.running });
        for (const l of gone)
          enqueue.emit(
            licenseLog(
              'REVOKED',
              { ...named(c, l), ...store(l) },
              { entPhysicalIndex: CHASSIS, license: licenseRow(l) },
            ),
          );
        for (const { license: l } of event.grace) for (const e of installLogs(c, l)) enqueue.emit(e);
      }),
      clear: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.clear') return;
        const l = c.licenses.find((x) => x.key === event.key);
        if (!l) return;
        const base = recorded(c, now(), [{ action: 'clear', feature: l.feature, license: l.key, type: l.type }]);
        enqueue.assign({
          record: { ...base, installed: base.installed.filter((i) => i.storeIndex !== l.storeIndex) },
          licenses: c.licenses.filter((x) => x !== l),
        });
        enqueue.emit(
          licenseLog('REMOVE', { ...named(c, l), ...store(l) }, { entPhysicalIndex: CHASSIS, license: licenseRow(l) }),
        );
      }),
      /**
       * EULA_ACCEPT_ALL (S-ASR903), then clmgmtLicenseEULAAccepted per evaluation feature it covers, each
       * with its EULA_ACCEPTED line (S-CSR): the MIB notification names one feature, so one per feature.
       */
      acceptEula: enqueueActions(({ context: c, enqueue }) => {
        if (c.record.eulaAccepted) return;
        enqueue.assign({ record: { ...recorded(c, now(), [{ action: 'eulaAccept' }]), eulaAccepted: true } });
        enqueue.emit(licenseLog('EULA_ACCEPT_ALL', {}));
        for (const l of c.licenses.filter((x) => x.eulaRequired))
          enqueue.emit(
            licenseLog(
              'EULA_ACCEPTED',
              { ...named(c, l), ...store(l) },
              { entPhysicalIndex: CHASSIS, feature: featureRow(c, l) },
            ),
          );
      }),
      /**
       * `license right-to-use activate`: the activation recorded (one that was deactivated is replaced, its
       * usage kept), INSTALL (clmgmtLicenseInstalled) and EULA_ACCEPTED (clmgmtLicenseEULAAccepted: the
       * activation accepts its EULA), then LICENSE_LEVEL with the level the next reload runs.
       */
      rtuActivate: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.rtu.activate') return;
        const { activation: a, license: l } = event;
        const base = recorded(c, now(), [{ action: 'activate', feature: l.feature, license: l.key, type: l.type }]);
        const kept = (base.rightToUse ?? []).filter((x) => !(x.level === a.level && x.kind === a.kind));
        const next: TraditionalContext = {
          ...c,
          record: {
            ...base,
            rightToUse: [...kept, a],
            nextStoreIndex: Math.max(base.nextStoreIndex, a.storeIndex + 1),
          },
          licenses: beforeBuiltin(
            c.licenses.filter((x) => x.key !== l.key),
            [l],
          ),
          device: { ...c.device, nextReload: event.nextReload },
        };
        enqueue.assign({ record: next.record, licenses: next.licenses, device: next.device });
        const [install, ...level] = installLogs(next, l);
        enqueue.emit(install!);
        enqueue.emit(
          licenseLog(
            'EULA_ACCEPTED',
            { ...named(c, l), ...store(l) },
            { entPhysicalIndex: CHASSIS, feature: featureRow(c, l) },
          ),
        );
        for (const e of level) enqueue.emit(e);
      }),
      /**
       * `license right-to-use deactivate`: the activation marked deactivated (kept, so an evaluation's usage
       * stays), its license gone, unless the level runs on it now: then it runs until the reload. REMOVE
       * (clmgmtLicenseCleared), then LICENSE_LEVEL with the level the next reload runs.
       */
      rtuDeactivate: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.rtu.deactivate') return;
        const l = c.licenses.find((x) => x.key === event.key);
        if (!l) return;
        const at = now();
        const base = recorded(c, at, [{ action: 'deactivate', feature: l.feature, license: l.key, type: l.type }]);
        const rightToUse = (base.rightToUse ?? []).map((a) =>
          a.storeIndex === l.storeIndex && a.deactivatedAt === undefined ? { ...a, deactivatedAt: at } : a,
        );
        const next: TraditionalContext = {
          ...c,
          record: { ...base, rightToUse },
          licenses: l.key === c.running.license ? c.licenses : c.licenses.filter((x) => x !== l),
          device: { ...c.device, nextReload: event.nextReload },
        };
        enqueue.assign({ record: next.record, licenses: next.licenses, device: next.device });
        enqueue.emit(
          licenseLog('REMOVE', { ...named(c, l), ...store(l) }, { entPhysicalIndex: CHASSIS, license: licenseRow(l) }),
        );
        enqueue.emit(
          licenseLog('LICENSE_LEVEL', {
            module: c.device.module,
            nextReboot: event.nextReload,
            license: event.nextReload,
          }),
        );
      }),
      /**
       * Counted usage changed: kept per feature, then clmgmtLicenseUsageCountAboutToExceed or
       * clmgmtLicenseUsageCountExceeded when the change crosses 80 % or reaches the count (A.9), with the
       * license row it is counted on and the feature's clmgmtFeatureWhatIsCounted.
       */
      useCount: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.usage') return;
        const { usage, feature, counted } = event;
        const before = c.countInUse?.[feature] ?? 0;
        enqueue.assign({ countInUse: { ...c.countInUse, [feature]: usage.inUse } });
        const crossing = usageCrossing(before, usage.inUse, usage.licensed);
        const l = usage.license;
        if (!crossing || !l) return;
        const trap: LicenseMgmtTrapContext = {
          entPhysicalIndex: CHASSIS,
          feature: { ...featureRow(c, l)!, whatIsCounted: counted },
          license: {
            ...licenseRow(l)!,
            maxUsageCount: usage.licensed,
            usageCountRemaining: Math.max(0, usage.licensed - usage.inUse),
          },
        };
        const params = { ...named(c, l), licensed: usage.licensed, counted };
        enqueue.emit(
          crossing === 'exceeded'
            ? licenseLog('USAGE_COUNT_EXCEEDED', params, trap)
            : licenseLog('USAGE_COUNT_ABOUT_TO_EXCEED', { ...params, inUse: usage.inUse }, trap),
        );
      }),
      /**
       * `license modify priority`: the lines' priority replaced in storage; which license serves a level is
       * chosen at boot, so it counts from the next reload. UPDATE per line (A.6 recalled; no trap).
       */
      setPriority: enqueueActions(({ context: c, event, enqueue }) => {
        if (event.type !== 'license.priority') return;
        const changed = c.licenses.filter((l) => event.keys.includes(l.key) && l.store === 'primary' && l.text);
        const indexes = new Set(changed.map((l) => l.storeIndex));
        enqueue.assign({
          record: {
            ...c.record,
            installed: c.record.installed.map((i) =>
              indexes.has(i.storeIndex) ? { ...i, priority: event.priority } : i,
            ),
          },
          licenses: c.licenses.map((l) => (changed.includes(l) ? { ...l, priority: event.priority } : l)),
        });
        for (const l of changed) enqueue.emit(licenseLog('UPDATE', { ...named(c, l), ...store(l) }));
      }),
      comment: assign(({ context: c, event }) => {
        if (event.type !== 'license.comment') return {};
        const l = c.licenses.find((x) => x.key === event.key);
        if (!l || l.store !== 'primary' || l.text === undefined) return {};
        return {
          record: {
            ...c.record,
            installed: c.record.installed.map((i) =>
              i.storeIndex === l.storeIndex ? { ...i, comment: event.comment } : i,
            ),
          },
          licenses: c.licenses.map((x) => (x === l ? { ...x, comment: event.comment } : x)),
        };
      }),
      setNextReload: assign(({ context: c, event }) =>
        event.type === 'bootLevel.changed' ? { device: { ...c.device, nextReload: event.level } } : {},
      ),
      setClockOffset: assign(({ context: c, event }) =>
        event.type === 'clock.changed' ? { device: { ...c.device, clockOffsetMs: event.clockOffsetMs } } : {},
      ),
    },
  });
}
