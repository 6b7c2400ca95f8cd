/**
 * The Smart chart alone, with a scripted cloud given through `.provide({ actors: { exchange } })`: one run
 * that drives every state node of the chart (state coverage from xstate/graph), the context crossing a
 * structured clone and a MessagePort unchanged, and an agent whose chart fails reported, not thrown.
 */
import { MessageChannel } from 'node:worker_threads';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type Actor } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { LabClock } from '#lab';
import { DAY, HOUR, MINUTE, type AuthorizeResponse, type RegisterResponse, type RenewIdResponse } from '#protocol';
import type { CloudResult } from './cloud-client/cloud-result.ts';
import { generateDeviceKey } from './device-key.ts';
import { SmartAgent } from './smart-agent.ts';
import {
  newSmartRecord,
  type CloudAnswer,
  type ExchangeInput,
  type SmartInput,
  type SmartRecord,
} from './smart-context.ts';
import type { SmartEvent } from './smart-events.ts';
import { createSmartMachine, type SmartMachine } from './smart.machine.ts';
import { resolveSmartTimers } from './smart-timers.ts';

const START = Date.parse('2026-03-13T08:09:24Z');
const ENTITLEMENTS = [{ tag: 'regid.x', count: 1, feature: 'network-advantage', exportControlled: false }];
const iso = (t: number) => new Date(t).toISOString();
const RTU = [{ feature: 'ipservicesk9', tag: 'regid.x', source: 'RTU' as const }];

type Op = ExchangeInput['request']['op'];
const comm = { ok: false, kind: 'comm', reason: 'Fail to send out Call Home HTTP message.' } as const;
const refused = (code: string) =>
  ({ ok: false, kind: 'refused', code, status: 404, message: code, reason: code }) as const;

/** A cloud the test scripts: each operation answers what `answers[op]` says at the time of the request. */
function scriptedCloud(clock: LabClock) {
  const registered = (): CloudResult<RegisterResponse> => ({
    ok: true,
    body: {
      status: 'REGISTERED',
      udi: { pid: 'C9300-24P', sn: 'FOC0000X0AB' },
      idCertificate: 'PEM',
      certificateSerial: '01',
      notBefore: iso(clock.now() - 5 * MINUTE),
      notAfter: iso(clock.now() + 365 * DAY),
      caCertificate: 'CA',
      smartAccount: { name: 'Lab Corp', domain: 'lab.example.com' },
      virtualAccount: 'east',
      exportControlled: false,
    },
  });
  const authorized = (status: AuthorizeResponse['status']): CloudResult<AuthorizeResponse> => ({
    ok: true,
    body: {
      status,
      entitlements: [{ tag: 'regid.x', count: 1, status: status, name: 'X' }],
      authorizedAt: iso(clock.now()),
      validUntil: iso(clock.now() + 90 * DAY),
    },
  });
  const renewed = (): CloudResult<RenewIdResponse> => ({
    ok: true,
    body: {
      status: 'RENEWED',
      idCertificate: 'PEM2',
      certificateSerial: '02',
      notBefore: iso(clock.now() - 5 * MINUTE),
      notAfter: iso(clock.now() + 365 * DAY),
    },
  });
  const answers: Record<Op, () => CloudAnswer> = {
    register: () => ({ type: 'cloud.answered.register', result: registered() }),
    authorize: () => ({ type: 'cloud.answered.authorize', result: authorized('AUTHORIZED') }),
    renewId: () => ({ type: 'cloud.answered.renewId', result: renewed() }),
    deregister: () => ({
      type: 'cloud.answered.deregister',
      result: { ok: true, body: { status: 'DEREGISTERED', releasedEntitlements: 1 } },
    }),
    convert: () => ({
      type: 'cloud.answered.convert',
      result: {
        ok: true,
        body: {
          status: 'CONVERTED',
          converted: [{ feature: 'ipservicesk9', tag: 'regid.x', quantity: 1 }],
          convertedAt: iso(clock.now()),
        },
      },
    }),
  };
  const exchange = fromCallback<SmartEvent, ExchangeInput>(({ input, sendBack }) => {
    const answer = answers[input.request.op]();
    void Promise.resolve().then(() => sendBack(answer));
  });
  return { answers, exchange, authorized };
}

