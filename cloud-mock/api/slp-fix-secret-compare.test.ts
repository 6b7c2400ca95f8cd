/**
 * The codes that prove a return (a SLAC's confirm code as remove_code, a reservation's confirmation code in
 * the return code) are compared in constant time: crypto.timingSafeEqual over the two codes' bytes, watched
 * here through a pass-through of node:crypto.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeSmartLicense, reservationRequestCode, reservationReturnCode, slpDevicePaths as paths } from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { SlpOperations } from '../domain/index.ts';
import { expectDomainError } from '../domain/test-cloud.test-support.ts';
import { EXPORT_TOKEN, HSEC, openSlpCloud, SlpDevice, TAG, type SlpCloud } from './slp.test-support.ts';

const compared = vi.hoisted(() => [] as [string, string][]);
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const timingSafeEqual: typeof actual.timingSafeEqual = (a, b) => {
    compared.push([Buffer.from(a as Uint8Array).toString(), Buffer.from(b as Uint8Array).toString()]);
    return actual.timingSafeEqual(a, b);
  };
  return { ...actual, timingSafeEqual, default: { ...actual, timingSafeEqual } };
});

/** Whether the two codes went through timingSafeEqual (in either order). */
const wasCompared = (x: string, y: string) => compared.some(([a, b]) => (a === x && b === y) || (a === y && b === x));

describe.each(storeKinds)('constant-time return codes on %s', (kind) => {
  let cloud: SlpCloud;

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
    compared.length = 0;
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('compares a SLAC remove code with timingSafeEqual, and only the exact code returns it', async () => {
    const device = new SlpDevice(cloud, 'FDO2201CMP1');
    expect((await device.send(paths.trust, device.trustFields(EXPORT_TOKEN))).status).toBe(200);
    const ask = (keys: object[], removeCode?: string) =>
      device.send(paths.authRequest, {
        licenses: [{ sudi: device.sudi, keys, ...(removeCode === undefined ? {} : { remove_code: removeCode }) }],
      });
    const accepted = await ask([{ entitlement: HSEC, count: 1 }]);
    const polled = await device.send(paths.poll, { poll_id: accepted.body.poll_id, action: 'authorizations' });
    const [result] = (polled.body.data as { authorizations: { smart_license: string }[] }).authorizations;
    const code = (cloud.open(result!.smart_license, 'SLAC') as { confirm_code: string }).confirm_code;

    const near = code.slice(0, -1) + (code.endsWith('x') ? 'y' : 'x');
    const refused = await ask([], near);
    expect(refused.body).toMatchObject({ status: 'FAILED', message_code: 'SLAC_RETURN_CODE_INVALID' });
    expect(wasCompared(near, code)).toBe(true);
    expect((await ask([], code)).status).toBe(202);
    expect(wasCompared(code, code)).toBe(true);
  });

  it('compares a reservation confirmation code with timingSafeEqual, and only the exact code returns it', async () => {
    const ops = new SlpOperations(cloud.opened.cloud);
    const east = { account: 'example.com', virtualAccount: 'east' };
    const udi = { pid: 'C9300-48P', sn: 'FOC2144CMP1' };
    const [document] = await ops.reserve(east, [
      {
        reservationCode: reservationRequestCode(udi),
        reservationType: 'SPECIFIC',
        licenses: [{ entitlementTag: TAG, quantity: 1 }],
      },
    ]);
    const { confirmation_code: code } = cloud.open(encodeSmartLicense(document!), 'RESERVATION');
    const near = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    await expectDomainError(ops.returnReservation(east, reservationReturnCode(udi, near)), 'RETURN_CODE_INVALID');
    expect(wasCompared(near, code)).toBe(true);
    expect((await ops.returnReservation(east, reservationReturnCode(udi, code))).id).toBe(
      'PID:C9300-48P,SN:FOC2144CMP1',
    );
    expect(wasCompared(code, code)).toBe(true);
  });
});
