/**
 * The classic Smart Licensing agent of IOS XE 16.x as a statechart (smart-licensing.md §2–3, transitions
 * §3.5). Two regions run side by side:
 * - `communication`: ok or failing. Every answer of the cloud passes it: COMM_FAILED after each failed
 *   exchange (FN72323: it repeats on each retry), COMM_RESTORED before the first success after one.
 * - `agent`: what `show license status` shows. Disabled, or enabled: unregistered (evaluation ∥ a
 *   registration with its retry cadence), registered (authorization in one of four compliance states, each
 *   with its renewal cycle ∥ ID certificate ∥ device-led conversion of traditional licenses ∥ device clock
 *   against the certificate), re-registering,
 *   deregistering, or reserved (SLR / PLR, §8.2: an authorization code installed, AUTHORIZED - RESERVED
 *   with no cloud, no timer, until its return).
 *
 * Context is plain JSON; every delay is computed from an absolute deadline in it, so an agent rebuilt from
 * storage re-arms exactly its timers (xstate#5331). Time comes from the lab clock (smart-setup.ts), the
 * cloud through `.provide({ actors: { exchange } })`, output only through `emit()`; a command the state
 * cannot carry out emits `command.refused`.
 */
import { and, not, or, stateIn } from 'xstate';
import type { ComplianceStatus } from './smart-context.ts';
import type { Refusal } from './smart-events.ts';
import { authorize, convert, deregister, register, renewId, smartSetup } from './smart-setup.ts';

const refuse = (refusal: Refusal) => ({ type: 'refuse', params: { refusal } }) as const;
const setEnabled = (enabled: boolean) => ({ type: 'setEnabled', params: { enabled } }) as const;
const remember = (status: ComplianceStatus) => ({ type: 'rememberCompliance', params: { status } }) as const;
const complianceWas = (status: ComplianceStatus) => ({ type: 'complianceWas', params: { status } }) as const;
const resume = (status: ComplianceStatus) =>
  [
    { guard: and([complianceWas(status), 'lastAuthAttemptFailed']), target: `${status}.retrying` },
    { guard: complianceWas(status), target: status },
  ] as const;

const registered = ['recordRegistration', 'logRegistered'] as const;
const registrationFailed = ['logRegistrationFailed', 'recordRegistrationFailure'] as const;
const idRenewed = ['recordIdRenewal', 'logIdRenewed'] as const;
const idRenewFailed = ['logIdRenewFailed', 'recordIdRenewFailure'] as const;
const alreadyRegistered = ['logAlreadyRegistered', refuse('alreadyRegistered')] as const;
/** What a registered (or registering) agent answers to a reservation request or install. */
const noReservationWhileRegistered = {
  'reservation.request': { actions: refuse('registeredNoReservation') },
  'reservation.install': { actions: refuse('registeredNoReservation') },
} as const;
const installReservation = ['installReservation', 'logReservedInstalled', 'logNotReserved'] as const;
const reminder = { target: 'expired', reenter: true, actions: 'logEvalExpiredReminder' } as const;

const UNREGISTERED = '#smart.agent.enabled.unregistered';
const REGISTERED = '#smart.agent.enabled.registered';
const AUTHORIZATION = `${REGISTERED}.authorization`;
const STATUSES = ['pending', 'authorized', 'outOfCompliance', 'authorizationExpired'] as const;

/**
 * The agent has one channel to the cloud and sends one message at a time (the ID renewal and an
 * authorization renewal fall due at the same instant every 180 days): an authorization request goes
 * first and the ID renewal waits for its answer, so no request is signed with a certificate that the other
 * is replacing.
 */
const idRenewing = stateIn(`${REGISTERED}.identity.renewing`);
const authorizationAhead = or(
  STATUSES.flatMap((s) => [stateIn(`${AUTHORIZATION}.${s}.due`), stateIn(`${AUTHORIZATION}.${s}.requesting`)]),
);

