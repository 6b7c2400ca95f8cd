/**
 * Smart Licensing Using Policy as IOS XE 17.3.2+ runs it (smart-licensing.md §9), as a statechart of five
 * parallel regions beside the communication one. Licenses are in use from boot (no registration, no
 * evaluation); what the chart follows is reporting:
 * - `ack`: the next ACK deadline of the policy in force (`none`, `pending` with REPORTING_REQUIRED
 *   reminders in the last 30 days, `overdue` past it: features keep running, reminders go on);
 * - `push`: usage reports over the configured transport (`off`: file exchange only; `untrusted`: direct
 *   reporting without a trust code; `scheduled`: `waiting` → `sending` → `polling` ⇄ `checking` for the
 *   ACK, `retrying` with back-off after a failed send);
 * - `trust`: `none` / `requesting` / `installed` (license smart trust idtoken, or an imported trust code);
 * - `authorization`: a SLAC asked for online (`idle` → `requesting` → `polling` ⇄ `checking`);
 * - `usage`: one open RUM report per license in use, closed at a push, a save, a sync or after the
 *   report window;
 * - `reservation`: SLR / PLR (§8.2, kept on 17.x, §9.1) as the classic agent has it: `disabled`,
 *   `enabled`, `requested` (a request code printed), `installed` (`specific` / `universal`), where
 *   nothing is reported and no ACK is due (`push.reserved`, `ack.none`) until the code is returned.
 * Every delay is computed from absolute times in context, so a device rebuilt from storage re-arms exactly
 * its timers (xstate#5331). Output leaves only through `emit()`.
 */
import type { KeyRing } from './device-key.ts';
import {
  pollAck,
  pollAuthorization,
  reportUsage,
  requestAuthorization,
  requestReturn,
  requestTrust,
  slpSetup,
} from './slp-setup.ts';
import type { Refusal } from './smart-events.ts';

const refuse = (refusal: Refusal) => ({ type: 'refuse', params: { refusal } }) as const;
/** Installed or replaced by an updated code from the portal; the regions that report route again. */
const install = [
  'installReservation',
  'logReservedInstalled',
  'logNotReserved',
  'raiseReservationChanged',
  'raiseAckChanged',
] as const;
const giveBack = ['returnReservation', 'raiseReservationChanged', 'raiseAckChanged'] as const;

