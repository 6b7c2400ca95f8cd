/**
 * The Smart chart's named implementations (smart.machine.ts is the chart): delays computed from the
 * absolute deadlines in context, guards, and actions that either assign plain data or emit output. Built
 * on a lab clock, the only source of time; the cloud exchange is provided by the agent.
 */
import { assign, emit, enqueueActions, fromCallback, raise, setup } from 'xstate';
import { MINUTE } from '#protocol';
import { commRetryDelay, nextEvalWarning } from './schedules.ts';
import {
  evalUsed,
  type ComplianceStatus,
  type ExchangeInput,
  type ExchangeRequest,
  type SmartContext,
  type SmartInput,
} from './smart-context.ts';
import { smartLic, type Refusal, type SmartEmitted, type SmartEvent } from './smart-events.ts';
import * as rec from './smart-record.ts';
import {
  installedFrom,
  NO_RESERVATION,
  reservedCount,
  returned,
  withoutRequest,
  withRequest,
  type LicenseReservation,
} from './license-reservation.ts';

const reservationOf = (c: SmartContext): LicenseReservation => c.record.reservation ?? NO_RESERVATION;
const withReservation = (c: SmartContext, reservation: LicenseReservation) => ({
  record: { ...c.record, reservation },
});

type AnswerEvent = Extract<SmartEvent, { type: `cloud.answered.${string}` }>;
const isAnswer = (e: SmartEvent): e is AnswerEvent => e.type.startsWith('cloud.answered.');
const reasonOf = (e: SmartEvent): string => (isAnswer(e) ? rec.failureReason(e.result) : '');

/** Until the agent is given a cloud, an exchange fails loudly instead of waiting forever. */
const unprovidedExchange = fromCallback<SmartEvent, ExchangeInput>(() => {
  throw new Error('[smart] no cloud exchange: build the agent with .provide({ actors: { exchange } })');
});

/** An exchange with the cloud: the request as plain data, answered by a `cloud.answered.<op>` event. */
const exchange = (request: (c: SmartContext) => ExchangeRequest) => ({
  src: 'exchange' as const,
  input: ({ context: c }: { context: SmartContext }) => ({
    request: request(c),
    udi: c.device.udi,
    keyPem: c.record.keyPem,
    publicKeySpkiB64: c.device.publicKeySpkiB64,
    clockOffsetMs: c.device.clockOffsetMs,
    timeoutMs: c.timers.requestTimeout,
  }),
});
const serial = (c: SmartContext): string => c.record.identity?.certificateSerial ?? '';
export const register = exchange((c) => ({
  op: 'register',
  idToken: c.registration?.idToken ?? '',
  force: c.registration?.force ?? false,
  hostname: c.device.hostname,
  softwareVersion: c.device.softwareVersion,
}));
export const authorize = exchange((c) => ({
  op: 'authorize',
  certificateSerial: serial(c),
  entitlements: c.entitlements.map(({ tag, count }) => ({ tag, count })),
}));
export const renewId = exchange((c) => ({ op: 'renewId', certificateSerial: serial(c) }));
export const deregister = exchange((c) => ({ op: 'deregister', certificateSerial: serial(c) }));
export const convert = exchange((c) => ({ op: 'convert', certificateSerial: serial(c), licenses: [...c.convertible] }));

