/**
 * The traditional (CSL / PAK) licensing agent of IOS and IOS XE as a statechart
 * (traditional-licensing-snmp-platforms.md §A). The image level is chosen at boot (boot-level.ts) and the
 * chart follows the license it runs on for the whole boot:
 * - `permanent`: a permanent license (or the factory level) serves it; nothing counts down.
 * - `metered`: an evaluation, extension or grace-period license serves it; its usage counts while in use
 *   (`counting`, with clmgmtLicenseExpiryWarning at 4, 3, 2 weeks and daily in the last week) until the
 *   period is used up, then `expired`: the feature keeps running until the next reload (seeds 000/001)
 *   with clmgmtLicenseExpired every week; the next boot falls back to the permanent level.
 * Installs, clears, comments and the EULA change the license storage at any time; the level they allow
 * runs only after a reload. Every delay is computed from the usage banked in context, so an agent rebuilt
 * from storage re-arms exactly its timers (xstate#5331). Output leaves only through `emit()`.
 */
import { traditionalSetup } from './traditional-setup.ts';

/** The traditional chart on `clock`. */
export function createTraditionalMachine(clock: { now(): number }) {
  const s = traditionalSetup(clock);
  return s.createMachine({
    id: 'traditional',
    context: ({ input }) => ({ ...input }),
    entry: 'logBootLevel',
    initial: 'route',
    on: {
      'license.install': { actions: 'install' },
      'license.clear': { actions: 'clear' },
      // Revoking the license the level runs on moves it to the grace license: route again (the usage of
      // a metered one is banked on the way out); other revokes leave the chart where it is.
      'license.revoke': [{ guard: 'revokesRunning', target: '.route', actions: 'revoke' }, { actions: 'revoke' }],
      'license.acceptEula': { actions: 'acceptEula' },
      'license.comment': { actions: 'comment' },
      'license.priority': { actions: 'setPriority' },
      'license.rtu.activate': { actions: 'rtuActivate' },
      'license.rtu.deactivate': { actions: 'rtuDeactivate' },
      'license.usage': { actions: 'useCount' },
      'clock.changed': { actions: 'setClockOffset' },
      'bootLevel.changed': { actions: 'setNextReload' },
      'hostname.changed': {},
    },
    states: {
      route: { always: [{ guard: 'meteredInUse', target: 'metered' }, { target: 'permanent' }] },
      permanent: {},
      metered: {
        initial: 'counting',
        states: {
          counting: {
            entry: 'startSegment',
            exit: 'endSegment',
            after: {
              EXPIRY_WARNING: { target: 'counting', reenter: true, actions: 'logExpiring' },
              USAGE_CHECKPOINT: { target: 'counting', reenter: true, actions: 'bankUsage' },
              EXPIRY: { target: 'expired', actions: ['expire', 'logExpired'] },
            },
          },
          expired: {
            after: { EXPIRED_REMINDER: { target: 'expired', reenter: true, actions: 'logExpired' } },
          },
        },
      },
    },
  });
}

export type TraditionalMachine = ReturnType<typeof createTraditionalMachine>;