export function createSlpMachine(clock: { now(): number }, keys: KeyRing) {
  const s = slpSetup(clock, keys);
  return s.createMachine({
    id: 'slp',
    type: 'parallel',
    context: ({ input }) => ({ ...input, failures: 0 }),
    entry: ['boot', 'logReportingRequired'],
    on: {
      'license.import': { actions: 'install' },
      'license.usageSaved': { actions: 'usageSaved' },
      'license.closeReports': { actions: 'closeNow' },
      'license.factoryReset': { actions: 'factoryReset' },
      'clock.changed': { actions: 'setClockOffset' },
      'hostname.changed': { actions: 'setHostname' },
    },
    states: {
      communication: {
        initial: 'ok',
        states: {
          // countMessage first: this region comes first, so the counters see the request before it ends.
          ok: {
            on: {
              'slp.answered.*': [
                { guard: 'commFailed', target: 'failing', actions: ['countMessage', 'logCommFailed'] },
                { actions: 'countMessage' },
              ],
            },
          },
          failing: {
            on: {
              'slp.answered.*': [
                { guard: 'commFailed', target: 'failing', reenter: true, actions: ['countMessage', 'logCommFailed'] },
                { guard: 'commRestored', target: 'ok', actions: ['countMessage', 'logCommRestored'] },
                { actions: 'countMessage' },
              ],
            },
          },
        },
      },
      ack: {
        initial: 'route',
        on: { 'ack.changed': '.route' },
        states: {
          route: {
            always: [
              { guard: 'deadlinePassed', target: 'overdue' },
              { guard: 'hasDeadline', target: 'pending' },
              { target: 'none' },
            ],
          },
          none: {},
          pending: {
            after: {
              REPORTING_WARNING: { target: 'pending', reenter: true, actions: 'logReportingRequired' },
              ACK_DEADLINE: 'overdue',
            },
          },
          overdue: {
            entry: 'logAckNotReceived',
            after: { REPORTING_REMINDER: { target: 'overdue', reenter: true } },
          },
        },
      },
      push: {
        initial: 'route',
        on: {
          'config.changed': { target: '.route', actions: 'setConfig' },
          'trust.changed': '.route',
          'reservation.changed': '.route',
        },
        states: {
          route: {
            always: [
              { guard: 'reserved', target: 'reserved' },
              { guard: 'transportOff', target: 'off' },
              { guard: 'untrusted', target: 'untrusted' },
              { target: 'scheduled' },
            ],
          },
          // An authorization code installed: reporting is not required, nothing is sent or scheduled.
          reserved: {},
          // Nothing leaves the box (reports close with their window, for `save usage`); the schedule runs on.
          off: { after: { PUSH_DUE: { target: 'off', reenter: true, actions: 'schedulePush' } } },
          untrusted: { after: { PUSH_DUE: { target: 'untrusted', reenter: true, actions: 'schedulePush' } } },
          scheduled: {
            initial: 'waiting',
            // Nothing stored and nothing open (no license ever used): no report is due, so nothing is sent
            // (Cat9400 SLP guide, §9.3); an empty upload is malformed to CSLU and the cloud.
            on: { 'license.sync': [{ guard: 'nothingToReport' }, { target: '.sending' }] },
            states: {
              waiting: {
                after: {
                  PUSH_DUE: [
                    { guard: 'nothingToReport', target: 'waiting', reenter: true, actions: 'schedulePush' },
                    { target: 'sending' },
                  ],
                },
              },
              sending: {
                entry: ['endPoll', 'rollForPush'],
                invoke: { ...reportUsage },
                on: {
                  'slp.answered.reportUsage': [
                    { guard: 'answered', target: 'polling', actions: ['recordPush', 'schedulePush'] },
                    { guard: 'commFailed', target: 'retrying', actions: 'countFailure' },
                    { target: 'waiting', actions: ['logRefused', 'schedulePush'] },
                  ],
                },
              },
              polling: { after: { ACK_CHECK: 'checking' } },
              checking: {
                invoke: { ...pollAck },
                on: {
                  'slp.answered.poll': [
                    { guard: 'ackPending', target: 'polling', actions: 'pollLater' },
                    { guard: 'documentsForDevice', target: 'waiting', actions: ['endPoll', 'install'] },
                    { guard: 'answered', target: 'waiting', actions: ['endPoll', 'logNotForDevice'] },
                    { guard: 'commFailed', target: 'polling', actions: 'pollLater' },
                    { target: 'waiting', actions: ['endPoll', 'logRefused'] },
                  ],
                },
              },
              retrying: { after: { PUSH_RETRY: 'sending' } },
            },
          },
        },
      },
      trust: {
        initial: 'route',
        on: { 'trust.changed': '.route' },
        states: {
          route: { always: [{ guard: 'trustInstalled', target: 'installed' }, { target: 'none' }] },
          none: { on: { 'license.trust': { target: 'requesting', actions: 'setTrustRequest' } } },
          installed: {
            on: {
              'license.trust': [
                { guard: 'force', target: 'requesting', actions: 'setTrustRequest' },
                { actions: 'logTrustFailed' },
              ],
            },
          },
          requesting: {
            invoke: { ...requestTrust },
            on: {
              'slp.answered.trust': [
                { guard: 'documentsForDevice', target: 'route', actions: 'install' },
                { target: 'route', actions: 'logTrustFailed' },
              ],
            },
          },
        },
      },
      // A SLAC for an enforced / export-controlled license, asked for online (offline: `license smart import`),
      // and its return online: `keys: []` with its confirm code as `remove_code`, then the cloud's empty SLAC
      // on poll replaces the set. A failed return keeps the SLAC.
      authorization: {
        initial: 'idle',
        states: {
          idle: {
            on: {
              'license.authorize': { target: 'requesting', actions: 'setSlacRequest' },
              'license.authorizationReturn': { target: 'returning', actions: 'setSlacReturn' },
            },
          },
          returning: {
            invoke: { ...requestReturn },
            on: {
              'slp.answered.authRequest': [
                { guard: 'answered', target: 'polling', actions: 'setSlacPoll' },
                { guard: 'commFailed', target: 'idle', actions: 'endSlacRequest' },
                { target: 'idle', actions: ['logRefused', 'endSlacRequest'] },
              ],
            },
          },
          requesting: {
            invoke: { ...requestAuthorization },
            on: {
              'slp.answered.authRequest': [
                { guard: 'answered', target: 'polling', actions: 'setSlacPoll' },
                { target: 'idle', actions: ['logSlacFailed', 'endSlacRequest'] },
              ],
            },
          },
          polling: { after: { SLAC_CHECK: 'checking' } },
          checking: {
            invoke: { ...pollAuthorization },
            on: {
              'slp.answered.authPoll': [
                { guard: 'slacPending', target: 'polling', actions: 'slacPollLater' },
                { guard: 'documentsForDevice', target: 'idle', actions: ['install', 'endSlacRequest'] },
                { target: 'idle', actions: ['logSlacFailed', 'endSlacRequest'] },
              ],
            },
          },
        },
      },
      reservation: {
        initial: 'route',
        states: {
          route: {
            always: [
              { guard: 'reserved', target: 'installed' },
              { guard: 'reservationRequested', target: 'requested' },
              { guard: 'reservationEnabled', target: 'enabled' },
              { target: 'disabled' },
            ],
          },
          disabled: {
            on: {
              'reservation.enable': {
                guard: 'enablingReservation',
                target: 'enabled',
                actions: 'setReservationEnabled',
              },
              'reservation.request': { actions: refuse('reservationDisabled') },
              'reservation.install': { actions: refuse('reservationDisabled') },
              'reservation.returnCode': { actions: refuse('reservationDisabled') },
              'reservation.cancel': { actions: refuse('noReservationRequest') },
              'reservation.return': { actions: refuse('noReservation') },
            },
          },
          enabled: {
            on: {
              'reservation.enable': {
                guard: 'disablingReservation',
                target: 'disabled',
                actions: 'setReservationEnabled',
              },
              'reservation.request': { target: 'requested', actions: 'setReservationRequest' },
              'reservation.install': { target: 'installed', actions: install },
              'reservation.returnCode': { actions: 'recordReturnCode' },
              'reservation.cancel': { actions: refuse('noReservationRequest') },
              'reservation.return': { actions: refuse('noReservation') },
            },
          },
          requested: {
            on: {
              'reservation.enable': {
                guard: 'disablingReservation',
                target: 'disabled',
                actions: 'setReservationEnabled',
              },
              // Asked again: a new request code replaces the pending one.
              'reservation.request': { target: 'requested', reenter: true, actions: 'setReservationRequest' },
              'reservation.install': { target: 'installed', actions: install },
              'reservation.returnCode': { target: 'enabled', actions: 'recordReturnCode' },
              'reservation.cancel': { target: 'enabled', actions: 'cancelReservationRequest' },
              'reservation.return': { actions: refuse('noReservation') },
            },
          },
          installed: {
            initial: 'route',
            on: {
              'reservation.enable': { guard: 'disablingReservation', actions: refuse('reservationInstalled') },
              'reservation.request': { actions: refuse('reservationInstalled') },
              'reservation.returnCode': { actions: refuse('reservationInstalled') },
              // An updated reservation in CSSM gives a new code: it replaces the installed one.
              'reservation.install': { target: 'installed', reenter: true, actions: install },
              'reservation.cancel': { actions: refuse('noReservationRequest') },
              'reservation.return': { target: 'enabled', actions: giveBack },
            },
            states: {
              route: { always: [{ guard: 'universalReservation', target: 'universal' }, { target: 'specific' }] },
              specific: {},
              universal: {},
            },
          },
        },
      },
      usage: {
        initial: 'collecting',
        states: {
          collecting: { after: { REPORT_WINDOW: { target: 'collecting', reenter: true, actions: 'rollWindow' } } },
        },
      },
    },
  });
}

export type SlpMachine = ReturnType<typeof createSlpMachine>;
