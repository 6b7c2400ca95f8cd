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
 *   report window.
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
          ok: { on: { 'slp.answered.*': { guard: 'commFailed', target: 'failing', actions: 'logCommFailed' } } },
          failing: {
            on: {
              'slp.answered.*': [
                { guard: 'commFailed', target: 'failing', reenter: true, actions: 'logCommFailed' },
                { guard: 'commRestored', target: 'ok', actions: 'logCommRestored' },
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
        },
        states: {
          route: {
            always: [
              { guard: 'transportOff', target: 'off' },
              { guard: 'untrusted', target: 'untrusted' },
              { target: 'scheduled' },
            ],
          },
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