function input(
  record = newSmartRecord(generateDeviceKey().pem),
  entitlements = ENTITLEMENTS,
  convertible: SmartInput['convertible'] = [],
): SmartInput {
  const udi = { pid: 'C9300-24P', sn: 'FOC0000X0AB' };
  return {
    record,
    timers: resolveSmartTimers(),
    entitlements,
    convertible,
    device: { udi, softwareVersion: '16.12.4', hostname: 'Switch', clockOffsetMs: 0, publicKeySpkiB64: 'SPKI' },
  };
}

/** A record registered at START's ID certificate (valid for 300 more days), with these times and authorization. */
function registeredRecord(
  times: { registeredAt: number; nextIdRenewalAt: number },
  auth: SmartRecord['auth'],
): SmartRecord {
  const identity = {
    certificatePem: 'PEM',
    certificateSerial: '01',
    notBefore: START - DAY,
    notAfter: START + 300 * DAY,
    smartAccount: 'Lab Corp',
    virtualAccount: 'east',
    exportControlled: false,
    ...times,
  };
  return { ...newSmartRecord(generateDeviceKey().pem), identity, auth };
}

/** Ids of the state nodes a state value is in (`smart`, `smart.agent`, …). */
function stateIds(value: unknown, prefix = 'smart'): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`];
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => stateIds(v, `${prefix}.${k}`))];
}

describe('the Smart chart', () => {
  it('reaches every state node in one scripted run', async () => {
    const clock = LabClock.create({ mode: 'stepped', start: START });
    const cloud = scriptedCloud(clock);
    const machine: SmartMachine = createSmartMachine(clock).provide({ actors: { exchange: cloud.exchange } });
    const visited = new Set<string>();
    const start = (i: SmartInput): Actor<SmartMachine> =>
      createActor(machine, {
        clock,
        input: i,
        inspect: (e) => {
          if (e.type === '@xstate.snapshot' && 'value' in e.snapshot)
            for (const id of stateIds(e.snapshot.value)) visited.add(id);
        },
      }).start();
    const step = (ms: number) => clock.advance(ms);
    const failing = (op: Op) =>
      (cloud.answers[op] = () => ({ type: `cloud.answered.${op}`, result: comm }) as CloudAnswer);
    const fresh = scriptedCloud(clock).answers;

    // No licence in use: no evaluation; disable and enable.
    const idle = start(input(undefined, []));
    idle.send({ type: 'license.disable' });
    idle.send({ type: 'license.enable' });
    // A reservation installed (the agent has checked it; smart-reservation.test.ts), then returned.
    idle.send({ type: 'reservation.enable', enabled: true });
    idle.send({
      type: 'reservation.install',
      code: 'CODE',
      reservation: {
        udi: { udi_pid: 'C9300-24P', udi_serial_number: 'FOC0000X0AB' },
        type: 'SPECIFIC',
        licenses: [],
        issued_at: START,
        confirmation_code: '17488C1F',
      },
    });
    expect(idle.getSnapshot().matches({ agent: { enabled: 'reserved' } })).toBe(true);
    idle.send({ type: 'reservation.return', returnCode: 'RETURN' });

    const a = start(input(undefined, ENTITLEMENTS, RTU));
    failing('register');
    a.send({ type: 'license.register', idToken: 'T', force: false });
    await step(5 * HOUR); // retries fast, then slow
    cloud.answers.register = () => ({ type: 'cloud.answered.register', result: refused('TOKEN_UNKNOWN') });
    await step(HOUR); // refused: failed
    await step(90 * DAY); // evaluation expires
    cloud.answers.register = fresh.register;
    failing('authorize');
    a.send({ type: 'license.register', idToken: 'T', force: false });
    await step(MINUTE); // registered, authorization pending and retrying
    cloud.answers.authorize = fresh.authorize;
    await step(HOUR); // authorized
    a.send({ type: 'license.conversion.start' });
    await step(MINUTE); // converted
    cloud.answers.authorize = () => ({
      type: 'cloud.answered.authorize',
      result: cloud.authorized('OUT_OF_COMPLIANCE'),
    });
    await step(30 * DAY); // renewal answers out of compliance
    failing('authorize');
    await step(91 * DAY); // renewals fail until the deadline: authorization expired
    cloud.answers.authorize = fresh.authorize;
    a.send({ type: 'license.renewAuth' });
    await step(MINUTE);
    failing('authorize');
    a.send({ type: 'license.renewAuth' });
    await step(MINUTE); // authorized, retrying
    cloud.answers.authorize = fresh.authorize;
    failing('renewId');
    await step(60 * DAY); // ID renewal at registration + 180 days fails, retries
    cloud.answers.renewId = fresh.renewId;
    a.send({ type: 'license.renewId' });
    await step(MINUTE);
    a.send({ type: 'clock.changed', clockOffsetMs: 2 * 365 * DAY });
    a.send({ type: 'clock.changed', clockOffsetMs: 0 });
    a.send({ type: 'license.register', idToken: 'T', force: true });
    await step(MINUTE);
    a.send({ type: 'license.deregister' });
    await step(MINUTE);
    a.send({ type: 'license.register', idToken: 'T', force: false });
    await step(MINUTE);
    a.send({ type: 'clock.changed', clockOffsetMs: 2 * 365 * DAY });
    await step(2 * HOUR); // out of range past the grace: unregistered

    // A reload into authorization expired after a successful exchange waits for its next renewal.
    const expired = newSmartRecord(generateDeviceKey().pem);
    const record = {
      ...expired,
      identity: {
        certificatePem: 'PEM',
        certificateSerial: '01',
        notBefore: clock.now() - DAY,
        notAfter: clock.now() + 300 * DAY,
        smartAccount: 'Lab Corp',
        virtualAccount: 'east',
        exportControlled: false,
        registeredAt: clock.now() - DAY,
        nextIdRenewalAt: clock.now() + 100 * DAY,
      },
      auth: {
        status: 'authorizationExpired' as const,
        lastAttempt: { ok: true, at: clock.now() - DAY },
        nextAt: clock.now() + DAY,
        answers: [],
      },
    };
    start(input(record));

    // Transient nodes (eventless `always` routing) are left in the same microstep: no snapshot shows them.
    const all = getStateNodes(machine.root)
      .filter((n) => n.always === undefined || n.always.length === 0)
      .map((n) => n.id);
    expect(all.filter((id) => !visited.has(id))).toEqual([]);
    clock.dispose();
  });

  it('keeps a context that crosses structuredClone and a MessagePort unchanged', async () => {
    const clock = LabClock.create({ mode: 'stepped', start: START });
    const cloud = scriptedCloud(clock);
    const actor = createActor(createSmartMachine(clock).provide({ actors: { exchange: cloud.exchange } }), {
      clock,
      input: input(),
    }).start();
    actor.send({ type: 'license.register', idToken: 'T', force: false });
    await clock.advance(MINUTE);
    const { context, value } = actor.getSnapshot();
    expect(value).toMatchObject({ communication: 'ok', agent: { enabled: { registered: { identity: 'valid' } } } });
    expect(structuredClone(context)).toEqual(context);
    expect(JSON.parse(JSON.stringify(context))).toEqual(context);
    const { port1, port2 } = new MessageChannel();
    const received = once(port2, 'message');
    port1.postMessage({ value, context });
    const [posted] = (await received) as [{ value: unknown; context: unknown }];
    expect(posted).toEqual({ value, context });
    port1.close();
    clock.dispose();
  });

  it('sends one message at a time: an ID renewal due with an authorization renewal waits for its answer', async () => {
    const clock = LabClock.create({ mode: 'stepped', start: START });
    const cloud = scriptedCloud(clock);
    const sent: string[] = [];
    // Answers take a lab minute, so a second request in flight would overlap the first.
    const exchange = fromCallback<SmartEvent, ExchangeInput>(({ input: i, sendBack }) => {
      const serial = 'certificateSerial' in i.request ? ` ${i.request.certificateSerial}` : '';
      sent.push(`${(clock.now() - START) / MINUTE} ${i.request.op}${serial}`);
      const timer = clock.setTimeout(() => sendBack(cloud.answers[i.request.op]()), MINUTE);
      return () => clock.clearTimeout(timer);
    });
    const record = registeredRecord(
      { registeredAt: START - 180 * DAY, nextIdRenewalAt: START + HOUR },
      { status: 'authorized', lastAttempt: { ok: true, at: START - DAY }, nextAt: START + HOUR, answers: [] },
    );
    const machine = createSmartMachine(clock).provide({ actors: { exchange } });
    const actor = createActor(machine, { clock, input: input(record) }).start();
    const agent = () => actor.getSnapshot().value as { agent: { enabled: { registered: Record<string, unknown> } } };

    await clock.advance(HOUR);
    expect(sent).toEqual(['60 renewId 01']);
    expect(agent().agent.enabled.registered).toMatchObject({
      authorization: { authorized: 'due' },
      identity: 'renewing',
    });
    // The authorization waits for the new certificate and is signed with it.
    await clock.advance(MINUTE);
    expect(sent).toEqual(['60 renewId 01', '61 authorize 02']);
    actor.send({ type: 'license.renewId' });
    expect(agent().agent.enabled.registered).toMatchObject({
      authorization: { authorized: 'requesting' },
      identity: 'due',
    });
    await clock.advance(MINUTE);
    expect(sent).toEqual(['60 renewId 01', '61 authorize 02', '62 renewId 02']);
    await clock.advance(MINUTE);
    expect(agent().agent.enabled.registered).toMatchObject({
      authorization: { authorized: 'waiting' },
      identity: 'valid',
    });
    clock.dispose();
  });

  describe('device-led conversion', () => {
    /** A registered, authorized record holding `convertible`, its conversion as given. */
    function registeredAgent(convertible = RTU, conversion?: SmartInput['record']['conversion']) {
      const clock = LabClock.create({ mode: 'stepped', start: START });
      const cloud = scriptedCloud(clock);
      const sent: string[] = [];
      const exchange = fromCallback<SmartEvent, ExchangeInput>(({ input: i, sendBack }) => {
        sent.push(i.request.op === 'convert' ? `convert ${JSON.stringify(i.request.licenses)}` : i.request.op);
        const timer = clock.setTimeout(() => sendBack(cloud.answers[i.request.op]()), MINUTE);
        return () => clock.clearTimeout(timer);
      });
      const record = {
        ...registeredRecord(
          { registeredAt: START - DAY, nextIdRenewalAt: START + 100 * DAY },
          { status: 'outOfCompliance', lastAttempt: { ok: true, at: START }, nextAt: START + DAY, answers: [] },
        ),
        ...(conversion ? { conversion } : {}),
      };
      const machine = createSmartMachine(clock).provide({ actors: { exchange } });
      const refusals: string[] = [];
      const actor = createActor(machine, { clock, input: input(record, ENTITLEMENTS, convertible) });
      actor.on('command.refused', (e) => refusals.push(e.refusal));
      actor.start();
      const region = () =>
        (actor.getSnapshot().value as { agent: { enabled: { registered: { conversion: string } } } }).agent.enabled
          .registered.conversion;
      return { clock, cloud, sent, actor, refusals, region };
    }

    it('sends the licenses once, records what the VA got, and refuses a second start', async () => {
      const t = registeredAgent();
      expect(t.region()).toBe('idle');
      t.actor.send({ type: 'license.conversion.start' });
      expect(t.region()).toBe('converting');
      expect(t.actor.getSnapshot().context.record.conversion).toEqual({ status: 'inProgress', at: START });
      t.actor.send({ type: 'license.conversion.start' });
      expect(t.refusals).toEqual(['conversionInProgress']);
      await t.clock.advance(MINUTE);
      expect(t.sent).toEqual([`convert ${JSON.stringify(RTU)}`]);
      expect(t.region()).toBe('idle');
      expect(t.actor.getSnapshot().context.record.conversion).toEqual({
        status: 'succeeded',
        at: START + MINUTE,
        converted: [{ feature: 'ipservicesk9', tag: 'regid.x', quantity: 1 }],
      });
      // Converting changes no authorization: the next renewal (or `renew auth`) asks the cloud again.
      expect(t.actor.getSnapshot().context.record.auth.status).toBe('outOfCompliance');
      t.actor.send({ type: 'license.conversion.start' });
      expect(t.refusals).toEqual(['conversionInProgress', 'alreadyConverted']);
      t.clock.dispose();
    });

    it('a refused or unanswered conversion is recorded failed with its reason, and may be started again', async () => {
      const t = registeredAgent();
      t.cloud.answers.convert = () => ({ type: 'cloud.answered.convert', result: refused('ALREADY_CONVERTED') });
      t.actor.send({ type: 'license.conversion.start' });
      await t.clock.advance(MINUTE);
      expect(t.actor.getSnapshot().context.record.conversion).toEqual({
        status: 'failed',
        at: START + MINUTE,
        reason: 'ALREADY_CONVERTED',
      });
      t.cloud.answers.convert = () => ({ type: 'cloud.answered.convert', result: comm });
      t.actor.send({ type: 'license.conversion.start' });
      await t.clock.advance(MINUTE);
      expect(t.actor.getSnapshot().context.record.conversion?.reason).toBe(comm.reason);
      expect(t.actor.getSnapshot().value).toMatchObject({ communication: 'failing' });
      expect(t.sent).toHaveLength(2);
      t.clock.dispose();
    });

    it('nothing to convert, or not registered: refused, nothing sent', () => {
      const t = registeredAgent([]);
      t.actor.send({ type: 'license.conversion.start' });
      expect(t.refusals).toEqual(['nothingToConvert']);
      const clock = LabClock.create({ mode: 'stepped', start: START });
      const machine = createSmartMachine(clock).provide({ actors: { exchange: scriptedCloud(clock).exchange } });
      const unregistered = createActor(machine, { clock, input: input(undefined, ENTITLEMENTS, RTU) });
      const refusals: string[] = [];
      unregistered.on('command.refused', (e) => refusals.push(e.refusal));
      unregistered.start().send({ type: 'license.conversion.start' });
      expect(refusals).toEqual(['notRegistered']);
      expect(t.sent).toEqual([]);
      t.clock.dispose();
      clock.dispose();
    });

    it('a reload while converting asks the cloud again', async () => {
      const t = registeredAgent(RTU, { status: 'inProgress', at: START - HOUR });
      expect(t.region()).toBe('converting');
      await t.clock.advance(MINUTE);
      expect(t.sent).toHaveLength(1);
      expect(t.actor.getSnapshot().context.record.conversion?.status).toBe('succeeded');
      t.clock.dispose();
    });
  });

  it('an agent whose chart fails reports it with a prefix-ready line and does not throw', async () => {
    const clock = LabClock.create({ mode: 'stepped', start: START });
    const reports: string[] = [];
    const runtime = { clock, machine: createSmartMachine(clock), keys: undefined as never, trust: undefined as never };
    const agent = new SmartAgent(runtime, input(), { emit: () => {}, save: () => {}, report: (p) => reports.push(p) });
    expect(agent.execute({ type: 'license.register', idToken: 'T', force: false })).toEqual({ ok: true, output: '' });
    expect(reports).toEqual([
      'Smart Licensing agent stopped: Error: [smart] no cloud exchange: build the agent with .provide({ actors: { exchange } })',
    ]);
    clock.dispose();
  });
});
