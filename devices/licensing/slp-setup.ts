/**
 * The SLP chart's named implementations (slp.machine.ts is the chart): delays computed from absolute
 * times in context and record (so a device rebuilt from storage re-arms exactly its timers), guards, and
 * actions that assign plain data or emit output. Built on the lab clock, the only source of time, and on
 * the key ring the reports are signed with; the cloud exchange is provided by the runtime.
 */
import { assign, emit, enqueueActions, fromCallback, raise, setup } from 'xstate';
import { DAY, type LicenseClass } from '#protocol';
import type { KeyRing } from './device-key.ts';
import { closeReports, openReports, unacknowledged, type CloseReason, type RumSigner } from './rum-reports.ts';
import type { SlpContext, SlpEmitted, SlpEvent, SlpExchangeInput, SlpInput, SlpRequest } from './slp-context.ts';
import { checkForDevice } from './slp-import.ts';
import { installDocuments } from './slp-install.ts';
import { ackDeadline, needsAuthorization, pushIntervalMs, type SlpEntitlement } from './slp-policy.ts';
import { newSlpRecord, type MessageStats, type MessageType } from './slp-record.ts';
import { pushRetryDelay } from './slp-timers.ts';
import {
  isReserved,
  reservationCancelled,
  reservationCodeReturned,
  reservationEnabled,
  reservationInstalled,
  reservationOf,
  reservationRequested,
  reservationReturned,
} from './slp-reservation.ts';
import { reservedCount } from './license-reservation.ts';
import { smartLic, type Refusal, type SmartLicEmission } from './smart-events.ts';

type AnswerEvent = Extract<SlpEvent, { type: `slp.answered.${string}` }>;
const isAnswer = (e: SlpEvent): e is AnswerEvent => e.type.startsWith('slp.answered.');
const failedComm = (e: SlpEvent): boolean => isAnswer(e) && !e.result.ok && e.result.kind === 'comm';
const answeredOk = (e: SlpEvent): boolean => isAnswer(e) && e.result.ok;
const reasonOf = (e: SlpEvent): string => (isAnswer(e) && !e.result.ok ? e.result.reason : '');
const documentsOf = (e: SlpEvent) => (isAnswer(e) && e.result.ok && 'documents' in e.result ? e.result.documents : []);

/**
 * The Communication Statistics block an answer counts in (§4.10). Polls for a SLAC count as Result Polling
 * and a SLAC return as Authorization Return (lab reading: the capture names the types, not what maps there).
 */
function messageTypeOf(c: SlpContext, e: AnswerEvent): MessageType {
  switch (e.type) {
    case 'slp.answered.reportUsage':
      return 'Usage Reporting';
    case 'slp.answered.poll':
    case 'slp.answered.authPoll':
      return 'Result Polling';
    case 'slp.answered.trust':
      return 'Trust Establishment';
    case 'slp.answered.authRequest':
      return c.slacRequest?.removeCode !== undefined ? 'Authorization Return' : 'Authorization Request';
  }
}

/**
 * `Last Response:` as captured: `OK_POLL` when the cloud took the message and the answer comes by a later
 * poll, `OK` when it came, `NO REPLY` for no believable answer; a refusal is `FAILURE` (lab wording, no
 * capture).
 */
function responseOf(e: AnswerEvent): string {
  const r = e.result;
  if (!r.ok) return r.kind === 'comm' ? 'NO REPLY' : 'FAILURE';
  if ('pollId' in r || ('status' in r && r.status === 'pending')) return 'OK_POLL';
  return 'OK';
}

/** A message type's counters after one more answer at `at`. */
function countedMessage(stats: MessageStats | undefined, e: AnswerEvent, at: number): MessageStats {
  const s = stats ?? { total: 0, success: 0, fail: 0, ongoing: 0, ongoingComm: 0 };
  const r = e.result;
  if (r.ok)
    return {
      ...s,
      total: s.total + 1,
      success: s.success + 1,
      ongoing: 0,
      ongoingComm: 0,
      last: { response: responseOf(e), at },
      lastSuccessAt: at,
    };
  return {
    ...s,
    total: s.total + 1,
    fail: s.fail + 1,
    ongoing: s.ongoing + 1,
    ongoingComm: r.kind === 'comm' ? s.ongoingComm + 1 : 0,
    last: { response: responseOf(e), at, reason: r.reason },
    lastFailureAt: at,
  };
}

/** Why the documents an answer brought are not for this device ('' when they are). */
function notForDevice(c: SlpContext, e: SlpEvent): string {
  const check = checkForDevice(documentsOf(e), {
    sudi: c.device.sudi,
    publicKeySpkiB64: c.device.publicKeySpkiB64,
    record: c.record,
  });
  return check.ok ? '' : check.reason;
}

