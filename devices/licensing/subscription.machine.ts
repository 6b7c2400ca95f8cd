/**
 * The calendar validity of one feature's subscription licenses (clmgmtLicenseType paidSubscription(5),
 * evaluationSubscription(6), extensionSubscription(7); seed 001 "Subscription Licenses": "software
 * enforcement for licensed features for a calendar period"), as a chart per feature, on device time:
 * - `active`: a paid or evaluation subscription runs until `endAt`; clmgmtLicenseSubscriptionExpiryWarning
 *   (`%LICENSE-1-VALIDITY_ENDING`) weekly in the last 8 weeks, daily in the last week, hourly on the last day;
 * - `extension`: past `endAt` while an extension subscription of the feature lasts (`extensionEndAt`):
 *   clmgmtLicenseSubscriptionExtExpiryWarning (`VALIDITY_EXT_ENDING`) at once and daily;
 * - `expired`: no subscription of the feature is left: clmgmtLicenseSubscriptionExpired (`VALIDITY_EXPIRED`)
 *   at once and daily (A.9).
 * Whether a subscription serves its feature is decided at boot as for every license (traditional-licenses.ts
 * `usable`); this chart only speaks. The agent rebuilds it when the feature's subscriptions or the device
 * clock change. Lab choice: an extension counts only when it ends after the subscription it extends.
 */
import { emit, setup } from 'xstate';
import { nextSubscriptionWarning } from './schedules.ts';
import { licenseLog, type TraditionalEmission } from './traditional-context.ts';
import { formatShowDate } from '../time/ios-time.ts';

export interface SubscriptionInput {
  /** The clmgmtLicensableFeatureTable row (index = `show license` position). */
  feature: { index: number; name: string; version: string };
  licenseUdi: string;
  /** Device time (epoch ms) the paid / evaluation subscriptions end (the latest of them). */
  endAt: number;
  /** Device time the extension subscription ends, when one extends past `endAt`. */
  extensionEndAt?: number;
  clockOffsetMs: number;
  reminderMs: number;
}

/** A standalone box answers for entPhysicalIndex 1 (B.1). */
const CHASSIS = 1;

export function createSubscriptionMachine(clock: { now(): number }) {
  const deviceNow = (c: SubscriptionInput) => clock.now() + c.clockOffsetMs;
  const trap = (c: SubscriptionInput, endAt: number) => ({
    entPhysicalIndex: CHASSIS,
    feature: { ...c.feature, endDate: endAt },
  });
  const named = (c: SubscriptionInput) => ({ feature: c.feature.name, version: c.feature.version, udi: c.licenseUdi });
  return setup({
    types: {} as { context: SubscriptionInput; input: SubscriptionInput; emitted: TraditionalEmission },
    delays: {
      // The next warning point, or the end itself when no warning is left before it.
      ACTIVE_TICK: ({ context: c }) => {
        const left = c.endAt - deviceNow(c);
        const next = nextSubscriptionWarning(left);
        return Math.max(0, next === undefined ? left : left - next);
      },
      EXTENSION_TICK: ({ context: c }) => Math.max(0, Math.min(c.reminderMs, (c.extensionEndAt ?? 0) - deviceNow(c))),
      REMINDER: ({ context: c }) => c.reminderMs,
    },
    guards: {
      active: ({ context: c }) => deviceNow(c) < c.endAt,
      inExtension: ({ context: c }) => c.extensionEndAt !== undefined && deviceNow(c) < c.extensionEndAt,
    },
    actions: {
      warnEnding: emit(({ context: c }) =>
        licenseLog('VALIDITY_ENDING', { ...named(c), on: formatShowDate(c.endAt) }, trap(c, c.endAt)),
      ),
      warnExtension: emit(({ context: c }) => {
        const end = c.extensionEndAt ?? c.endAt;
        return licenseLog(
          'VALIDITY_EXT_ENDING',
          { feature: c.feature.name, udi: c.licenseUdi, on: formatShowDate(end) },
          trap(c, end),
        );
      }),
      logExpired: emit(({ context: c }) => {
        const end = Math.max(c.endAt, c.extensionEndAt ?? 0);
        return licenseLog('VALIDITY_EXPIRED', { ...named(c), on: formatShowDate(end) }, trap(c, end));
      }),
    },
  }).createMachine({
    id: 'subscription',
    context: ({ input }) => ({ ...input }),
    initial: 'route',
    states: {
      route: {
        always: [
          { guard: 'active', target: 'active' },
          { guard: 'inExtension', target: 'extension' },
          { target: 'expired' },
        ],
      },
      active: {
        after: {
          ACTIVE_TICK: [
            { guard: 'active', target: 'active', reenter: true, actions: 'warnEnding' },
            { target: 'route' },
          ],
        },
      },
      extension: {
        entry: 'warnExtension',
        after: {
          EXTENSION_TICK: [{ guard: 'inExtension', target: 'extension', reenter: true }, { target: 'expired' }],
        },
      },
      expired: {
        entry: 'logExpired',
        after: { REMINDER: { target: 'expired', reenter: true } },
      },
    },
  });
}

export type SubscriptionMachine = ReturnType<typeof createSubscriptionMachine>;
