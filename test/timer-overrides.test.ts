/**
 * Timer overrides end to end. The device owns cadence (when it renews: smart-timers.ts, per device); the
 * cloud owns validity (what it signs: the authorization deadline, the ID certificate's lifetime, per lab).
 * Each override must change what the device does and shows, not just a number in a table.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import { DAY, HOUR, MINUTE } from '#protocol';
import type { VirtualDevice } from '#devices';
import { EAST_TOKEN, LAB_SEED, LAB_START } from './support/device-lab.ts';

let lab: LocalLab;
afterEach(() => lab.close());

const count = (d: VirtualDevice, m: string): number => d.events().filter((e) => e.syslog.mnemonic === m).length;

async function registered(d: VirtualDevice): Promise<number> {
  d.exec(`license smart register idtoken ${EAST_TOKEN}`);
  await lab.clock.advance(MINUTE);
  expect(d.smart().authorization.status).toBe('authorized');
  return lab.clock.now() - MINUTE;
}

describe('timer overrides', () => {
  it('a device renews on its own cadence: authRenewal 1 day, idRenewal 10 days', async () => {
    lab = await createLab({ clock: { mode: 'stepped', start: LAB_START }, cloud: { seed: LAB_SEED } });
    const d = lab.device({ timers: { authRenewal: DAY, idRenewal: 10 * DAY } });
    const t0 = await registered(d);
    expect(d.smart().authorization.nextCommunicationAttempt).toBe(t0 + DAY);
    expect(d.smart().registration.nextRenewalAttempt).toBe(t0 + 10 * DAY);
    expect(d.exec('show license status')).toContain('  Next Communication Attempt: Mar 14 08:09:24 2026 UTC\n');
    await lab.clock.advance(10 * DAY);
    expect(count(d, 'AUTH_RENEW_SUCCESS')).toBe(11);
    expect(count(d, 'ID_CERT_RENEW_SUCCESS')).toBe(1);
    // Its neighbour on factory timers renews every 30 days.
    const other = lab.device();
    await registered(other);
    await lab.clock.advance(10 * DAY);
    expect(count(other, 'AUTH_RENEW_SUCCESS')).toBe(1);
  });

  it('the cloud decides how long its answers last: a 10-day authorization, a 20-day ID certificate', async () => {
    const policy = { authValidityMs: 10 * DAY, idCertificateValidityMs: 20 * DAY };
    lab = await createLab({ clock: { mode: 'stepped', start: LAB_START }, cloud: { seed: LAB_SEED, policy } });
    const d = lab.device();
    const t0 = await registered(d);
    expect(d.smart().authorization.communicationDeadline).toBe(t0 - 5 * MINUTE + 10 * DAY);
    expect(d.smart().registration.registrationExpires).toBe(t0 - 5 * MINUTE + 20 * DAY);
    await lab.cloud.faults.add({ path: '/licservice/license/*', status: 503 });
    await lab.clock.advanceTo(t0 - 5 * MINUTE + 10 * DAY);
    expect(d.smart().authorization.status).toBe('authorizationExpired');
    expect(count(d, 'AUTHORIZATION_EXPIRED')).toBe(1);
    await lab.clock.advanceTo(t0 - 5 * MINUTE + 20 * DAY);
    expect(count(d, 'ID_CERT_EXPIRED')).toBe(1);
    expect(d.smart().registration.status).toBe('unregistered');
  });

  it('an unknown device timer or a bad value is refused with the valid names', async () => {
    lab = await createLab({ clock: { mode: 'stepped', start: LAB_START }, cloud: { seed: LAB_SEED } });
    expect(() => lab.device({ timers: { authRenwal: HOUR } })).toThrow(
      /unknown smart licensing timer "authRenwal"; valid timers: evaluationPeriod, .*authRenewal/,
    );
    expect(() => lab.device({ timers: { authRenewal: -1 } })).toThrow(/must be a positive number of ms, got -1/);
  });
});