/** Licenses running now: every one asked for, but enforced and export-controlled ones only with a SLAC. */
export function licensesInUse(c: SlpInput): SlpEntitlement[] {
  return c.entitlements.filter(
    (e) => !needsAuthorization(e.class) || c.record.authorizations.some((a) => a.entitlement === e.tag),
  );
}
/** Licenses whose usage goes into RUM reports: none while a reservation is installed (slp-reservation.ts). */
const licensesMetered = (c: SlpInput): SlpEntitlement[] => (isReserved(c.record) ? [] : licensesInUse(c));
const classesInUse = (c: SlpInput): LicenseClass[] => [...new Set(licensesInUse(c).map((e) => e.class))];
/** Reserved: no ACK is ever due (`Next ACK deadline: <none>`). */
export const deadlineOf = (c: SlpInput): number | undefined =>
  isReserved(c.record) ? undefined : ackDeadline(c.record, classesInUse(c));

/** Smart and Call Home report to the cloud directly, which needs a trust code (§9.5, §9.6). */
export const isDirect = (c: SlpInput): boolean => c.config.transport === 'smart' || c.config.transport === 'callhome';

const unprovidedExchange = fromCallback<SlpEvent, SlpExchangeInput>(() => {
  throw new Error('[slp] no cloud exchange: build the agent with .provide({ actors: { exchange } })');
});

const exchange = (request: (c: SlpContext) => SlpRequest) => ({
  src: 'exchange' as const,
  input: ({ context: c }: { context: SlpContext }): SlpExchangeInput => ({
    request: request(c),
    device: c.device,
    config: c.config,
    usage: request(c).op === 'reportUsage' ? unacknowledged(c.record).flatMap((r) => (r.signed ? [r.signed] : [])) : [],
    timeoutMs: c.timers.requestTimeout,
  }),
});
export const reportUsage = exchange(() => ({ op: 'reportUsage' }));
export const pollAck = exchange((c) => ({ op: 'poll', pollId: c.pollId ?? '0' }));
export const requestAuthorization = exchange((c) => ({
  op: 'authRequest',
  keys: [{ entitlement: c.slacRequest?.tag ?? '', count: c.slacRequest?.count ?? 1 }],
}));
/** A return: no keys, the installed SLAC's confirm code as `remove_code` (cloud-mock slp-authorization.ts). */
export const requestReturn = exchange((c) => ({
  op: 'authRequest',
  keys: [],
  removeCode: c.slacRequest?.removeCode ?? '',
}));
export const pollAuthorization = exchange((c) => ({ op: 'authPoll', pollId: c.slacRequest?.pollId ?? '0' }));
export const requestTrust = exchange((c) => ({
  op: 'trust',
  idToken: c.trustRequest?.idToken ?? '',
  force: c.trustRequest?.force ?? false,
}));

