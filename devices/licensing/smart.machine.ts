/**
 * The classic Smart Licensing agent (IOS XE 16.x, smart-licensing.md §2–3, the transition table §3.5).
 *
 * States follow what `show license status` can show: unregistered (evaluation running, expired or not
 * needed; a registration idle, in progress, retrying or failed), registered (authorization pending,
 * authorized, out of compliance or expired; the ID certificate valid, renewing or retrying; the device
 * clock inside or outside the certificate), deregistering, and disabled. Every deadline is an absolute
 * lab time in the context, and every delay is computed from it, so a device rebuilt from its storage
 * after a reload re-arms exactly the timers it had (XState does not restore pending timers, xstate#5331).
 */
import { assign, fromPromise, setup } from 'xstate';
import type {
  AuthorizeResponse,
  DeregisterResponse,
  EntitlementRequest,
  RegisterResponse,
  RenewIdResponse,
} from '#protocol';
import type { CloudResult } from './cloud-client/smart-cloud-client.ts';
import type { TrapContext } from '../events/device-log.ts';
import type { SmartLicMnemonic, SmartLicParams } from '../syslog/smart-lic-messages.ts';
import { commRetryDelay, nextEvalWarning, registrationRetryDelay } from './schedules.ts';
import type { SmartContext, SmartIdentity, SmartPorts, SmartRecord } from './smart-context.ts';
import type { SmartTimers } from './smart-timers.ts';

export type SmartEntitlement = EntitlementRequest & { feature: string; exportControlled: boolean };

export type SmartEvent =
  | { type: 'license.enable' }
  | { type: 'license.disable' }
  | { type: 'license.register'; idToken: string; force: boolean }
  | { type: 'license.deregister' }
  | { type: 'license.renewId' }
  | { type: 'license.renewAuth' }
  | { type: 'entitlements.changed'; entitlements: readonly SmartEntitlement[] }
  /** The device clock was set: the machine re-checks the certificate's validity against it. */
  | { type: 'clock.changed' };

export interface SmartInput {
  record: SmartRecord;
  ports: SmartPorts;
  timers: SmartTimers;
  entitlements: readonly SmartEntitlement[];
}

/** Cloud refusals that mean the cloud no longer knows this registration: the device is unregistered. */
const IDENTITY_GONE = new Set([
  'CERTIFICATE_UNKNOWN',
  'CERTIFICATE_EXPIRED',
  'IDENTITY_MISMATCH',
  'INSTANCE_NOT_FOUND',
]);

type Result<T> = CloudResult<T>;
const failureReason = (r: Result<unknown>): string => (r.ok ? '' : r.reason);
const identityGone = (r: Result<unknown>): boolean => !r.ok && r.kind === 'refused' && IDENTITY_GONE.has(r.code);

const at = (c: SmartContext): number => c.ports.now();
const until = (c: SmartContext, t: number | undefined): number => (t === undefined ? Infinity : Math.max(0, t - at(c)));

/** Eval time used including the running segment. */
export function evalUsed(c: Pick<SmartContext, 'record' | 'evalSegmentStart'>, now: number): number {
  return c.record.evalUsedMs + (c.evalSegmentStart === undefined ? 0 : now - c.evalSegmentStart);
}
const evalRemaining = (c: SmartContext): number => Math.max(0, c.timers.evaluationPeriod - evalUsed(c, at(c)));

function withRecord(c: SmartContext, patch: Partial<SmartRecord>): { record: SmartRecord } {
  return { record: { ...c.record, ...patch } };
}

function toIdentity(c: SmartContext, r: RegisterResponse): SmartIdentity {
  return {
    certificatePem: r.idCertificate,
    certificateSerial: r.certificateSerial,
    notBefore: Date.parse(r.notBefore),
    notAfter: Date.parse(r.notAfter),
    smartAccount: r.smartAccount.name,
    virtualAccount: r.virtualAccount,
    exportControlled: r.exportControlled,
    registeredAt: at(c),
    nextIdRenewalAt: at(c) + c.timers.idRenewal,
  };
}