/** The implementations on `clock`; every device of a lab shares them (and the machine built on them). */
export function smartSetup(clock: { now(): number }) {
  const now = (): number => clock.now();
  const until = (t: number | undefined): number => (t === undefined ? Infinity : Math.max(0, t - now()));
  const evalLeft = (c: SmartContext): number => Math.max(0, c.timers.evaluationPeriod - evalUsed(c, now()));

  return setup({
    types: {} as { context: SmartContext; events: SmartEvent; input: SmartInput; emitted: SmartEmitted },
    actors: { exchange: unprovidedExchange },
    delays: {
      EVAL_WARNING: ({ context: c }) => {
        const next = nextEvalWarning(evalLeft(c));
        return next === undefined ? Infinity : evalLeft(c) - next;
      },
      EVAL_EXPIRY: ({ context: c }) => evalLeft(c),
      EVAL_CHECKPOINT: ({ context: c }) => c.timers.evalCheckpoint,
      EVAL_EXPIRED_REMINDER: ({ context: c }) => c.timers.evalExpiredReminder,
      REGISTRATION_RETRY_FAST: ({ context: c }) => c.timers.registrationRetryFast,
      REGISTRATION_RETRY_SLOW: ({ context: c }) => c.timers.registrationRetrySlow,
      AUTH_RENEWAL: ({ context: c }) => until(c.record.auth.nextAt),
      AUTH_RETRY: ({ context: c }) => until(c.record.auth.nextAt),
      AUTH_DEADLINE: ({ context: c }) => until(c.record.auth.deadline),
      ID_RENEWAL: ({ context: c }) => until(c.record.identity?.nextIdRenewalAt),
      ID_RETRY: ({ context: c }) => until(c.nextIdRetryAt),
      ID_EXPIRY: ({ context: c }) => until(c.record.identity?.notAfter),
      CLOCK_CHANGE_GRACE: ({ context: c }) => until((c.clockOutOfRangeSince ?? now()) + c.timers.clockChangeGrace),
    },
    guards: {
      enabled: ({ context: c }) => c.record.enabled,
      registered: ({ context: c }) => c.record.identity !== undefined,
      reserved: ({ context: c }) => c.record.reservation?.installed !== undefined,
      reservationEnabled: ({ context: c }) => c.record.reservation?.enabled === true,
      reservationRequested: ({ context: c }) => c.record.reservation?.requestCode !== undefined,
      disablingReservation: ({ event }) => event.type === 'reservation.enable' && !event.enabled,
      noEntitlements: ({ context: c }) => c.entitlements.length === 0,
      evalLeft: ({ context: c }) => evalLeft(c) > 0,
      force: ({ event }) => event.type === 'license.register' && event.force,
      inFastRetryWindow: ({ context: c }) =>
        now() - (c.registrationFailedSince ?? now()) < c.timers.registrationRetryFastWindow,
      answered: ({ event }) => isAnswer(event) && event.result.ok,
      /** The cloud was not reached (deregistration outcomes leave communication alone, as the agent logs them). */
      commFailed: ({ event }) =>
        isAnswer(event) && event.type !== 'cloud.answered.deregister' && rec.isCommFailure(event.result),
      commRestored: ({ event }) => isAnswer(event) && event.type !== 'cloud.answered.deregister' && event.result.ok,
      authorizedAnswer: ({ event }) =>
        event.type === 'cloud.answered.authorize' && event.result.ok && event.result.body.status === 'AUTHORIZED',
      outOfComplianceAnswer: ({ event }) => event.type === 'cloud.answered.authorize' && event.result.ok,
      identityGone: ({ event }) => isAnswer(event) && rec.isIdentityGone(event.result),
      nothingToConvert: ({ context: c }) => c.convertible.length === 0,
      converted: ({ context: c }) => c.record.conversion?.status === 'succeeded',
      conversionInProgress: ({ context: c }) => c.record.conversion?.status === 'inProgress',
      lastAuthAttemptFailed: ({ context: c }) => c.record.auth.lastAttempt?.ok === false,
      complianceWas: ({ context: c }, params: { status: ComplianceStatus }) => c.record.auth.status === params.status,
      clockOutsideCertificate: ({ context: c }) => {
        const id = c.record.identity;
        const deviceTime = now() + c.device.clockOffsetMs;
        return id !== undefined && (deviceTime < id.notBefore || deviceTime > id.notAfter);
      },
    },
    actions: {
      logAgentReady: emit(smartLic('AGENT_READY', {})),
      /** `[no] license smart reservation`: off also forgets a pending request (IOS asks again for a new one). */
      setReservationEnabled: assign(({ context: c, event }) => {
        if (event.type !== 'reservation.enable') return {};
        const r = { ...reservationOf(c), enabled: event.enabled };
        return withReservation(c, event.enabled ? r : withoutRequest(r));
      }),
      setReservationRequest: assign(({ context: c, event }) =>
        event.type === 'reservation.request' ? withReservation(c, withRequest(reservationOf(c), event.code)) : {},
      ),
      cancelReservationRequest: assign(({ context: c }) => withReservation(c, withoutRequest(reservationOf(c)))),
      installReservation: assign(({ context: c, event }) =>
        event.type === 'reservation.install'
          ? withReservation(c, installedFrom(reservationOf(c), event.reservation, event.code, now()))
          : {},
      ),
      returnReservation: assign(({ context: c, event }) =>
        event.type === 'reservation.return' ? withReservation(c, returned(reservationOf(c), event.returnCode)) : {},
      ),
      logReservedInstalled: emit(smartLic('RESERVED_INSTALLED', {})),
      /** §8.2 (observed): each license in use that the code does not reserve. */
      logNotReserved: enqueueActions(({ context: c, enqueue }) => {
        for (const e of c.entitlements)
          if (reservedCount(reservationOf(c), e.tag) === 0)
            enqueue.emit(smartLic('NOT_AUTHORIZED', { tag: e.tag, reason: 'License not present in SLR auth code' }));
      }),
      logAgentEnabled: emit(smartLic('AGENT_ENABLED', {})),
      logExportControlled: enqueueActions(({ context: c, enqueue }) => {
        if (!c.record.identity?.exportControlled) enqueue.emit(smartLic('EXPORT_CONTROLLED', {}));
      }),
      logDisabled: emit(smartLic('DISABLED', {})),
      logEvalStart: emit(smartLic('EVAL_START', {})),
      logEvalWarning: emit(({ context: c }) => smartLic('EVAL_WILL_EXPIRE_WARNING', { remaining: evalLeft(c) })),
      logEvalExpired: emit(smartLic('EVAL_EXPIRED', {})),
      logEvalExpiredReminder: emit(({ context: c }) =>
        smartLic('EVAL_EXPIRED_WARNING', { expiredAt: (c.record.evalExpiredAt ?? now()) + c.device.clockOffsetMs }),
      ),
      logRegistered: emit(smartLic('AGENT_REG_SUCCESS', {})),
      logRegistrationFailed: emit(({ event }) => smartLic('AGENT_REG_FAILED', { reason: reasonOf(event) })),
      logAlreadyRegistered: emit(smartLic('AGENT_ALREADY_REGISTER', {})),
      logAlreadyDeregistered: emit(smartLic('AGENT_ALREADY_DEREGISTER', {})),
      /**
       * An answered authorization, by the compliance state it leaves (§3.5): AUTH_RENEW_SUCCESS, then
       * IN_COMPLIANCE when leaving out-of-compliance, expiry or evaluation (a pending registration that
       * requested licences was in evaluation); OUT_OF_COMPLIANCE on entering it; then INVALID_TAG for each
       * tag the cloud does not know, with the entitlement row its trap carries.
       */
      logAuthorization: enqueueActions(({ context: c, event, enqueue }, params: { from: ComplianceStatus }) => {
        if (event.type !== 'cloud.answered.authorize' || !event.result.ok) return;
        const { from } = params;
        if (event.result.body.status === 'AUTHORIZED') {
          enqueue.emit(smartLic('AUTH_RENEW_SUCCESS', {}));
          const leavesEval = from === 'pending' && c.entitlements.length > 0;
          if (from === 'outOfCompliance' || from === 'authorizationExpired' || leavesEval) {
            enqueue.emit(smartLic('IN_COMPLIANCE', {}));
          }
        } else if (from !== 'outOfCompliance') {
          enqueue.emit(smartLic('OUT_OF_COMPLIANCE', {}));
        }
        event.result.body.entitlements.forEach((e, i) => {
          if (e.status !== 'INVALID_TAG') return;
          const featureName = c.entitlements.find((x) => x.tag === e.tag)?.feature ?? '';
          const row = { index: i + 1, requestCount: e.count, tag: e.tag, version: '1.0', featureName };
          const entitlement = { ...row, enforceMode: 'invalidTag' as const, exportAllowed: false };
          enqueue.emit(smartLic('INVALID_TAG', { tag: e.tag }, { entitlement }));
        });
      }),
      logAuthRenewFailed: emit(({ event }) => smartLic('AUTH_RENEW_FAILED', { reason: reasonOf(event) })),
      logAuthorizationExpired: emit(smartLic('AUTHORIZATION_EXPIRED', {})),
      logIdRenewed: emit(smartLic('ID_CERT_RENEW_SUCCESS', {})),
      logIdRenewFailed: emit(({ event }) => smartLic('ID_CERT_RENEW_FAILED', { reason: reasonOf(event) })),
      logIdCertExpired: emit(smartLic('ID_CERT_EXPIRED', {})),
      logDeregistered: emit(smartLic('AGENT_DEREG_SUCCESS', {})),
      logDeregisterFailed: emit(({ event }) => smartLic('AGENT_DEREG_FAILED', { reason: reasonOf(event) })),
      logClockChanged: emit(smartLic('SYSTEM_CLOCK_CHANGED', {})),
      logClockOutOfRange: emit(({ context: c }) =>
        smartLic('REG_EXPIRED_CLOCK_CHANGE', { minutes: Math.round(c.timers.clockChangeGrace / MINUTE) }),
      ),
      logCommFailed: emit(({ event }) => smartLic('COMM_FAILED', { destination: 'CSSM', reason: reasonOf(event) })),
      logCommRestored: emit(smartLic('COMM_RESTORED', { destination: 'CSSM' })),
      refuse: emit((_, params: { refusal: Refusal }) => ({
        type: 'command.refused' as const,
        refusal: params.refusal,
      })),

      setEnabled: assign(({ context: c }, params: { enabled: boolean }) => ({
        record: { ...c.record, enabled: params.enabled },
      })),
      setClockOffset: assign(({ context: c, event }) =>
        event.type === 'clock.changed' ? { device: { ...c.device, clockOffsetMs: event.clockOffsetMs } } : {},
      ),
      setHostname: assign(({ context: c, event }) =>
        event.type === 'hostname.changed' ? { device: { ...c.device, hostname: event.hostname } } : {},
      ),
      checkClock: raise({ type: 'clock.check' }),
      // Evaluation time counts only while in EVAL MODE (smart-licensing.md §3.1).
      startEvalSegment: assign({ evalSegmentStart: () => now() }),
      endEvalSegment: assign(({ context: c }) => ({
        record: { ...c.record, evalUsedMs: evalUsed(c, now()) },
        evalSegmentStart: undefined,
      })),
      bankEval: assign(({ context: c }) => ({
        record: { ...c.record, evalUsedMs: evalUsed(c, now()) },
        evalSegmentStart: now(),
      })),
      expireEval: assign(({ context: c }) => ({
        record: { ...c.record, evalUsedMs: c.timers.evaluationPeriod, evalExpiredAt: now() },
      })),
      startRegistration: assign(({ event }) =>
        event.type === 'license.register' ? { registration: { idToken: event.idToken, force: event.force } } : {},
      ),
      recordRegistration: assign(({ context: c, event }) => {
        if (event.type !== 'cloud.answered.register' || !event.result.ok) return {};
        const record = rec.registeredRecord(c.record, event.result.body, now(), c.timers);
        return { record, registration: undefined, registrationFailedSince: undefined, authFailures: 0, idFailures: 0 };
      }),
      recordRegistrationFailure: assign(({ context: c, event }) => ({
        record: { ...c.record, initialRegistration: { ok: false, at: now(), reason: reasonOf(event) } },
        registrationFailedSince: c.registrationFailedSince ?? now(),
      })),
      stopRetrying: assign({ registration: undefined, registrationFailedSince: undefined }),
      rememberCompliance: assign(({ context: c }, params: { status: ComplianceStatus }) =>
        c.record.auth.status === params.status
          ? {}
          : { record: { ...c.record, auth: { ...c.record.auth, status: params.status } } },
      ),
      recordAuthorization: assign(({ context: c, event }) =>
        event.type === 'cloud.answered.authorize' && event.result.ok
          ? { record: rec.authorizedRecord(c.record, event.result.body, now(), c.timers), authFailures: 0 }
          : {},
      ),
      recordAuthFailure: assign(({ context: c, event }) => ({
        record: rec.authFailedRecord(c.record, reasonOf(event), now(), c.authFailures + 1, c.timers),
        authFailures: c.authFailures + 1,
      })),
      expireAuthorization: assign(({ context: c }) => ({
        record: { ...c.record, auth: { ...c.record.auth, since: now() } },
      })),
      recordIdRenewal: assign(({ context: c, event }) =>
        event.type === 'cloud.answered.renewId' && event.result.ok
          ? {
              record: rec.idRenewedRecord(c.record, event.result.body, now(), c.timers),
              idFailures: 0,
              nextIdRetryAt: undefined,
            }
          : {},
      ),
      recordIdRenewFailure: assign(({ context: c, event }) => ({
        record: { ...c.record, lastIdRenewal: { ok: false, at: now(), reason: reasonOf(event) } },
        idFailures: c.idFailures + 1,
        nextIdRetryAt: now() + commRetryDelay(c.idFailures + 1, c.timers),
      })),
      startConversion: assign(({ context: c }) => ({
        record: { ...c.record, conversion: { status: 'inProgress' as const, at: now() } },
      })),
      recordConversion: assign(({ context: c, event }) => {
        if (event.type !== 'cloud.answered.convert') return {};
        const r = event.result;
        const conversion = r.ok
          ? { status: 'succeeded' as const, at: now(), converted: r.body.converted }
          : { status: 'failed' as const, at: now(), reason: r.reason };
        return { record: { ...c.record, conversion } };
      }),
      markClockOutOfRange: assign(({ context: c }) => ({ clockOutOfRangeSince: c.clockOutOfRangeSince ?? now() })),
      markClockInRange: assign({ clockOutOfRangeSince: undefined }),
      dropIdentity: assign(({ context: c }) => ({
        record: rec.unregisteredRecord(c.record),
        clockOutOfRangeSince: undefined,
        authFailures: 0,
        idFailures: 0,
        nextIdRetryAt: undefined,
      })),
    },
  });
}