export function slpSetup(clock: { now(): number }, keys: KeyRing) {
  const now = (): number => clock.now();
  const until = (t: number | undefined): number => (t === undefined ? Infinity : Math.max(0, t - now()));
  const deviceNowS = (c: SlpContext): number => Math.floor((now() + c.device.clockOffsetMs) / 1000);
  const signer = (c: SlpContext): RumSigner => ({
    sudi: c.device.sudi,
    softwareVersion: c.device.softwareVersion,
    key: keys.get(c.device.keyPem).key,
    publicKeySpkiB64: c.device.publicKeySpkiB64,
  });
  /** Closes the open reports and opens the next ones (usage goes on). */
  const rolled = (c: SlpContext, reason: CloseReason) =>
    openReports(closeReports(c.record, deviceNowS(c), reason, signer(c)), licensesMetered(c), deviceNowS(c));
  /** The reports follow the licenses in use under `record`: those that stopped close, the others open. */
  const usageFollows = (c: SlpContext, record: SlpContext['record'], reason: CloseReason) => {
    const inUse = licensesMetered({ ...c, record });
    const gone = record.reports
      .filter((r) => r.state === 'OPEN' && !inUse.some((e) => e.tag === r.tag))
      .map((r) => r.tag);
    const closed = gone.length > 0 ? closeReports(record, deviceNowS(c), reason, signer(c), gone) : record;
    return openReports(closed, inUse, deviceNowS(c));
  };
  const nextPush = (c: SlpContext): number | undefined => {
    const interval = pushIntervalMs(c.config, c.timers.reportInterval, deadlineOf(c));
    return interval > 0 ? now() + interval : undefined;
  };
  const daysTo = (t: number): number => Math.floor(Math.abs(t - now()) / DAY);
  const destination = (c: SlpContext) => (c.config.transport === 'cslu' ? ('CSLU' as const) : ('CSSM' as const));

  return setup({
    types: {} as { context: SlpContext; events: SlpEvent; input: SlpInput; emitted: SlpEmitted },
    actors: { exchange: unprovidedExchange },
    delays: {
      ACK_DEADLINE: ({ context: c }) => until(deadlineOf(c)),
      /** Outside the warning window: its start; inside: the daily reminder (never past the deadline). */
      REPORTING_WARNING: ({ context: c }) => {
        const left = until(deadlineOf(c));
        if (left > c.timers.reportingWarningWindow) return left - c.timers.reportingWarningWindow;
        return left > c.timers.reportingReminder ? c.timers.reportingReminder : Infinity;
      },
      REPORTING_REMINDER: ({ context: c }) => c.timers.reportingReminder,
      PUSH_DUE: ({ context: c }) => until(c.record.nextPushAt),
      PUSH_RETRY: ({ context: c }) => until(c.nextRetryAt),
      ACK_CHECK: ({ context: c }) => until(c.nextAckCheckAt),
      SLAC_CHECK: ({ context: c }) => until(c.slacRequest?.checkAt),
      REPORT_WINDOW: ({ context: c }) => {
        const open = c.record.reports.filter((r) => r.state === 'OPEN').map((r) => r.start);
        if (open.length === 0) return Infinity;
        return until(Math.min(...open) * 1000 - c.device.clockOffsetMs + c.timers.rumReportWindow);
      },
    },
    guards: {
      hasDeadline: ({ context: c }) => deadlineOf(c) !== undefined,
      deadlinePassed: ({ context: c }) => until(deadlineOf(c)) === 0,
      nothingToReport: ({ context: c }) => c.record.reports.length === 0,
      transportOff: ({ context: c }) => c.config.transport === 'off',
      untrusted: ({ context: c }) => isDirect(c) && c.record.trust === undefined,
      trustInstalled: ({ context: c }) => c.record.trust !== undefined,
      reserved: ({ context: c }) => isReserved(c.record),
      universalReservation: ({ context: c }) => c.record.reservation?.installed?.type === 'UNIVERSAL',
      reservationEnabled: ({ context: c }) => c.record.reservation?.enabled === true,
      reservationRequested: ({ context: c }) => c.record.reservation?.requestCode !== undefined,
      enablingReservation: ({ event }) => event.type === 'reservation.enable' && event.enabled,
      disablingReservation: ({ event }) => event.type === 'reservation.enable' && !event.enabled,
      force: ({ event }) => event.type === 'license.trust' && event.force,
      answered: ({ event }) => answeredOk(event),
      commFailed: ({ event }) => failedComm(event),
      // Only an answer believed restores: a refusal is logged as a failed send (logRefused), not a recovery.
      commRestored: ({ event }) => answeredOk(event),
      ackPending: ({ event }) =>
        event.type === 'slp.answered.poll' && event.result.ok && event.result.status === 'pending',
      slacPending: ({ event }) =>
        event.type === 'slp.answered.authPoll' && event.result.ok && event.result.status === 'pending',
      documentsForDevice: ({ context: c, event }) => documentsOf(event).length > 0 && notForDevice(c, event) === '',
    },
    actions: {
      /** At boot: a first use dated, reports of licenses no longer in use closed, the others opened. */
      boot: assign(({ context: c }) => {
        const firstUseAt = c.record.firstUseAt ?? (licensesInUse(c).length > 0 ? now() : undefined);
        const record = {
          ...c.record,
          ...(firstUseAt !== undefined ? { firstUseAt } : {}),
          ...(isReserved(c.record) ? {} : { nextPushAt: c.record.nextPushAt ?? now() + c.timers.firstPush }),
        };
        return { record: usageFollows(c, record, 'UsageChanged') };
      }),
      logReportingRequired: enqueueActions(({ context: c, enqueue }) => {
        const deadline = deadlineOf(c);
        if (deadline !== undefined && deadline > now())
          enqueue.emit(smartLic('REPORTING_REQUIRED', { days: daysTo(deadline) }));
      }),
      logAckNotReceived: emit(({ context: c }) =>
        smartLic('RUM_ACK_NOT_RECEIVED', { days: daysTo(deadlineOf(c) ?? now()) }),
      ),
      rollForPush: assign(({ context: c }) => ({ record: rolled(c, 'CurrentUsageRequested') })),
      rollWindow: assign(({ context: c }) => ({ record: rolled(c, 'ReportWindowElapsed') })),
      schedulePush: assign(({ context: c }) => {
        const { nextPushAt: _, ...rest } = c.record;
        const at = nextPush(c);
        return { record: at === undefined ? rest : { ...rest, nextPushAt: at } };
      }),
      recordPush: assign(({ context: c, event }) => {
        if (event.type !== 'slp.answered.reportUsage' || !event.result.ok) return {};
        const pollMs = event.result.pollIntervalS > 0 ? event.result.pollIntervalS * 1000 : c.timers.ackPoll;
        return {
          record: { ...c.record, lastPushAt: now() },
          pollId: event.result.pollId,
          nextAckCheckAt: now() + pollMs,
          failures: 0,
        };
      }),
      /** Every answer, in the block of its message type (tech-support Communication Statistics). */
      countMessage: assign(({ context: c, event }) => {
        if (!isAnswer(event)) return {};
        const type = messageTypeOf(c, event);
        const messages = { ...c.record.messages, [type]: countedMessage(c.record.messages?.[type], event, now()) };
        return { record: { ...c.record, messages } };
      }),
      pollLater: assign(({ context: c }) => ({ nextAckCheckAt: now() + c.timers.ackPoll })),
      endPoll: assign({ pollId: undefined, nextAckCheckAt: undefined }),
      countFailure: assign(({ context: c }) => ({
        failures: c.failures + 1,
        nextRetryAt: now() + pushRetryDelay(c.failures + 1, c.timers),
      })),
      /** A refused upload or poll: reported like a failed send, next try at the next push. */
      logRefused: emit(({ context: c, event }) =>
        smartLic('COMM_FAILED', { destination: destination(c), reason: reasonOf(event) }),
      ),
      logNotForDevice: emit(({ context: c, event }) =>
        smartLic('COMM_FAILED', {
          destination: destination(c),
          reason: `Invalid license document: ${notForDevice(c, event)}`,
        }),
      ),
      install: enqueueActions(({ context: c, event, enqueue }) => {
        const documents = event.type === 'license.import' ? event.documents : documentsOf(event);
        const done = installDocuments(c.record, documents, now());
        // A SLAC lets its licenses run (their reports open now) and stops those it no longer names.
        const record = usageFollows(c, done.record, 'UsageChanged');
        enqueue.assign({ record });
        for (const log of done.logs) enqueue.emit(log);
        if (done.ackChanged) enqueue.raise({ type: 'ack.changed' });
        // A new trust code opens direct reporting: the first push follows as at boot (NTC status4: ~36 s).
        if (done.trustChanged) {
          enqueue.assign({ record: { ...record, nextPushAt: now() + c.timers.firstPush } });
          enqueue.raise({ type: 'trust.changed' });
        }
      }),
      logCommFailed: emit(({ context: c, event }) =>
        smartLic('COMM_FAILED', { destination: destination(c), reason: reasonOf(event) }),
      ),
      logCommRestored: emit(({ context: c }) => smartLic('COMM_RESTORED', { destination: destination(c) })),
      setSlacRequest: assign(({ event }) =>
        event.type === 'license.authorize' ? { slacRequest: { tag: event.tag, count: event.count } } : {},
      ),
      setSlacPoll: assign(({ context: c, event }) => {
        if (event.type !== 'slp.answered.authRequest' || !event.result.ok || !c.slacRequest) return {};
        const pollMs = event.result.pollIntervalS > 0 ? event.result.pollIntervalS * 1000 : c.timers.ackPoll;
        return { slacRequest: { ...c.slacRequest, pollId: event.result.pollId, checkAt: now() + pollMs } };
      }),
      slacPollLater: assign(({ context: c }) =>
        c.slacRequest ? { slacRequest: { ...c.slacRequest, checkAt: now() + c.timers.ackPoll } } : {},
      ),
      /** `license smart authorization return … online`: the installed SLAC's confirm code goes back. */
      setSlacReturn: assign(({ context: c }) => ({
        slacRequest: { tag: '', count: 0, removeCode: c.record.authorizations[0]?.confirmCode ?? '' },
      })),
      endSlacRequest: assign({ slacRequest: undefined }),
      /** A request's code did not come (AUTHORIZATION_INSTALL_FAILED); a return's: COMM_FAILED, SLAC kept. */
      logSlacFailed: emit(({ context: c, event }) => {
        const reason = reasonOf(event) || notForDevice(c, event);
        return c.slacRequest?.removeCode !== undefined
          ? smartLic('COMM_FAILED', { destination: destination(c), reason })
          : smartLic('AUTHORIZATION_INSTALL_FAILED', { reason });
      }),
      setTrustRequest: assign(({ event }) =>
        event.type === 'license.trust' ? { trustRequest: { idToken: event.idToken, force: event.force } } : {},
      ),
      logTrustFailed: emit(({ context: c, event }): SmartLicEmission => {
        const reason =
          event.type === 'license.trust'
            ? 'Trust code is already installed. Use the force option to replace it'
            : reasonOf(event) || notForDevice(c, event);
        return smartLic('TRUST_CODE_INSTALL_FAILED', { reason });
      }),
      usageSaved: assign(({ context: c }) => ({ record: { ...c.record, lastFileWriteAt: now() } })),
      closeNow: assign(({ context: c }) => ({ record: rolled(c, 'CurrentUsageRequested') })),
      /** `license smart factory reset`: licensing data wiped (ids keep growing); usage starts again now. */
      factoryReset: enqueueActions(({ context: c, enqueue }) => {
        // The reservation stays (lab choice: only its return gives reserved licenses back to the VA).
        const { convertedAt, reservation } = c.record;
        const fresh = {
          ...newSlpRecord(),
          lastReportId: c.record.lastReportId,
          ...(convertedAt ? { convertedAt } : {}),
          ...(reservation ? { reservation } : {}),
        };
        const inUse = licensesMetered({ ...c, record: fresh });
        const record = {
          ...fresh,
          ...(inUse.length > 0 ? { firstUseAt: now() } : {}),
          ...(isReserved(fresh) ? {} : { nextPushAt: now() + c.timers.firstPush }),
        };
        enqueue.assign({
          record: openReports(record, inUse, deviceNowS(c)),
          pollId: undefined,
          nextAckCheckAt: undefined,
          failures: 0,
        });
        enqueue.raise({ type: 'ack.changed' });
        enqueue.raise({ type: 'trust.changed' });
      }),
      setConfig: assign(({ event }) => (event.type === 'config.changed' ? { config: event.config } : {})),
      setClockOffset: assign(({ context: c, event }) =>
        event.type === 'clock.changed' ? { device: { ...c.device, clockOffsetMs: event.clockOffsetMs } } : {},
      ),
      setHostname: assign(({ context: c, event }) =>
        event.type === 'hostname.changed' ? { device: { ...c.device, hostname: event.hostname } } : {},
      ),
      raiseAckChanged: raise({ type: 'ack.changed' }),
      // Reservation (slp-reservation.ts; the classic agent's pure functions, license-reservation.ts).
      refuse: emit((_, params: { refusal: Refusal }) => ({
        type: 'command.refused' as const,
        refusal: params.refusal,
      })),
      setReservationEnabled: assign(({ context: c, event }) =>
        event.type === 'reservation.enable' ? { record: reservationEnabled(c.record, event.enabled) } : {},
      ),
      setReservationRequest: assign(({ context: c, event }) =>
        event.type === 'reservation.request' ? { record: reservationRequested(c.record, event.code) } : {},
      ),
      cancelReservationRequest: assign(({ context: c }) => ({ record: reservationCancelled(c.record) })),
      /** Installed: the open reports close (usage from now on is reserved, not reported). */
      installReservation: assign(({ context: c, event }) => {
        if (event.type !== 'reservation.install') return {};
        const record = reservationInstalled(c.record, event.reservation, event.code, now());
        return { record: usageFollows(c, record, 'UsageChanged'), pollId: undefined, nextAckCheckAt: undefined };
      }),
      returnReservation: assign(({ context: c, event }) => {
        if (event.type !== 'reservation.return') return {};
        const record = reservationReturned(c.record, event.returnCode, now(), c.timers.firstPush);
        return { record: usageFollows(c, record, 'UsageChanged') };
      }),
      recordReturnCode: assign(({ context: c, event }) =>
        event.type === 'reservation.returnCode' ? { record: reservationCodeReturned(c.record, event.returnCode) } : {},
      ),
      logReservedInstalled: emit(smartLic('RESERVED_INSTALLED', {})),
      /** §8.2 (observed), as the classic agent: each license asked for that a SPECIFIC code does not reserve. */
      logNotReserved: enqueueActions(({ context: c, enqueue }) => {
        for (const e of c.entitlements)
          if (reservedCount(reservationOf(c.record), e.tag) === 0)
            enqueue.emit(smartLic('NOT_AUTHORIZED', { tag: e.tag, reason: 'License not present in SLR auth code' }));
      }),
      raiseReservationChanged: raise({ type: 'reservation.changed' }),
    },
  });
}
