import { describe, expect, it } from 'vitest';
import type { VirtualDevice } from '#devices';
import type { FleetMember } from './fleet.ts';
import { deviceRows, fleetSnapshot, licenseStateOf, summaryLine, summaryTable } from './fleet-summary.ts';
import type { FleetNode } from './topology.ts';

/** A device as the summary reads it: run state, agent or none, and the Smart view's two statuses. */
function device(state: string, registration?: string, authorization = 'none'): VirtualDevice {
  return {
    state,
    platform: { family: 'catalyst-9300' },
    agentState: () => (registration === undefined ? undefined : {}),
    smart: () => ({ registration: { status: registration }, authorization: { status: authorization } }),
  } as unknown as VirtualDevice;
}

const node = (site: string | undefined, kind?: string): FleetNode =>
  ({ kind, labels: site === undefined ? {} : { site } }) as unknown as FleetNode;

describe('licenseStateOf', () => {
  it.each([
    [device('reloading'), 'RELOADING'],
    [device('stopped'), 'OFF'],
    [device('running'), 'TRADITIONAL'],
    [device('running', 'unregistered'), 'UNREGISTERED'],
    [device('running', 'unregistered', 'eval'), 'EVAL'],
    [device('running', 'unregistered', 'evalExpired'), 'EVAL EXPIRED'],
    [device('running', 'inProgress', 'eval'), 'REGISTERING'],
    [device('running', 'failed', 'eval'), 'REG FAILED'],
    [device('running', 'retrying', 'eval'), 'REG FAILED'],
    [device('running', 'registered'), 'REGISTERED'],
    [device('running', 'registered', 'pending'), 'AUTH PENDING'],
    [device('running', 'registered', 'authorized'), 'AUTHORIZED'],
    [device('running', 'registered', 'outOfCompliance'), 'OUT OF COMPLIANCE'],
    [device('running', 'registered', 'authorizationExpired'), 'AUTH EXPIRED'],
  ])('%#: %s', (d, expected) => {
    expect(licenseStateOf(d)).toBe(expected);
  });
});

describe('fleet summary', () => {
  const members: FleetMember[] = [
    { node: node('lyon', 'access'), device: device('running', 'registered', 'authorized') },
    { node: node('lyon', 'access'), device: device('running', 'registered', 'authorized') },
    { node: node('austin', 'access'), device: device('running', 'failed', 'eval') },
    { node: node(undefined), device: device('reloading') },
  ];
  const snap = fleetSnapshot(deviceRows(members), {
    labTime: Date.parse('2026-03-01T12:30:00Z'),
    exchanges: { sent: 12, failed: 1, perSecond: 2.5 },
    problems: 0,
    faultsActive: 0,
  });

  it('counts states in total and per kind and site, a kindless device under its family', () => {
    expect(snap.totals).toEqual({ AUTHORIZED: 2, 'REG FAILED': 1, RELOADING: 1 });
    expect(snap.rows).toEqual([
      { kind: 'access', site: 'austin', counts: { 'REG FAILED': 1 } },
      { kind: 'access', site: 'lyon', counts: { AUTHORIZED: 2 } },
      { kind: 'catalyst-9300', site: '-', counts: { RELOADING: 1 } },
    ]);
  });

  it('prints one line for logs and a table with a column per state present', () => {
    expect(summaryLine(snap)).toBe(
      '[lab] 2026-03-01 12:30 UTC · 4 devices: AUTHORIZED 2, REG FAILED 1, RELOADING 1 · exchanges 12 (2.5/s, 1 failed)',
    );
    const table = summaryTable(snap, 'T');
    expect(table[0]).toBe('T · 2026-03-01 12:30 UTC · 4 devices');
    expect(table[3]).toMatch(/^kind\s+site\s+AUTHORIZED\s+REG FAILED\s+RELOADING$/);
    expect(table.at(-1)).toMatch(/^total\s+2\s+1\s+1$/);
    expect(summaryLine({ ...snap, faultsActive: 2 })).toMatch(/ · 2 faults active$/);
  });

  it('shows how far registration is while smart devices with a token are still to register', () => {
    const smart = (site: string, token?: string) =>
      ({ ...node(site, 'access'), licensing: 'smart', cloud: token ? { token } : {} }) as FleetNode;
    const spinning = fleetSnapshot(
      deviceRows([
        { node: smart('lyon', 'T'), device: device('running', 'registered', 'authorized') },
        { node: smart('lyon', 'T'), device: device('running', 'inProgress', 'eval') },
        { node: smart('lyon', 'T'), device: device('running', 'registered', 'outOfCompliance') },
        { node: smart('lyon', 'T'), device: device('stopped') },
        { node: smart('lyon'), device: device('running', 'unregistered', 'eval') },
      ]),
      { labTime: 0, exchanges: { sent: 0, failed: 0, perSecond: 0 }, problems: 0, faultsActive: 0 },
    );
    expect(spinning.registration).toEqual({ registered: 2, expected: 4 });
    expect(summaryTable(spinning, 'T')[2]).toBe(`registering ${'█'.repeat(15)}${'░'.repeat(15)} 2/4 (50 %)`);
    expect(summaryLine(spinning)).toMatch(/ · registered 2\/4$/);
    // Nothing to register (no tokens), or all in: no bar.
    expect(snap.registration).toEqual({ registered: 0, expected: 0 });
    expect(summaryTable(snap, 'T')[2]).toBe('');
    const done = { ...spinning, registration: { registered: 4, expected: 4 } };
    expect(summaryTable(done, 'T')[2]).toBe('');
    expect(summaryLine(done)).not.toMatch(/registered/);
  });
});