function requestIdentity(c: SmartContext) {
  const id = c.record.identity!;
  return { udi: c.ports.udi, key: c.ports.key, certificateSerial: id.certificateSerial };
}

const requests = (c: SmartContext): EntitlementRequest[] => c.entitlements.map(({ tag, count }) => ({ tag, count }));

type Say = <M extends SmartLicMnemonic>(mnemonic: M, params: SmartLicParams<M>, trap?: TrapContext) => void;

/**
 * Messages are logged from inside assign, like every other effect of this machine, so they come out in
 * the order of the transition's actions (XState runs custom actions after all assigns of a step). Safe
 * here because nothing calls snapshot.can(), which would compute assigns without taking the transition.
 */
const sayFor =
  (c: SmartContext): Say =>
  (mnemonic, params, trap) =>
    void c.ports.log.smartLic(mnemonic, params, trap);

/** COMM_FAILED is logged on each failed exchange (FN72323: it repeats on each retry). */
function commFailed(say: Say, reason: string): { commFailing: true } {
  say('COMM_FAILED', { destination: 'CSSM', reason });
  return { commFailing: true };
}
function commOk(c: SmartContext, say: Say): { commFailing: false } {
  if (c.commFailing) say('COMM_RESTORED', { destination: 'CSSM' });
  return { commFailing: false };
}

/** What a device logs when the cloud did not answer within the request timeout. */
const TIMEOUT_REASON = 'Communication message send error';

/**
 * A failed exchange (a refusal, a communication failure, or a timeout, which has no output): logs the
 * operation's failure message and, when the cloud was not reached, COMM_FAILED.
 */
function failedExchange(
  event: unknown,
  say: Say,
  mnemonic: 'AGENT_REG_FAILED' | 'AUTH_RENEW_FAILED' | 'ID_CERT_RENEW_FAILED',
) {
  const output = (event as { output?: Result<unknown> }).output;
  const reason = output ? failureReason(output) : TIMEOUT_REASON;
  say(mnemonic, { reason });
  const comm = !output || (!output.ok && output.kind === 'comm') ? commFailed(say, reason) : {};
  return { reason, comm };
}

