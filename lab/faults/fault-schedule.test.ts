import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '#devices';
import { DAY, HOUR, MINUTE } from '#protocol';
import { createLab } from '../lab.ts';
import { Fleet } from '../fleet/fleet.ts';
import { licenseStateOf } from '../fleet/fleet-summary.ts';
import { parseTopology } from '../fleet/topology.ts';
import { UsageError } from '../usage-error.ts';
import {
  checkFaultSpec,
  FaultSchedule,
  fleetTargets,
  type FaultEvent,
  type FaultScheduleDeps,
} from './fault-schedule.ts';
import { FaultTransportLayer } from './fault-transport.ts';

const SEED = readFileSync(new URL('../../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const START = Date.parse('2026-03-01T00:00:00Z');
const CALL_HOME = 'Fail to send out Call Home HTTP message.';

/** Four C9300s of the example seed, registered and authorized, with faults between them and the cloud. */
async function faultLab() {
  const clock = (await import('../clock/index.ts')).LabClock.create({ mode: 'stepped', start: START });
  const network = new FaultTransportLayer(clock);
  const lab = await createLab({
    clock,
    cloud: { seed: SEED },
    storage: new MemoryBackend(),
    transportLayer: network.wrap,
  });
  const topology = parseTopology(
    `
name: t
defaults: { cloud: { token: LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D } }
groups:
  sw: { pid: C9300-24P, count: 4, labels: { site: lyon } }
`,
    '/t.topology.yaml',
  );
  const fleet = new Fleet(lab, topology, { firstStart: START });
  const events: FaultEvent[] = [];
  const faults = new FaultSchedule({
    clock,
    targets: fleetTargets(() => fleet.members),
    network,
    cloud: lab.cloud,
    onEvent: (e) => events.push(e),
  });
  await clock.advance(HOUR);
  const device = (h: string) => fleet.members.find((m) => m.node.hostname === h)!.device;
  expect(fleet.members.map((m) => licenseStateOf(m.device))).toEqual(Array(4).fill('AUTHORIZED'));
  /** `license smart renew auth` on a device; the attempt as `show license status` would report it. */
  const renew = async (h: string, wait = MINUTE) => {
    device(h).exec('license smart renew auth');
    await clock.advance(wait);
    return device(h).smart().authorization.lastCommunicationAttempt;
  };
  return { lab, clock, fleet, network, faults, events, device, renew };
}

describe('network faults, as the selected devices see them', () => {
  const failing: [string, Record<string, unknown>][] = [
    ['unreachable (refused)', { kind: 'unreachable' }],
    ['unreachable (dns)', { kind: 'unreachable', how: 'dns' }],
    ['tls (untrusted CA, FN72323)', { kind: 'tls', why: 'untrusted-ca' }],
    ['tls (expired certificate)', { kind: 'tls' }],
    ['http-error 503', { kind: 'http-error' }],
    ['rate-limited (429 Retry-After)', { kind: 'rate-limited', retryAfter: 120 }],
  ];
  it.each(failing)('%s: renewal fails with COMM_FAILED on the selected device only', async (_, spec) => {
    const { lab, faults, renew, device } = await faultLab();
    faults.add({ ...spec, select: 'sw-1' });
    const attempt = await renew('sw-1');
    expect(attempt).toMatchObject({ ok: false, reason: CALL_HOME });
    expect(
      device('sw-1')
        .events()
        .some((e) => e.syslog.mnemonic === 'COMM_FAILED'),
    ).toBe(true);
    // Still authorized: a failed renewal keeps the 90-day authorization, and the others renew.
    expect(licenseStateOf(device('sw-1'))).toBe('AUTHORIZED');
    expect(await renew('sw-2')).toMatchObject({ ok: true });
    await lab.close();
  });

  it('unreachable (timeout): the answer never comes; the failure is seen after the timeout', async () => {
    const { lab, faults, renew } = await faultLab();
    faults.add({ kind: 'unreachable', how: 'timeout', select: 'sw-1' });
    expect(await renew('sw-1', 10_000)).toMatchObject({ ok: true }); // the registration's own, not yet a new one
    expect(await renew('sw-1', MINUTE)).toMatchObject({ ok: false, reason: CALL_HOME });
    await lab.close();
  });

  it('unsigned and malformed answers: the cloud served the request, the device believes none of it', async () => {
    for (const kind of ['unsigned', 'malformed']) {
      const { lab, faults, renew } = await faultLab();
      faults.add({ kind, select: 'sw-3' });
      const attempt = await renew('sw-3');
      expect(attempt?.ok, kind).toBe(false);
      expect(attempt?.reason, kind).not.toBe(CALL_HOME);
      await lab.close();
    }
  });

  it('latency: a slow link delays the renewal; one slower than the request timeout fails it', async () => {
    const { lab, clock, faults, renew } = await faultLab();
    faults.add({ kind: 'latency', ms: 30_000, select: 'sw-1' });
    const sent = clock.now();
    expect(await renew('sw-1', 20_000)).toMatchObject({ ok: true, at: START }); // the registration's, still
    await clock.advance(20_000);
    expect(await renew('sw-1', 0)).toMatchObject({ ok: true, at: sent + 30_000 });
    faults.clear();
    faults.add({ kind: 'latency', ms: 10 * MINUTE, select: 'sw-1' });
    // The agent gives up after its request timeout (a minute), as on a link that stalls.
    expect(await renew('sw-1', 2 * MINUTE)).toMatchObject({ ok: false, reason: 'Communication message send error' });
    await lab.close();
  });

  it('starts at `at`, ends after `for`, and both are events in lab time', async () => {
    const { lab, clock, faults, events, renew } = await faultLab();
    const t0 = clock.now();
    const fault = faults.add({ kind: 'unreachable', select: 'site=lyon 50%', at: '1h', for: '2h' });
    expect(fault).toMatchObject({ id: 'f1', state: 'scheduled', startsAt: t0 + HOUR, endsAt: t0 + 3 * HOUR });
    await clock.advance(HOUR);
    const [active] = faults.list();
    expect(active).toMatchObject({ state: 'active' });
    expect(active!.devices).toHaveLength(2);
    expect(faults.active()).toBe(1);
    expect(await renew(active!.devices[0]!)).toMatchObject({ ok: false });
    await clock.advance(2 * HOUR);
    expect(faults.list()).toEqual([]);
    expect(await renew(active!.devices[0]!)).toMatchObject({ ok: true });
    expect(events.map((e) => [e.type, e.labTime - t0, e.devices])).toEqual([
      ['fault.start', HOUR, 2],
      ['fault.end', 3 * HOUR, 2],
    ]);
    await lab.close();
  });

  it('clear ends an active fault and cancels a scheduled one', async () => {
    const { lab, clock, faults, renew, events } = await faultLab();
    faults.add({ kind: 'unreachable', select: 'all' });
    faults.add({ kind: 'reload', select: 'all', at: '1d' });
    await clock.advance(MINUTE);
    expect(faults.list().map((f) => f.state)).toEqual(['active', 'scheduled']);
    expect(faults.clear('f1')).toBe(1);
    expect(await renew('sw-4')).toMatchObject({ ok: true });
    expect(faults.clear()).toBe(1);
    await clock.advance(2 * DAY);
    expect(events.map((e) => e.type)).toEqual(['fault.start', 'fault.end']);
    expect(() => faults.clear('f9')).toThrow(new UsageError('no fault f9; lab fault list shows them'));
    await lab.close();
  });
});

describe('device faults', () => {
  it('reload: the devices reload and come back authorized from their storage', async () => {
    const { lab, clock, faults, device } = await faultLab();
    faults.add({ kind: 'reload', select: 'sw-2' });
    await clock.advance(1);
    expect(device('sw-2').state).toBe('reloading');
    expect(device('sw-1').state).toBe('running');
    await clock.advance(10 * MINUTE);
    expect(device('sw-2').state).toBe('running');
    expect(licenseStateOf(device('sw-2'))).toBe('AUTHORIZED');
    expect(faults.list()).toEqual([]);
    await lab.close();
  });

  it('power-loss: down without a save, back from trusted storage, still authorized', async () => {
    const { lab, clock, faults, device, events } = await faultLab();
    faults.add({ kind: 'power-loss', select: 'sw-2' });
    await clock.advance(1);
    expect(device('sw-2').state).toBe('reloading');
    await clock.advance(10 * MINUTE);
    expect(device('sw-2').view()).toMatchObject({ lastReloadReason: 'power-on' });
    expect(licenseStateOf(device('sw-2'))).toBe('AUTHORIZED');
    expect(events.map((e) => e.line)).toEqual([
      'fault f1 power-loss started on 1 devices (sw-2)',
      'fault f1 power-loss ended',
    ]);
    await lab.close();
  });

  it('storage-corruption: the device crashes, finds the damage and boots with factory licensing data', async () => {
    const { lab, clock, faults, device } = await faultLab();
    faults.add({ kind: 'storage-corruption', select: 'sw-3' });
    await clock.advance(10 * MINUTE);
    const sw3 = device('sw-3');
    expect(sw3.events().some((e) => /PLATFORM_ERROR: .*trusted storage/.test(e.line))).toBe(true);
    expect(licenseStateOf(sw3)).not.toBe('AUTHORIZED');
    expect(sw3.smart().registration.status).toBe('unregistered');
    expect(licenseStateOf(device('sw-1'))).toBe('AUTHORIZED');
    await lab.close();
  });

  it('clock-jump: the device clock moves and the agent hears of it', async () => {
    const { lab, clock, faults, device } = await faultLab();
    faults.add({ kind: 'clock-jump', ms: -2 * DAY, select: 'sw-4' });
    await clock.advance(1);
    expect(device('sw-4').deviceNow() - clock.now()).toBeCloseTo(-2 * DAY, -3);
    expect(device('sw-3').deviceNow() - clock.now()).toBe(0);
    await lab.close();
  });

  it('clock-skew: the cloud refuses the skewed device until the fault ends and its clock is set right', async () => {
    const { lab, clock, faults, device, renew, events } = await faultLab();
    faults.add({ kind: 'clock-skew', ms: 3 * DAY, select: 'sw-1', for: '2h' });
    await clock.advance(1);
    expect(device('sw-1').deviceNow() - clock.now()).toBeCloseTo(3 * DAY, -3);
    const skewed = await renew('sw-1');
    expect(skewed).toMatchObject({
      ok: false,
      reason: 'The system clock is not in sync with Cisco Smart Software Manager.',
    });
    await clock.advance(2 * HOUR);
    expect(device('sw-1').deviceNow() - clock.now()).toBeCloseTo(0, -3);
    expect(events.map((e) => e.line)).toEqual([
      'fault f1 clock-skew started on 1 devices (sw-1)',
      'fault f1 clock-skew ended',
    ]);
    expect(await renew('sw-1')).toMatchObject({ ok: true });
    expect(licenseStateOf(device('sw-1'))).toBe('AUTHORIZED');
    await lab.close();
  });

  it('a clock-skew resumed under way is not applied again; its end still sets the clock right', async () => {
    const { lab, clock, faults, device } = await faultLab();
    device('sw-3').setClock(device('sw-3').deviceNow() + HOUR); // as the first run left it
    faults.add({ kind: 'clock-skew', ms: HOUR, select: 'sw-3', for: '1h' }, { startedAt: clock.now() - DAY });
    expect(faults.saved()[0]).toMatchObject({ startsAt: clock.now() - DAY, endsAt: clock.now() + HOUR });
    await clock.advance(1);
    expect(device('sw-3').deviceNow() - clock.now()).toBeCloseTo(HOUR, -3);
    await clock.advance(HOUR);
    expect(device('sw-3').deviceNow() - clock.now()).toBeCloseTo(0, -3);
    await lab.close();
  });

  it('keeps the faults added while the lab runs and not over, with their lab times; not the topology ones', async () => {
    const { lab, clock, faults } = await faultLab();
    const now = clock.now();
    faults.add({ kind: 'latency', ms: 5, select: 'sw-1', at: '1h', for: '2h' });
    faults.add({ kind: 'unreachable', select: 'sw-2' });
    faults.add({ kind: 'reload', select: 'sw-3' });
    faults.add({ kind: 'unreachable', select: 'sw-4', for: '1d' }, { fromTopology: true });
    expect(faults.saved()).toEqual([
      { spec: { kind: 'latency', ms: 5, select: 'sw-1' }, startsAt: now + HOUR, endsAt: now + 3 * HOUR },
      { spec: { kind: 'unreachable', select: 'sw-2' }, startsAt: now },
    ]);
    await clock.advance(4 * HOUR);
    expect(faults.saved()).toEqual([{ spec: { kind: 'unreachable', select: 'sw-2' }, startsAt: now }]);
    await lab.close();
  });

  it('clock-skew without "for" lasts until cleared, and clearing sets the clock right', async () => {
    const { lab, clock, faults, device } = await faultLab();
    faults.add({ kind: 'clock-skew', ms: -HOUR, select: 'sw-2' });
    await clock.advance(30 * DAY);
    expect(device('sw-2').deviceNow() - clock.now()).toBeCloseTo(-HOUR, -3);
    expect(faults.clear()).toBe(1);
    expect(device('sw-2').deviceNow() - clock.now()).toBeCloseTo(0, -3);
    await lab.close();
  });
});

describe('cloud faults', () => {
  it('token-revoked: the devices keep their registration; registering again with the token is refused', async () => {
    const { lab, clock, faults, device, events } = await faultLab();
    faults.add({ kind: 'token-revoked', select: 'sw-1' });
    await clock.advance(1);
    expect(events.map((e) => e.line)).toEqual([
      'fault f1 token-revoked started on 1 devices (sw-1)',
      'fault f1 token-revoked ended: 1 tokens revoked',
    ]);
    expect((await lab.cloud.events()).some((e) => e.kind === 'token.revoked')).toBe(true);
    expect(licenseStateOf(device('sw-2'))).toBe('AUTHORIZED');
    device('sw-2').exec('license smart register idtoken LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D force');
    await clock.advance(MINUTE);
    expect(device('sw-2').events().at(-1)?.line).toMatch(/AGENT_REG_FAILED: .*revoked/i);
    await lab.close();
  });

  it('licenses-removed: by default as many as the devices use; the pool keeps its surplus', async () => {
    const { lab, clock, faults, renew, device, events } = await faultLab();
    faults.add({ kind: 'licenses-removed', select: 'sw-1 sw-2' });
    await clock.advance(1);
    await lab.cloud.instances();
    expect(events.at(-1)?.line).toBe('fault f1 licenses-removed ended: 4 licenses removed from 2 pools');
    const removed = (await lab.cloud.events()).filter((e) => e.kind === 'licenses.removed');
    expect(removed.map((e) => e.message)).toEqual([
      expect.stringMatching(/^2 .* removed from DEFAULT$/),
      expect.stringMatching(/^2 .* removed from DEFAULT$/),
    ]);
    // 10 bought, 2 taken away, 4 in use: still in compliance at the next renewal.
    expect(await renew('sw-3')).toMatchObject({ ok: true });
    expect(licenseStateOf(device('sw-3'))).toBe('AUTHORIZED');
    await lab.close();
  });

  it('licenses-removed with a quantity: the pool runs short and every device of the VA is out of compliance at its next authorization', async () => {
    const { lab, clock, faults, renew, device, events } = await faultLab();
    faults.add({ kind: 'licenses-removed', select: 'sw-1', quantity: 8 });
    await clock.advance(1);
    await lab.cloud.instances();
    expect(events.at(-1)?.line).toBe('fault f1 licenses-removed ended: 16 licenses removed from 2 pools');
    expect((await lab.cloud.events()).filter((e) => e.kind === 'compliance.changed')).toHaveLength(2);
    // Nothing changes on the devices until they ask: authorization renews every 30 days.
    expect(licenseStateOf(device('sw-4'))).toBe('AUTHORIZED');
    await renew('sw-4');
    expect(licenseStateOf(device('sw-4'))).toBe('OUT OF COMPLIANCE');
    await clock.advance(31 * DAY);
    expect(['sw-1', 'sw-2', 'sw-3'].map((h) => licenseStateOf(device(h)))).toEqual(Array(3).fill('OUT OF COMPLIANCE'));
    await lab.close();
  });

  it('cloud-restart: every device is refused while the cloud is down; it comes back from its store', async () => {
    const { lab, clock, faults, renew, device, events } = await faultLab();
    const storeBefore = lab.inProcess!.store;
    faults.add({ kind: 'cloud-restart', select: 'all', for: '10m' });
    const down = await renew('sw-2', MINUTE);
    expect(down).toMatchObject({ ok: false, reason: CALL_HOME });
    expect(
      device('sw-2')
        .events()
        .some((e) => e.syslog.mnemonic === 'COMM_FAILED'),
    ).toBe(true);
    expect(await lab.cloud.instances()).toHaveLength(4);
    expect(lab.inProcess!.store).not.toBe(storeBefore);
    await clock.advance(10 * MINUTE);
    expect(events.map((e) => e.line)).toEqual([
      'fault f1 cloud-restart started on 4 devices (all)',
      'fault f1 cloud-restart ended',
    ]);
    expect(await renew('sw-2')).toMatchObject({ ok: true });
    expect(licenseStateOf(device('sw-2'))).toBe('AUTHORIZED');
    await lab.close();
  });

  it('token-revoked ends at once, saying why, when the cloud refuses or there is none', async () => {
    const { lab, clock, fleet, network } = await faultLab();
    const lines: string[] = [];
    const schedule = (cloud?: FaultScheduleDeps['cloud']) =>
      new FaultSchedule({
        clock,
        targets: fleetTargets(() => fleet.members),
        network,
        ...(cloud ? { cloud } : {}),
        onEvent: (e) => lines.push(e.line),
      });
    const refusing = schedule({
      ...lab.cloud,
      revokeToken: () => Promise.reject(new Error('TOKEN_NOT_FOUND: no such token')),
    });
    refusing.add({ kind: 'token-revoked', select: 'sw-1' });
    schedule().add({ kind: 'token-revoked', select: 'sw-2' });
    await clock.advance(1);
    expect(lines).toEqual([
      'fault f1 token-revoked started on 1 devices (sw-1)',
      'fault f1 token-revoked started on 1 devices (sw-2)',
      'fault f1 token-revoked ended: this lab has no cloud of its own to act on',
      'fault f1 token-revoked ended: TOKEN_NOT_FOUND: no such token',
    ]);
    expect(refusing.list()).toEqual([]);
    await lab.close();
  });
});

describe('checkFaultSpec', () => {
  const refusal = (value: unknown) => {
    try {
      checkFaultSpec(value);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    }
    return 'accepted';
  };
  it('names what is wrong, never crashes', () => {
    expect(refusal({ kind: 'meteor', select: 'all' })).toMatch(/^fault kind: /);
    expect(refusal({ kind: 'latency' })).toMatch(/^fault select: /);
    expect(refusal({ kind: 'latency', select: '@@' })).toMatch(/^fault select: "@@" is not a selector term/);
    expect(refusal({ kind: 'reload', select: 'all', for: '1h' })).toBe(
      'fault reload happens once; "for" belongs to network faults, clock-skew and cloud-restart',
    );
    expect(refusal({ kind: 'clock-jump', select: 'all' })).toBe('fault clock-jump needs ms (negative: back in time)');
    expect(refusal({ kind: 'clock-skew', select: 'all', for: '1d' })).toBe(
      'fault clock-skew needs ms (negative: back in time)',
    );
    expect(refusal({ kind: 'cloud-restart', select: 'site=lyon' })).toBe(
      'fault cloud-restart stops the cloud for every device: select all',
    );
    expect(refusal({ kind: 'reload', select: 'all', quantity: 2 })).toBe(
      'fault reload takes no quantity; licenses-removed does',
    );
    expect(refusal({ kind: 'licenses-removed', select: 'all', quantity: 0 })).toMatch(/^fault quantity: /);
    expect(refusal({ kind: 'cloud-restart', select: 'all', for: '1m' })).toBe('accepted');
    expect(refusal({ kind: 'http-error', select: 'all', status: 200 })).toMatch(/^fault status: /);
    expect(refusal({ kind: 'latency', select: 'all', at: 'soon' })).toMatch(/^fault at: /);
    expect(refusal({ kind: 'latency', select: 'all', colour: 'red' })).toMatch(/colour/);
    expect(refusal('x')).toMatch(/^fault: /);
  });
});