/** The Smart Licensing chart on `clock`. */
export function createSmartMachine(clock: { now(): number }) {
  const s = smartSetup(clock);

  /**
   * One compliance state with its renewal cycle: waiting for the next renewal (or retrying a failed one,
   * with back-off), due (until an ID renewal in flight has its answer), then requesting. What an answer
   * logs depends on the state it leaves (logAuthorization).
   */
  function compliance(status: ComplianceStatus) {
    const answered = ['recordAuthorization', { type: 'logAuthorization', params: { from: status } }] as const;
    const deadline = status === 'authorized' || status === 'outOfCompliance';
    const expire = {
      target: `${AUTHORIZATION}.authorizationExpired`,
      actions: ['expireAuthorization', 'logAuthorizationExpired'],
    } as const;
    return s.createStateConfig({
      entry: remember(status),
      initial: status === 'pending' ? 'due' : 'waiting',
      ...(deadline ? { after: { AUTH_DEADLINE: expire } } : {}),
      on: { 'license.renewAuth': '.due' },
      states: {
        // Pending always asks at once: it has no renewal to wait for.
        ...(status === 'pending' ? {} : { waiting: { after: { AUTH_RENEWAL: 'due' } } }),
        retrying: { after: { AUTH_RETRY: 'due' } },
        due: { always: { guard: not(idRenewing), target: 'requesting' } },
        requesting: {
          invoke: authorize,
          on: {
            'cloud.answered.authorize': [
              { guard: 'authorizedAnswer', target: `${AUTHORIZATION}.authorized`, reenter: true, actions: answered },
              {
                guard: 'outOfComplianceAnswer',
                target: `${AUTHORIZATION}.outOfCompliance`,
                reenter: true,
                actions: answered,
              },
              { guard: 'identityGone', target: UNREGISTERED, actions: ['logAuthRenewFailed', 'dropIdentity'] },
              { target: 'retrying', actions: ['logAuthRenewFailed', 'recordAuthFailure'] },
            ],
          },
        },
      },
    });
  }

  return s.createMachine({
    id: 'smart',
    type: 'parallel',
    context: ({ input }) => ({ ...input, authFailures: 0, idFailures: 0 }),
    states: {
      communication: {
        initial: 'ok',
        states: {
          ok: { on: { 'cloud.answered.*': { guard: 'commFailed', target: 'failing' } } },
          failing: {
            entry: 'logCommFailed',
            on: {
              'cloud.answered.*': [
                { guard: 'commFailed', target: 'failing', reenter: true },
                { guard: 'commRestored', target: 'ok', actions: 'logCommRestored' },
              ],
            },
          },
        },
      },
      agent: {
        initial: 'boot',
        // What no state below takes: IOS refuses it (AGENT_ALREADY_DEREGISTER for a deregistration).
        on: {
          'license.deregister': { actions: ['logAlreadyDeregistered', refuse('notRegistered')] },
          'license.renewId': { actions: refuse('notRegistered') },
          'license.renewAuth': { actions: refuse('notRegistered') },
          'license.conversion.start': { actions: refuse('notRegistered') },
          'clock.changed': { actions: ['logClockChanged', 'setClockOffset', 'checkClock'] },
          'hostname.changed': { actions: 'setHostname' },
          // Reservation (§8.2): the config line anywhere; the rest only where a state below takes it.
          'reservation.enable': { actions: 'setReservationEnabled' },
          'reservation.request': { actions: refuse('reservationDisabled') },
          'reservation.install': { actions: refuse('reservationDisabled') },
          'reservation.cancel': { actions: refuse('noReservationRequest') },
          'reservation.return': { actions: refuse('noReservation') },
        },
        states: {
          boot: {
            entry: 'logAgentReady',
            always: [{ guard: 'enabled', target: 'enabled' }, { target: 'disabled' }],
          },
          disabled: { on: { 'license.enable': { target: 'enabled', actions: setEnabled(true) } } },
          enabled: {
            entry: ['logAgentEnabled', 'logExportControlled'],
            on: {
              'license.disable': { target: 'disabled', actions: ['logDisabled', setEnabled(false)] },
              'reservation.request': [
                { guard: 'reservationEnabled', actions: 'setReservationRequest' },
                { actions: refuse('reservationDisabled') },
              ],
              'reservation.install': [
                { guard: 'reservationEnabled', target: '.reserved', actions: installReservation },
                { actions: refuse('reservationDisabled') },
              ],
              'reservation.cancel': [
                { guard: 'reservationRequested', actions: 'cancelReservationRequest' },
                { actions: refuse('noReservationRequest') },
              ],
            },
            initial: 'route',
            states: {
              route: {
                always: [
                  { guard: 'reserved', target: 'reserved' },
                  { guard: 'registered', target: 'registered' },
                  { target: 'unregistered' },
                ],
              },
              // An authorization code installed: licenses authorized without the cloud, never renewed (§8.2).
              reserved: {
                on: {
                  'reservation.request': { actions: refuse('reservationInstalled') },
                  // A new code from the portal (an updated reservation) replaces the installed one.
                  'reservation.install': { target: 'reserved', reenter: true, actions: installReservation },
                  'reservation.return': { target: 'unregistered', actions: 'returnReservation' },
                  'reservation.enable': [
                    { guard: 'disablingReservation', actions: refuse('reservationInstalled') },
                    { actions: 'setReservationEnabled' },
                  ],
                  'license.register': { actions: refuse('reservationInstalled') },
                  'license.deregister': { actions: refuse('reservationInstalled') },
                },
              },
              unregistered: {
                type: 'parallel',
                states: {
                  // Evaluation time counts only while licences are in use and the device is unregistered (§3.1).
                  evaluation: {
                    initial: 'route',
                    states: {
                      route: {
                        always: [
                          { guard: 'noEntitlements', target: 'notInUse' },
                          { guard: 'evalLeft', target: 'active' },
                          { target: 'expired' },
                        ],
                      },
                      notInUse: {},
                      active: {
                        entry: ['startEvalSegment', 'logEvalStart'],
                        exit: 'endEvalSegment',
                        after: { EVAL_EXPIRY: { target: 'expired', actions: ['expireEval', 'logEvalExpired'] } },
                        initial: 'counting',
                        states: {
                          counting: {
                            after: {
                              EVAL_WARNING: { target: 'counting', reenter: true, actions: 'logEvalWarning' },
                              EVAL_CHECKPOINT: { target: 'counting', reenter: true, actions: 'bankEval' },
                            },
                          },
                        },
                      },
                      expired: {
                        after: { EVAL_EXPIRED_REMINDER: reminder },
                      },
                    },
                  },
                  // Retries follow communication failures only: a refused token would be refused again.
                  registration: {
                    initial: 'idle',
                    on: { 'license.register': { target: '.inProgress', actions: 'startRegistration' } },
                    states: {
                      idle: {},
                      inProgress: {
                        invoke: register,
                        on: {
                          'license.register': { actions: refuse('registrationInProgress') },
                          'cloud.answered.register': [
                            { guard: 'answered', target: REGISTERED, actions: registered },
                            { guard: 'commFailed', target: 'retrying', actions: registrationFailed },
                            { target: 'failed', actions: [...registrationFailed, 'stopRetrying'] },
                          ],
                        },
                      },
                      // Every 15 minutes for 4 hours after the first failure, then hourly (smart-timers.ts).
                      retrying: {
                        initial: 'route',
                        states: {
                          route: { always: [{ guard: 'inFastRetryWindow', target: 'fast' }, { target: 'slow' }] },
                          fast: { after: { REGISTRATION_RETRY_FAST: `${UNREGISTERED}.registration.inProgress` } },
                          slow: { after: { REGISTRATION_RETRY_SLOW: `${UNREGISTERED}.registration.inProgress` } },
                        },
                      },
                      failed: {},
                    },
                  },
                },
              },
              registered: {
                type: 'parallel',
                on: {
                  ...noReservationWhileRegistered,
                  'license.deregister': '#smart.agent.enabled.deregistering',
                  'license.register': [
                    { guard: 'force', target: '#smart.agent.enabled.reregistering', actions: 'startRegistration' },
                    { actions: alreadyRegistered },
                  ],
                  // Taken by one region each; the other regions must not refuse them.
                  'license.renewId': {},
                  'license.renewAuth': {},
                  'license.conversion.start': {},
                },
                states: {
                  authorization: {
                    initial: 'route',
                    states: {
                      // Back into the state the record remembers, retrying if its last attempt failed.
                      route: {
                        always: [
                          ...resume('authorized'),
                          ...resume('outOfCompliance'),
                          ...resume('authorizationExpired'),
                          { target: 'pending' },
                        ],
                      },
                      pending: compliance('pending'),
                      authorized: compliance('authorized'),
                      outOfCompliance: compliance('outOfCompliance'),
                      authorizationExpired: compliance('authorizationExpired'),
                    },
                  },
                  identity: {
                    initial: 'valid',
                    after: { ID_EXPIRY: { target: UNREGISTERED, actions: ['logIdCertExpired', 'dropIdentity'] } },
                    states: {
                      valid: { after: { ID_RENEWAL: 'due' }, on: { 'license.renewId': 'due' } },
                      due: { always: { guard: not(authorizationAhead), target: 'renewing' } },
                      renewing: {
                        invoke: renewId,
                        on: {
                          'cloud.answered.renewId': [
                            { guard: 'answered', target: `${REGISTERED}.identity`, reenter: true, actions: idRenewed },
                            {
                              guard: 'identityGone',
                              target: UNREGISTERED,
                              actions: [...idRenewFailed, 'dropIdentity'],
                            },
                            { target: 'retrying', actions: idRenewFailed },
                          ],
                        },
                      },
                      retrying: { after: { ID_RETRY: 'due' }, on: { 'license.renewId': 'due' } },
                    },
                  },
                  // Device-led conversion (seed 004): once per box; a reload while converting asks again.
                  conversion: {
                    initial: 'route',
                    states: {
                      route: { always: [{ guard: 'conversionInProgress', target: 'converting' }, { target: 'idle' }] },
                      idle: {
                        on: {
                          'license.conversion.start': [
                            { guard: 'converted', actions: refuse('alreadyConverted') },
                            { guard: 'nothingToConvert', actions: refuse('nothingToConvert') },
                            { target: 'converting', actions: 'startConversion' },
                          ],
                        },
                      },
                      converting: {
                        invoke: convert,
                        on: {
                          'license.conversion.start': { actions: refuse('conversionInProgress') },
                          'cloud.answered.convert': { target: 'idle', actions: 'recordConversion' },
                        },
                      },
                    },
                  },
                  // A device clock outside the certificate's validity unregisters after a grace (§2.3).
                  clock: {
                    initial: 'route',
                    on: { 'clock.check': '.route' },
                    states: {
                      route: {
                        always: [
                          {
                            guard: 'clockOutsideCertificate',
                            target: 'outOfRange',
                            actions: ['markClockOutOfRange', 'logClockOutOfRange'],
                          },
                          { target: 'inRange', actions: 'markClockInRange' },
                        ],
                      },
                      inRange: {},
                      outOfRange: { after: { CLOCK_CHANGE_GRACE: { target: UNREGISTERED, actions: 'dropIdentity' } } },
                    },
                  },
                },
              },
              reregistering: {
                invoke: register,
                on: {
                  ...noReservationWhileRegistered,
                  'license.register': { actions: refuse('registrationInProgress') },
                  'cloud.answered.register': [
                    { guard: 'answered', target: 'registered', actions: registered },
                    { target: 'registered', actions: ['logRegistrationFailed', 'stopRetrying'] },
                  ],
                },
              },
              deregistering: {
                invoke: deregister,
                on: {
                  ...noReservationWhileRegistered,
                  // Still registered until the cloud answers.
                  'license.register': [{ guard: 'force' }, { actions: alreadyRegistered }],
                  'license.deregister': {},
                  'license.renewId': {},
                  'license.renewAuth': {},
                  'cloud.answered.deregister': [
                    { guard: 'answered', target: 'unregistered', actions: ['logDeregistered', 'dropIdentity'] },
                    { target: 'unregistered', actions: ['logDeregisterFailed', 'dropIdentity'] },
                  ],
                },
              },
            },
          },
        },
      },
    },
  });
}

export type SmartMachine = ReturnType<typeof createSmartMachine>;