const machineSetup = setup({
  types: {} as { context: SmartContext; events: SmartEvent; input: SmartInput },
  actors: {
    register: fromPromise<Result<RegisterResponse>, { c: SmartContext }>(({ input: { c } }) =>
      c.ports.cloud.register({
        udi: c.ports.udi,
        idToken: c.pendingRegistration!.idToken,
        force: c.pendingRegistration!.force,
        hostname: c.ports.hostname(),
        softwareVersion: c.ports.softwareVersion,
        key: c.ports.key,
        publicKeySpkiB64: c.ports.publicKeySpkiB64,
      }),
    ),
    authorize: fromPromise<Result<AuthorizeResponse>, { c: SmartContext }>(({ input: { c } }) =>
      c.ports.cloud.authorize(requestIdentity(c), requests(c)),
    ),
    renewId: fromPromise<Result<RenewIdResponse>, { c: SmartContext }>(({ input: { c } }) =>
      c.ports.cloud.renewId(requestIdentity(c)),
    ),
    deregister: fromPromise<Result<DeregisterResponse>, { c: SmartContext }>(({ input: { c } }) =>
      c.ports.cloud.deregister(requestIdentity(c)),
    ),
  },
  delays: {
    EVAL_WARNING: ({ context: c }) => {
      const left = evalRemaining(c);
      const next = nextEvalWarning(left);
      return next === undefined ? Infinity : left - next;
    },
    EVAL_EXPIRY: ({ context: c }) => evalRemaining(c),
    EVAL_CHECKPOINT: ({ context: c }) => c.timers.evalCheckpoint,
    EVAL_EXPIRED_REMINDER: ({ context: c }) => c.timers.evalExpiredReminder,
    REGISTRATION_RETRY: ({ context: c }) => until(c, c.nextRegistrationAt),
    REQUEST_TIMEOUT: ({ context: c }) => c.timers.requestTimeout,
    NEXT_AUTH: ({ context: c }) => until(c, c.record.auth.nextAt),
    AUTH_DEADLINE: ({ context: c }) => until(c, c.record.auth.deadline),
    ID_RENEWAL: ({ context: c }) => until(c, c.record.identity?.nextIdRenewalAt),
    ID_RETRY: ({ context: c }) => until(c, c.nextIdRetryAt),
    ID_EXPIRY: ({ context: c }) => until(c, c.record.identity?.notAfter),
    CLOCK_CHANGE_GRACE: ({ context: c }) => until(c, (c.clockOutOfRangeSince ?? at(c)) + c.timers.clockChangeGrace),
  },
  guards: {
    enabled: ({ context: c }) => c.record.enabled,
    registered: ({ context: c }) => c.record.identity !== undefined,
    noEntitlements: ({ context: c }) => c.entitlements.length === 0,
    eventHasNoEntitlements: ({ event }) => event.type === 'entitlements.changed' && event.entitlements.length === 0,
    evalLeft: ({ context: c }) => evalRemaining(c) > 0,
    force: ({ event }) => event.type === 'license.register' && event.force,
    authStatusAuthorized: ({ context: c }) => c.record.auth.status === 'authorized',
    authStatusOoc: ({ context: c }) => c.record.auth.status === 'outOfCompliance',
    authStatusExpired: ({ context: c }) => c.record.auth.status === 'authorizationExpired',
    clockOutOfRange: ({ context: c }) => {
      const id = c.record.identity;
      const now = c.ports.deviceNow();
      return id !== undefined && (now < id.notBefore || now > id.notAfter);
    },
  },
  actions: {
    logAgentReady: assign(({ context: c }) => (sayFor(c)('AGENT_READY', {}), {})),
    logAgentEnabled: assign(({ context: c }) => (sayFor(c)('AGENT_ENABLED', {}), {})),
    logExportControlled: assign(({ context: c }) => {
      if (!c.record.identity?.exportControlled) sayFor(c)('EXPORT_CONTROLLED', {});
      return {};
    }),
    setEnabled: assign(({ context: c }) => withRecord(c, { enabled: true })),
    disable: assign(({ context: c }) => {
      sayFor(c)('DISABLED', {});
      return withRecord(c, { enabled: false });
    }),
    setEntitlements: assign(({ event }) =>
      event.type === 'entitlements.changed' ? { entitlements: event.entitlements } : {},
    ),

    // Evaluation: time counts only while in EVAL MODE (smart-licensing.md §3.1).
    startEvalSegment: assign(({ context: c }) => {
      sayFor(c)('EVAL_START', {});
      return { evalSegmentStart: at(c) };
    }),
    endEvalSegment: assign(({ context: c }) => ({
      ...withRecord(c, { evalUsedMs: evalUsed(c, at(c)) }),
      evalSegmentStart: undefined,
    })),
    bankEval: assign(({ context: c }) => ({
      ...withRecord(c, { evalUsedMs: evalUsed(c, at(c)) }),
      evalSegmentStart: at(c),
    })),
    warnEval: assign(({ context: c }) => (sayFor(c)('EVAL_WILL_EXPIRE_WARNING', { remaining: evalRemaining(c) }), {})),
    expireEval: assign(({ context: c }) => {
      sayFor(c)('EVAL_EXPIRED', {});
      return withRecord(c, { evalUsedMs: c.timers.evaluationPeriod, evalExpiredAt: at(c) });
    }),
    remindEvalExpired: assign(({ context: c }) => {
      sayFor(c)('EVAL_EXPIRED_WARNING', { expiredAt: (c.record.evalExpiredAt ?? at(c)) + c.ports.deviceNow() - at(c) });
      return {};
    }),

    // Registration.
    startRegistration: assign(({ event }) =>
      event.type === 'license.register' ? { pendingRegistration: { idToken: event.idToken, force: event.force } } : {},
    ),
    registered: assign(({ context: c, event }) => {
      const say = sayFor(c);
      const restored = commOk(c, say);
      const r = (event as unknown as { output: Result<RegisterResponse> }).output;
      if (!r.ok) return {};
      const identity = toIdentity(c, r.body);
      say('AGENT_REG_SUCCESS', {});
      return {
        ...withRecord(c, {
          identity,
          initialRegistration: { ok: true, at: at(c) },
          lastIdRenewal: undefined,
          auth: { status: 'pending', answers: [] },
        }),
        ...restored,
        pendingRegistration: undefined,
        registrationFailedSince: undefined,
        nextRegistrationAt: undefined,
        authFailures: 0,
        idFailures: 0,
      };
    }),
    /** AGENT_REG_FAILED (+ COMM_FAILED when the cloud was not reached); a timeout has no output. */
    logRegistrationFailure: assign(
      ({ context: c, event }) => failedExchange(event, sayFor(c), 'AGENT_REG_FAILED').comm,
    ),
    recordRegistrationFailure: assign(({ context: c, event }) => {
      const r = (event as unknown as { output?: Result<RegisterResponse> }).output;
      const since = c.registrationFailedSince ?? at(c);
      return {
        ...withRecord(c, {
          initialRegistration: { ok: false, at: at(c), reason: r ? failureReason(r) : TIMEOUT_REASON },
        }),
        registrationFailedSince: since,
        nextRegistrationAt: at(c) + registrationRetryDelay(at(c) - since, c.timers),
      };
    }),
    stopRetrying: assign({
      pendingRegistration: undefined,
      registrationFailedSince: undefined,
      nextRegistrationAt: undefined,
    }),
    alreadyRegistered: assign(({ context: c }) => (sayFor(c)('AGENT_ALREADY_REGISTER', {}), {})),

    // Authorization (smart-licensing.md §3.1, §3.5).
    authorized: assign(({ context: c, event }) => {
      const say = sayFor(c);
      const restored = commOk(c, say);
      const r = (event as unknown as { output: Result<AuthorizeResponse> }).output;
      if (!r.ok) return {};
      const ooc = r.body.status === 'OUT_OF_COMPLIANCE';
      const previous = c.record.auth.status;
      const now = at(c);
      if (ooc) {
        if (previous !== 'outOfCompliance') say('OUT_OF_COMPLIANCE', {});
      } else {
        say('AUTH_RENEW_SUCCESS', {});
        // IN_COMPLIANCE when leaving OOC, expiry or evaluation (§3.5).
        if (previous !== 'authorized' && (previous !== 'pending' || c.entitlements.length > 0))
          say('IN_COMPLIANCE', {});
      }
      r.body.entitlements.forEach((e, i) => {
        if (e.status !== 'INVALID_TAG') return;
        const inUse = c.entitlements.find((x) => x.tag === e.tag);
        const entitlement = {
          index: i + 1,
          requestCount: e.count,
          tag: e.tag,
          version: '1.0',
          enforceMode: 'invalidTag' as const,
          featureName: inUse?.feature ?? '',
          exportAllowed: false,
        };
        say('INVALID_TAG', { tag: e.tag }, { entitlement });
      });
      return {
        ...withRecord(c, {
          auth: {
            status: ooc ? 'outOfCompliance' : 'authorized',
            since: now,
            lastAttempt: { ok: true, at: now },
            nextAt: now + (ooc ? c.timers.oocRenewal : c.timers.authRenewal),
            deadline: Date.parse(r.body.validUntil),
            answers: r.body.entitlements.map(({ tag, name, status }) => ({ tag, name, status })),
          },
        }),
        ...restored,
        authFailures: 0,
      };
    }),
    authFailed: assign(({ context: c, event }) => {
      const { reason, comm } = failedExchange(event, sayFor(c), 'AUTH_RENEW_FAILED');
      const failures = c.authFailures + 1;
      return {
        ...withRecord(c, {
          auth: {
            ...c.record.auth,
            lastAttempt: { ok: false, at: at(c), reason },
            nextAt: at(c) + commRetryDelay(failures, c.timers),
          },
        }),
        ...comm,
        authFailures: failures,
      };
    }),
    expireAuthorization: assign(({ context: c }) => {
      sayFor(c)('AUTHORIZATION_EXPIRED', {});
      return withRecord(c, { auth: { ...c.record.auth, status: 'authorizationExpired', since: at(c) } });
    }),

    // ID certificate (smart-licensing.md §2.3).
    idRenewed: assign(({ context: c, event }) => {
      const say = sayFor(c);
      const restored = commOk(c, say);
      const r = (event as unknown as { output: Result<RenewIdResponse> }).output;
      if (!r.ok || !c.record.identity) return {};
      say('ID_CERT_RENEW_SUCCESS', {});
      const now = at(c);
      return {
        ...withRecord(c, {
          identity: {
            ...c.record.identity,
            certificatePem: r.body.idCertificate,
            certificateSerial: r.body.certificateSerial,
            notBefore: Date.parse(r.body.notBefore),
            notAfter: Date.parse(r.body.notAfter),
            nextIdRenewalAt: now + c.timers.idRenewal,
          },
          lastIdRenewal: { ok: true, at: now },
        }),
        ...restored,
        idFailures: 0,
        nextIdRetryAt: undefined,
      };
    }),
    idRenewFailed: assign(({ context: c, event }) => {
      const { reason, comm } = failedExchange(event, sayFor(c), 'ID_CERT_RENEW_FAILED');
      const failures = c.idFailures + 1;
      return {
        ...withRecord(c, { lastIdRenewal: { ok: false, at: at(c), reason } }),
        ...comm,
        idFailures: failures,
        nextIdRetryAt: at(c) + commRetryDelay(failures, c.timers),
      };
    }),
    idCertExpired: assign(({ context: c }) => (sayFor(c)('ID_CERT_EXPIRED', {}), {})),
    identityGone: assign(({ context: c, event }) => {
      const output = (event as unknown as { output: Result<unknown> }).output;
      sayFor(c)('AUTH_RENEW_FAILED', { reason: failureReason(output) });
      return {};
    }),
    clockOutOfRange: assign(({ context: c }) => {
      const say = sayFor(c);
      say('REG_EXPIRED_CLOCK_CHANGE', { minutes: Math.round(c.timers.clockChangeGrace / 60_000) });
      return { clockOutOfRangeSince: c.clockOutOfRangeSince ?? at(c) };
    }),
    clockInRange: assign({ clockOutOfRangeSince: undefined }),
    dropIdentity: assign(({ context: c }) => ({
      ...withRecord(c, {
        identity: undefined,
        initialRegistration: undefined,
        lastIdRenewal: undefined,
        auth: { status: 'none', answers: [] },
      }),
      clockOutOfRangeSince: undefined,
      authFailures: 0,
      idFailures: 0,
      nextIdRetryAt: undefined,
    })),

    // Deregistration.
    deregistered: assign(({ context: c, event }) => {
      const r = (event as unknown as { output?: Result<DeregisterResponse> }).output;
      if (r?.ok) sayFor(c)('AGENT_DEREG_SUCCESS', {});
      else sayFor(c)('AGENT_DEREG_FAILED', { reason: r ? failureReason(r) : TIMEOUT_REASON });
      return {};
    }),
  },
});

