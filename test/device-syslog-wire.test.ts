/**
 * A device's own `logging host`, end to end: configured at the console, messages on a real TCP socket to
 * the lab's collector, the trap level obeyed, the configuration saved by `write memory` and kept across a
 * reload, and nothing lost by the collector's count of the device counter.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SyslogSender } from '#devices';
import { MINUTE } from '#protocol';
import { SyslogCollector, syslogWire, type LocalLab } from '#lab';
import { EAST_TOKEN, openDeviceLab } from './support/device-lab.ts';

let lab: LocalLab;
let collector: SyslogCollector;
let sender: SyslogSender;
beforeEach(async () => {
  collector = await SyslogCollector.listen({ now: () => lab.clock.now() });
  sender = new SyslogSender();
  lab = await openDeviceLab({ syslog: syslogWire(sender, []) });
});
afterEach(async () => {
  await lab.close();
  await sender.close();
  await collector.close();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('logging host on a device', () => {
  it('sends over TCP at the trap level, and keeps the host across write memory and reload', async () => {
    const d = lab.device({ hostname: 'sw-07', reloadMs: MINUTE });
    d.exec('configure terminal');
    for (const line of [
      `logging host 127.0.0.1 transport tcp port ${collector.tcpPort}`,
      'logging origin-id hostname',
      'logging trap notifications',
    ])
      expect(d.exec(line)).toBe('');
    const configuredAt = d.log.seq;
    d.exec('end');
    const toHost = () => d.events().filter((e) => e.seq > configuredAt && e.syslog.severity <= 5);
    d.exec(`license smart register idtoken ${EAST_TOKEN}`);
    await lab.clock.advance(MINUTE);
    const sent = toHost();
    expect(sent.length).toBeGreaterThan(0);
    expect(d.events().some((e) => e.seq > configuredAt && e.syslog.severity === 6)).toBe(true);
    const got = () => collector.messages({ device: 'sw-07' }).filter((m) => m.tag.severity <= 5);
    await until(() => got().length === sent.length);
    expect(got().map((m) => m.tag.mnemonic)).toEqual(sent.map((e) => e.syslog.mnemonic));
    expect(got().every((m) => m.transport === 'tcp' && m.facility === 23)).toBe(true);
    // The host also got its own LOGGINGHOST_STARTSTOP (informational, logged before the trap level changed).
    const shown = d.exec('show logging');
    expect(shown).toMatch(/^ {4}Trap logging: level notifications, \d+ message lines logged$/m);
    expect(shown).toContain(
      `        Logging to 127.0.0.1  (tcp port ${collector.tcpPort}, audit disabled,\n` +
        `              link up),\n              ${sent.length + 1} message lines logged,\n`,
    );

    expect(d.exec('write memory')).toBe('Building configuration...\n[OK]\n');
    d.exec('reload');
    await lab.clock.advance(MINUTE);
    expect(d.state).toBe('running');
    d.exec('license smart renew auth');
    await lab.clock.advance(MINUTE);
    const after = toHost();
    expect(after.length).toBeGreaterThan(sent.length);
    await until(() => got().length === after.length);
    expect(got().map((m) => m.tag.mnemonic)).toEqual(after.map((e) => e.syslog.mnemonic));
    // The counter counts what passed the trap level; it starts again at 1 after the reload, and has no gap.
    expect(collector.counts().devices['sw-07']).toMatchObject({ lost: 0 });
  });
});
