/**
 * The traditional agent's chart through a device on a stepped lab clock: the built-in 60-day evaluation
 * (EULA first, usage only while in use, MIB-543's warning schedule, expiry that keeps the feature until
 * reload, the fall back at reload), usage across reload and power loss, every state node visited, and the
 * agent's state as plain JSON.
 */
import { getStateNodes } from 'xstate/graph';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '#protocol';
import type { VirtualDevice } from '../device.ts';
import { MemoryBackend } from '../storage/memory-backend.ts';
import { linesOf, mnemonics, reloadWith, stateOf, traditionalLab } from './traditional.test-support.ts';
import { createTraditionalMachine } from './traditional.machine.ts';

const SECURITY = 'license boot module c2900 technology-package securityk9';
const EULA = 'license accept end user agreement';

function builtin(d: VirtualDevice, feature: string) {
  return d.traditional()!.licenses.find((l) => l.key === `builtin:${feature}`)!;
}

describe('the built-in 60-day evaluation license', () => {
  it('needs the EULA: without it the next boot falls back to the permanent ipbasek9', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    await reloadWith(clock, d, [SECURITY]);
    expect(d.view().bootLevel).toMatchObject({ current: 'ipbasek9', nextReload: 'securityk9' });
    expect(stateOf(d)).toBe('permanent');
    expect(linesOf(d, 'LICENSE_LEVEL').at(-1)).toContain(
      'Module name = c2900 Next reboot level = securityk9 and License = ipbasek9',
    );
  });

  it('counts only while in use, warns on MIB-543 schedule, expires running, falls back at reload', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    await reloadWith(clock, d, [EULA, SECURITY]);
    expect(d.view().bootLevel.current).toBe('securityk9');
    expect(stateOf(d)).toEqual({ metered: 'counting' });
    expect(builtin(d, 'securityk9').status).toBe('inUse');
    expect(d.exec('show license')).toContain(
      [
        'Index 2 Feature: securityk9                     ',
        '        Period left: 8  weeks 4  days',
        '        Period Used: 0  minute  0  second',
        '        License Type: Evaluation',
        '        License State: Active, In Use',
      ].join('\n'),
    );

    await clock.advance(10 * DAY);
    expect(builtin(d, 'securityk9').usedMs).toBe(10 * DAY);
    // Another feature's evaluation is not in use: it does not count.
    expect(builtin(d, 'datak9').usedMs).toBe(0);
    expect(d.exec('show license')).toContain('        Period left: 7  weeks 1  days\n');

    // 4, 3 and 2 weeks before expiry, then daily in the last week (A.9).
    await clock.advance(49 * DAY);
    const warnings = d.events().filter((e) => e.syslog.mnemonic === 'EXPIRING');
    expect(warnings.map((e) => e.syslog.text.match(/in (\d+ days)/)?.[1])).toEqual([
      '28 days',
      '21 days',
      '14 days',
      '7 days',
      '6 days',
      '5 days',
      '4 days',
      '3 days',
      '2 days',
      '1 days',
    ]);
    expect(warnings[0]!.line).toMatch(
      /%LICENSE-1-EXPIRING: License for feature securityk9 1.0 will expire in 28 days. UDI=CISCO2911\/K9:FTX1524ABCD$/,
    );
    expect(warnings[0]!.trap).toMatchObject({
      name: 'clmgmtLicenseExpiryWarning',
      trapOid: '1.3.6.1.4.1.9.9.543.0.2',
      varbinds: [
        { oid: '1.3.6.1.4.1.9.9.543.1.2.4.1.2.1.2', value: 'securityk9' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.4.1.3.1.2', value: '1.0' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.4.1.4.1.2', value: 28 * 86_400 },
      ],
    });

    await clock.advance(DAY);
    expect(stateOf(d)).toEqual({ metered: 'expired' });
    // The feature keeps running until the next reload (seeds 000, 001).
    expect(d.view().bootLevel.current).toBe('securityk9');
    expect(builtin(d, 'securityk9').status).toBe('expiredInUse');
    const expired = d.events().filter((e) => e.syslog.mnemonic === 'EXPIRED');
    expect(expired).toHaveLength(1);
    expect(expired[0]!.line).toContain(
      '%LICENSE-1-EXPIRED: License for feature securityk9 1.0 has expired and will run until the next reload. UDI=CISCO2911/K9:FTX1524ABCD',
    );
    expect(expired[0]!.trap).toMatchObject({ name: 'clmgmtLicenseExpired', trapOid: '1.3.6.1.4.1.9.9.543.0.1' });
    expect(d.traditional()!.history.map((h) => h.action)).toEqual(['eulaAccept', 'expire']);

    // Every week after expiry (A.9).
    await clock.advance(14 * DAY);
    expect(mnemonics(d).filter((m) => m === 'EXPIRED')).toHaveLength(3);

    d.exec('reload');
    await clock.advance(60_000);
    expect(d.view().bootLevel).toMatchObject({ current: 'ipbasek9', nextReload: 'securityk9' });
    expect(stateOf(d)).toBe('permanent');
    expect(builtin(d, 'securityk9').status).toBe('expiredNotInUse');
    expect(d.exec('show license')).toContain('        License State: Expired, Not in Use\n');
  });

  it('keeps usage across reload and lab restart; a power loss gives back at most the last day', async () => {
    const { clock, device } = traditionalLab();
    const storage = new MemoryBackend();
    const d = device({ storage });
    await reloadWith(clock, d, [EULA, SECURITY]);
    await clock.advance(5 * DAY + 6 * HOUR);
    d.exec('reload');
    await clock.advance(60_000);
    expect(builtin(d, 'securityk9').usedMs).toBe(5 * DAY + 6 * HOUR);

    await clock.advance(DAY + 6 * HOUR);
    d.powerLoss();
    await clock.advance(60_000);
    // Banked at the daily checkpoint 6 hours before the power went.
    expect(builtin(d, 'securityk9').usedMs).toBe(6 * DAY + 6 * HOUR);
    expect(stateOf(d)).toEqual({ metered: 'counting' });

    // The lab restarts: a new device object on the same storage.
    d.stop();
    const again = device({ storage });
    expect(builtin(again, 'securityk9').usedMs).toBe(6 * DAY + 6 * HOUR);
    expect(again.view().bootLevel.current).toBe('securityk9');
    expect(again.traditional()!.eulaAccepted).toBe(true);
  });

  it('warns with what is left after a reload, not from the start', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    await reloadWith(clock, d, [EULA, SECURITY]);
    await clock.advance(40 * DAY);
    d.exec('reload');
    await clock.advance(60_000);
    const before = mnemonics(d).filter((m) => m === 'EXPIRING').length;
    await clock.advance(6 * DAY);
    // 20 days were left: the next warning is the 14-day one.
    const after = d
      .events()
      .filter((e) => e.syslog.mnemonic === 'EXPIRING')
      .slice(before);
    expect(after.map((e) => e.syslog.text.match(/in (\d+ days)/)?.[1])).toEqual(['14 days']);
  });
});

describe('the chart', () => {
  it('visits every state node, and its state is plain JSON', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    const machine = createTraditionalMachine(clock);
    const seen = new Set<string>(['traditional']);
    const note = () => {
      const s = d.agentState()!;
      // `{ metered: 'counting' }` → traditional.metered, traditional.metered.counting
      const path = typeof s.value === 'string' ? [s.value] : Object.entries(s.value as object).flat();
      path.forEach((_, i) => seen.add(['traditional', ...path.slice(0, i + 1)].join('.')));
      expect(structuredClone(s)).toEqual(JSON.parse(JSON.stringify(s)));
    };
    note();
    await reloadWith(clock, d, [EULA, SECURITY]);
    note();
    await clock.advance(60 * DAY);
    note();
    // Transient nodes (eventless `always` routing) are left in the same microstep: no snapshot shows them.
    const all = getStateNodes(machine.root)
      .filter((n) => n.always === undefined || n.always.length === 0)
      .map((n) => n.id);
    expect(all.filter((id) => !seen.has(id))).toEqual([]);
  });
});