/** One authorization status with its renewal cycle (waiting → requesting → result), shared by all four. */
function authStatusState(options: { deadline: boolean; initial: 'waiting' | 'requesting' }) {
  return machineSetup.createStateConfig({
    initial: options.initial,
    ...(options.deadline
      ? {
          after: {
            AUTH_DEADLINE: {
              target: '#smart.enabled.registered.authorization.authorizationExpired',
              actions: 'expireAuthorization',
            },
          },
        }
      : {}),
    on: {
      'license.renewAuth': '.requesting',
      'entitlements.changed': { target: '.requesting', actions: 'setEntitlements' },
    },
    states: {
      waiting: { after: { NEXT_AUTH: 'requesting' } },
      requesting: {
        invoke: {
          src: 'authorize',
          input: ({ context }) => ({ c: context }),
          onDone: [
            {
              guard: ({ event }) => event.output.ok && event.output.body.status === 'AUTHORIZED',
              target: '#smart.enabled.registered.authorization.authorized',
              reenter: true,
              actions: 'authorized',
            },
            {
              guard: ({ event }) => event.output.ok,
              target: '#smart.enabled.registered.authorization.outOfCompliance',
              reenter: true,
              actions: 'authorized',
            },
            {
              guard: ({ event }) => identityGone(event.output),
              target: '#smart.enabled.unregistered',
              actions: ['identityGone', 'dropIdentity'],
            },
            { target: 'waiting', actions: 'authFailed' },
          ],
        },
        after: { REQUEST_TIMEOUT: { target: 'waiting', actions: 'authFailed' } },
      },
    },
  });
}

