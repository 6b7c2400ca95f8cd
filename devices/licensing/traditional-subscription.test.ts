/**
 * Subscription licenses (MIB-543 types 5–7, A.9): warnings weekly in the last 8 weeks, daily in the last
 * week, hourly on the last day; past the end an extension subscription warns daily until it ends; then
 * clmgmtLicenseSubscriptionExpired daily. The subscription stops serving at the next boot after its end.
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '#protocol';
import type { VirtualDevice } from '../device.ts';
import { fileFor, install, linesOf, reloadWith, START, traditionalLab } from './traditional.test-support.ts';

const trapsNamed = (d: VirtualDevice, name: string) => d.events().filter((e) => e.trap?.name === name);

function lab() {
  const { clock, device } = traditionalLab();
  const d = device({ pid: 'ISR4331/K9', sn: 'FDO2214A18T', release: '16.9.6' });
  return { clock, d };
}

describe('subscription licenses', () => {
  it('warns on the MIB schedule, then expires daily; the level falls back at the next boot', async () => {
    const { clock, d } = lab();
    const endAt = START + 70 * DAY;
    install(d, fileFor(d, ['appxk9'], { type: 'paidSubscription', startAt: START - DAY, endAt }));
    await reloadWith(clock, d, ['license boot level appxk9']);
    expect(d.traditional()).toMatchObject({ running: { level: 'appxk9' }, subscriptions: { appxk9: 'active' } });

    await clock.advance(70 * DAY - 8 * 7 * DAY - 2 * 60_000);
    expect(linesOf(d, 'VALIDITY_ENDING')).toHaveLength(0);
    await clock.advance(4 * 60_000);
    expect(linesOf(d, 'VALIDITY_ENDING')).toEqual([
      expect.stringMatching(
        /%LICENSE-1-VALIDITY_ENDING: Feature appxk9 1.0 will expire on .+2026.*. UDI=ISR4331\/K9:FDO2214A18T$/,
      ),
    ]);
    const [warning] = trapsNamed(d, 'clmgmtLicenseSubscriptionExpiryWarning');
    const index = d.traditional()!.features.indexOf('appxk9') + 1;
    expect(warning!.trap).toMatchObject({
      trapOid: '1.3.6.1.4.1.9.9.543.0.10',
      varbinds: [
        { oid: `1.3.6.1.4.1.9.9.543.1.2.4.1.2.1.${index}`, value: 'appxk9' },
        { oid: `1.3.6.1.4.1.9.9.543.1.2.4.1.3.1.${index}`, value: '1.0' },
        { oid: `1.3.6.1.4.1.9.9.543.1.2.4.1.7.1.${index}` },
      ],
    });
    // To the end: 8 weekly (56 … 7 days), 6 daily (6 … 1 days), 23 hourly.
    await clock.advance(8 * 7 * DAY);
    expect(linesOf(d, 'VALIDITY_ENDING')).toHaveLength(8 + 6 + 23);
    expect(trapsNamed(d, 'clmgmtLicenseSubscriptionExpired')).toHaveLength(1);
    expect(d.traditional()!.subscriptions).toEqual({ appxk9: 'expired' });
    await clock.advance(3 * DAY);
    expect(linesOf(d, 'VALIDITY_EXPIRED')).toHaveLength(4);
    expect(linesOf(d, 'VALIDITY_EXPIRED')[0]).toMatch(/Feature appxk9 1.0 has expired on /);

    await reloadWith(clock, d);
    expect(d.traditional()!.running.level).toBe('ipbasek9');
  });

  it('an extension subscription warns daily past the end until it ends, then the feature has expired', async () => {
    const { clock, d } = lab();
    const endAt = START + 2 * HOUR;
    install(d, fileFor(d, ['appxk9'], { type: 'paidSubscription', startAt: START - DAY, endAt }));
    install(
      d,
      fileFor(d, ['appxk9'], { type: 'extensionSubscription', startAt: START - DAY, endAt: endAt + 3 * DAY }),
      'ext.lic',
    );
    expect(d.traditional()!.subscriptions).toEqual({ appxk9: 'active' });
    await clock.advance(2 * HOUR);
    expect(d.traditional()!.subscriptions).toEqual({ appxk9: 'extension' });
    expect(linesOf(d, 'VALIDITY_EXT_ENDING')).toEqual([
      expect.stringMatching(/%LICENSE-1-VALIDITY_EXT_ENDING: Feature appxk9 in grace period and will expire on /),
    ]);
    expect(trapsNamed(d, 'clmgmtLicenseSubscriptionExtExpiryWarning')).toHaveLength(1);
    await clock.advance(3 * DAY);
    expect(linesOf(d, 'VALIDITY_EXT_ENDING')).toHaveLength(3);
    expect(d.traditional()!.subscriptions).toEqual({ appxk9: 'expired' });
    expect(linesOf(d, 'VALIDITY_EXPIRED')).toHaveLength(1);
  });
});
