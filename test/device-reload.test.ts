/**
 * `reload` by hand on one device against the real cloud in process: what the console prints, the device
 * down for the configured time (no exec, no timer of the stopped agent, no cloud traffic), then a boot
 * with a fresh uptime, the saved configuration, overdue timers caught up, and the syslog sequence numbers
 * going on from where they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '#devices';
import { udiString, DAY, MINUTE } from '#protocol';
import { EAST_TOKEN, openDeviceLab } from './support/device-lab.ts';
import type { LocalLab } from '#lab';

let lab: LocalLab;
beforeEach(async () => {
  lab = await openDeviceLab();
});
afterEach(async () => {
  await lab.close();
});

const RELOAD = 3 * MINUTE;
const mnemonics = (d: VirtualDevice): string[] => d.events().map((e) => e.syslog.mnemonic);
const lastContact = async (d: VirtualDevice): Promise<number | undefined> =>
  (await lab.cloud.instance(udiString(d.udi)))?.lastContactAt;

async function registered(): Promise<{ d: VirtualDevice; t0: number }> {
  const d = lab.device({ reloadMs: RELOAD });
  d.exec(`license smart register idtoken ${EAST_TOKEN}`);
  await lab.clock.advance(MINUTE);
  return { d, t0: lab.clock.now() - MINUTE };
}

describe('reload', () => {
  it('prints the IOS prompts, is down for reloadMs with no exec and no agent timers, then boots fresh', async () => {
    const { d, t0 } = await registered();
    // Reload a minute before the 30-day renewal is due: it must not fire while the device is down.
    await lab.clock.advanceTo(t0 + 30 * DAY - MINUTE);
    expect(d.view().uptimeMs).toBe(30 * DAY - MINUTE);
    const contact = await lastContact(d);
    d.exec('configure terminal');
    d.exec('hostname core-1');
    d.exec('end');

    expect(d.exec('reload')).toBe(
      'System configuration has been modified. Save? [yes/no]: no\nProceed with reload? [confirm]\n',
    );
    expect(d.state).toBe('reloading');
    // Leaving configuration mode and the reload are logged as IOS logs them.
    expect(
      d
        .events()
        .slice(-2)
        .map((e) => [e.device, e.line.replace(/^.*?: %/, '%')]),
    ).toEqual([
      ['core-1', '%SYS-5-CONFIG_I: Configured from console by console'],
      ['core-1', '%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.'],
    ]);
    const seq = d.events().at(-1)!.seq;
    expect(d.exec('show license status')).toBe('% core-1 is reloading\n');
    expect(d.exec('reload')).toBe('% core-1 is reloading\n');
    expect(d.reload()).toEqual({ ok: false, error: '% core-1 is not running' });
    expect(d.view().uptimeMs).toBe(0);

    await lab.clock.advance(RELOAD - 1);
    expect(d.state).toBe('reloading');
    expect(d.events().at(-1)!.seq).toBe(seq);
    expect(await lastContact(d)).toBe(contact);

    await lab.clock.advance(1);
    expect(d.state).toBe('running');
    const booted = d.events().filter((e) => e.seq > seq);
    // The unsaved hostname is gone; the overdue renewal runs right after the agent is back.
    expect(booted.map((e) => [e.seq, e.device, e.syslog.mnemonic])).toEqual([
      [seq + 1, 'Switch', 'AGENT_READY'],
      [seq + 2, 'Switch', 'AGENT_ENABLED'],
      [seq + 3, 'Switch', 'AUTH_RENEW_SUCCESS'],
    ]);
    expect(booted.every((e) => e.labTime === t0 + 30 * DAY - MINUTE + RELOAD)).toBe(true);
    // No NTP and no `clock set`: the device clock is not authoritative (`*`); `service sequence-numbers` is off.
    expect(booted[0]!.line).toBe(
      '*Apr 12 08:11:24.000: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized',
    );
    expect(d.view()).toMatchObject({ hostname: 'Switch', uptimeMs: 0, lastReloadReason: 'Reload Command' });
    expect(d.exec('show version')).toContain('Switch uptime is 0 minutes\n');
    await lab.clock.advance(2 * MINUTE);
    expect(d.exec('show version')).toContain('Switch uptime is 2 minutes\n');
    expect(d.smart().authorization).toMatchObject({
      status: 'authorized',
      lastCommunicationAttempt: { ok: true, at: t0 + 30 * DAY + 2 * MINUTE },
    });
    expect(await lastContact(d)).toBe(t0 + 30 * DAY + 2 * MINUTE);
  });

  it('a reply in flight when the reload starts is dropped with the old agent', async () => {
    const d = lab.device({ reloadMs: RELOAD });
    await lab.cloud.faults.add({ path: '/licservice/license/registration', delayMs: 30_000, times: 1 });
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    d.exec('reload');
    await lab.clock.advance(RELOAD);
    expect(d.smart().registration.status).toBe('unregistered');
    expect(mnemonics(d).filter((m) => m.startsWith('AGENT_REG'))).toEqual([]);
  });

  // Regression: reload() armed its boot without keeping the timer, so a device powered off mid-reload came back.
  it('a device stopped while reloading stays off', async () => {
    const d = lab.device({ reloadMs: RELOAD });
    d.exec('reload');
    d.stop();
    await lab.clock.advance(RELOAD * 2);
    expect(d.state).toBe('stopped');
    expect(d.exec('show version')).toBe('% Switch is powered off\n');
    expect(lab.clock.pending()).toBe(0);
  });
});

describe('power loss', () => {
  it('goes down without saving and comes back from trusted storage, as at a cold start', async () => {
    const { d } = await registered();
    d.exec('configure terminal');
    d.exec('hostname core-1');
    d.exec('end');
    expect(d.powerLoss()).toEqual({ ok: true, output: '' });
    expect(d.state).toBe('reloading');
    expect(d.powerLoss()).toEqual({ ok: false, error: '% core-1 is not running' });
    await lab.clock.advance(RELOAD);
    expect(d.state).toBe('running');
    // The sequence number goes back to the last one saved: what was logged since is not in storage.
    expect(
      d
        .events()
        .filter((e) => e.labTime === lab.clock.now())
        .map((e) => [e.device, e.syslog.mnemonic]),
    ).toEqual([
      ['Switch', 'AGENT_READY'],
      ['Switch', 'AGENT_ENABLED'],
    ]);
    expect(d.view()).toMatchObject({ hostname: 'Switch', uptimeMs: 0, lastReloadReason: 'power-on' });
    expect(d.smart().registration.status).toBe('registered');
    expect(d.smart().authorization.status).toBe('authorized');
  });

  it('finds corrupted storage at the next cold start: the damage logged and kept aside, factory licensing data', async () => {
    const { d } = await registered();
    expect(d.corruptStorage()).toEqual({ ok: true, output: '' });
    // A running device does not read its storage: nothing changes until the power goes.
    await lab.clock.advance(MINUTE);
    expect(d.smart().registration.status).toBe('registered');
    d.powerLoss();
    await lab.clock.advance(RELOAD);
    const damage = d.events().find((e) => e.syslog.mnemonic === 'PLATFORM_ERROR');
    expect(damage?.line).toMatch(/trusted storage .*; kept as \S+\.corrupt-\d+, starting with factory licensing data/);
    expect(d.smart().registration.status).toBe('unregistered');
    // The factory record is written at once: the next cold start finds no damage.
    d.powerLoss();
    await lab.clock.advance(RELOAD);
    expect(d.events().filter((e) => e.syslog.mnemonic === 'PLATFORM_ERROR')).toHaveLength(1);
  });

  it('has nothing to corrupt on a device that never stored anything', () => {
    expect(
      lab
        .device({ storage: { read: () => undefined, write: () => {}, delete: () => {}, keys: () => [] } as never })
        .corruptStorage(),
    ).toEqual({
      ok: false,
      error: '% nothing stored to corrupt',
    });
  });
});