export const smartMachine = machineSetup.createMachine({
  id: 'smart',
  context: ({ input }) => ({ ...input, authFailures: 0, idFailures: 0, commFailing: false }),
  initial: 'boot',
  states: {
    boot: {
      entry: 'logAgentReady',
      always: [{ guard: 'enabled', target: 'enabled' }, { target: 'disabled' }],
    },
    disabled: {
      on: {
        'license.enable': { target: 'enabled', actions: 'setEnabled' },
        'entitlements.changed': { actions: 'setEntitlements' },
      },
    },
    enabled: {
      entry: ['logAgentEnabled', 'logExportControlled'],
      on: { 'license.disable': { target: 'disabled', actions: 'disable' } },
      initial: 'route',
      states: {
        route: { always: [{ guard: 'registered', target: 'registered' }, { target: 'unregistered' }] },
        unregistered: {
          type: 'parallel',
          states: {
            evaluation: {
              initial: 'route',
              on: {
                'entitlements.changed': [
                  { guard: 'eventHasNoEntitlements', target: '.notInUse', actions: 'setEntitlements' },
                  { actions: 'setEntitlements' },
                ],
              },
              states: {
                route: {
                  always: [
                    { guard: 'noEntitlements', target: 'notInUse' },
                    { guard: 'evalLeft', target: 'active' },
                    { target: 'expired' },
                  ],
                },
                notInUse: { on: { 'entitlements.changed': { target: 'route', actions: 'setEntitlements' } } },
                active: {
                  entry: 'startEvalSegment',
                  exit: 'endEvalSegment',
                  after: { EVAL_EXPIRY: { target: 'expired', actions: 'expireEval' } },
                  initial: 'counting',
                  states: {
                    counting: {
                      after: {
                        EVAL_WARNING: { target: 'counting', reenter: true, actions: 'warnEval' },
                        EVAL_CHECKPOINT: { target: 'counting', reenter: true, actions: 'bankEval' },
                      },
                    },
                  },
                },
                expired: {
                  after: { EVAL_EXPIRED_REMINDER: { target: 'expired', reenter: true, actions: 'remindEvalExpired' } },
                },
              },
            },
            registration: {
              initial: 'idle',
              on: { 'license.register': { target: '.inProgress', actions: 'startRegistration' } },
              states: {
                idle: {},
                inProgress: {
                  invoke: {
                    src: 'register',
                    input: ({ context }) => ({ c: context }),
                    onDone: [
                      {
                        guard: ({ event }) => event.output.ok,
                        target: '#smart.enabled.registered',
                        actions: 'registered',
                      },
                      {
                        guard: ({ event }) => !event.output.ok && event.output.kind === 'comm',
                        target: 'retrying',
                        actions: ['logRegistrationFailure', 'recordRegistrationFailure'],
                      },
                      {
                        target: 'failed',
                        actions: ['logRegistrationFailure', 'recordRegistrationFailure', 'stopRetrying'],
                      },
                    ],
                  },
                  after: {
                    REQUEST_TIMEOUT: {
                      target: 'retrying',
                      actions: ['logRegistrationFailure', 'recordRegistrationFailure'],
                    },
                  },
                },
                retrying: { after: { REGISTRATION_RETRY: 'inProgress' } },
                failed: {},
              },
            },
          },
        },
        registered: {
          type: 'parallel',
          on: {
            'license.deregister': '#smart.enabled.deregistering',
            'license.register': [
              { guard: 'force', target: '#smart.enabled.reregistering', actions: 'startRegistration' },
              { actions: 'alreadyRegistered' },
            ],
          },
          states: {
            authorization: {
              initial: 'route',
              states: {
                route: {
                  always: [
                    { guard: 'authStatusAuthorized', target: 'authorized' },
                    { guard: 'authStatusOoc', target: 'outOfCompliance' },
                    { guard: 'authStatusExpired', target: 'authorizationExpired' },
                    { target: 'pending' },
                  ],
                },
                pending: authStatusState({ deadline: false, initial: 'requesting' }),
                authorized: authStatusState({ deadline: true, initial: 'waiting' }),
                outOfCompliance: authStatusState({ deadline: true, initial: 'waiting' }),
                authorizationExpired: authStatusState({ deadline: false, initial: 'waiting' }),
              },
            },
            identity: {
              initial: 'valid',
              after: {
                ID_EXPIRY: { target: '#smart.enabled.unregistered', actions: ['idCertExpired', 'dropIdentity'] },
              },
              states: {
                valid: { after: { ID_RENEWAL: 'renewing' }, on: { 'license.renewId': 'renewing' } },
                renewing: {
                  invoke: {
                    src: 'renewId',
                    input: ({ context }) => ({ c: context }),
                    onDone: [
                      {
                        guard: ({ event }) => event.output.ok,
                        target: '#smart.enabled.registered.identity',
                        reenter: true,
                        actions: 'idRenewed',
                      },
                      {
                        guard: ({ event }) => identityGone(event.output),
                        target: '#smart.enabled.unregistered',
                        actions: ['idRenewFailed', 'dropIdentity'],
                      },
                      { target: 'retrying', actions: 'idRenewFailed' },
                    ],
                  },
                  after: { REQUEST_TIMEOUT: { target: 'retrying', actions: 'idRenewFailed' } },
                },
                retrying: { after: { ID_RETRY: 'renewing' }, on: { 'license.renewId': 'renewing' } },
              },
            },
            clock: {
              initial: 'route',
              on: { 'clock.changed': '.route' },
              states: {
                route: {
                  always: [
                    { guard: 'clockOutOfRange', target: 'outOfRange', actions: 'clockOutOfRange' },
                    { target: 'inRange', actions: 'clockInRange' },
                  ],
                },
                inRange: {},
                outOfRange: {
                  after: { CLOCK_CHANGE_GRACE: { target: '#smart.enabled.unregistered', actions: 'dropIdentity' } },
                },
              },
            },
          },
        },
        reregistering: {
          invoke: {
            src: 'register',
            input: ({ context }) => ({ c: context }),
            onDone: [
              { guard: ({ event }) => event.output.ok, target: 'registered', actions: 'registered' },
              { target: 'registered', actions: ['logRegistrationFailure', 'stopRetrying'] },
            ],
          },
          after: { REQUEST_TIMEOUT: { target: 'registered', actions: ['logRegistrationFailure', 'stopRetrying'] } },
        },
        deregistering: {
          invoke: {
            src: 'deregister',
            input: ({ context }) => ({ c: context }),
            onDone: { target: 'unregistered', actions: ['deregistered', 'dropIdentity'] },
          },
          after: { REQUEST_TIMEOUT: { target: 'unregistered', actions: ['deregistered', 'dropIdentity'] } },
        },
      },
    },
  },
});

export type SmartMachine = typeof smartMachine;
