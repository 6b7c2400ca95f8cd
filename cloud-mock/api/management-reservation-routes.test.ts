import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeSmartLicense,
  parseSlpFile,
  reservationRequestCode,
  reservationReturnCode,
  type SignedDocument,
  type Udi,
} from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { SlpOperations } from '../domain/index.ts';
import { expectDomainError } from '../domain/test-cloud.test-support.ts';
import { HSEC, openSlpCloud, TAG, type Reply, type SlpCloud } from './slp.test-support.ts';

const udi: Udi = { pid: 'C9300-48P', sn: 'FOC2144SLR1' };
const reserveAt = (va: string, version = 'v1') =>
  `/${version}/accounts/example.com/virtual-accounts/${va}/reserve-licenses`;
const specific = (code: string, quantity: number | string = 1, tag = TAG) => ({
  reservationCode: code,
  reservationType: 'SPECIFIC',
  licenses: [{ entitlementTag: tag, quantity, precedence: 'LONGEST_TERM_FIRST' }],
});

function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ status: 'ERROR', error: { code } });
}

describe.each(storeKinds)('license reservation (SLR / PLR) on %s', (kind) => {
  let cloud: SlpCloud;
  const pool = (va: string, tag = TAG) =>
    cloud.opened.cloud.run('test', async (tx) => {
      const account = (await tx.findOne('smartAccounts', { domain: 'example.com' }))!;
      const v = (await tx.findOne('virtualAccounts', { account_id: account.id, name: va }))!;
      return (await tx.findOne('licensePools', { va_id: v.id, tag }))?.reserved ?? 0;
    });
  /** The RESERVATION payload inside an authorization code. */
  const opened = (reply: Reply) => {
    const [code] = reply.body.authorizationCodes as { authorizationCode: string }[];
    const file = parseSlpFile(code!.authorizationCode);
    if (!file.ok) throw new Error(file.reason);
    expect(file.value.map((e) => e.element)).toEqual(['reservationAuthorizationCode']);
    return cloud.open(encodeSmartLicense(file.value[0]!.value as SignedDocument), 'RESERVATION');
  };

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('reserves SPECIFIC licenses for a request code, out of the pool, with a signed authorization code', async () => {
    const reply = await cloud.api('east', 'POST', reserveAt('east'), {
      reservationRequests: [specific(reservationRequestCode(udi))],
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.status).toBe('SUCCESS');
    expect(opened(reply)).toEqual({
      udi: { udi_pid: udi.pid, udi_serial_number: udi.sn },
      type: 'SPECIFIC',
      licenses: [{ entitlementTag: TAG, quantity: 1 }],
      issued_at: cloud.opened.clock.now(),
      confirmation_code: expect.stringMatching(/^[0-9A-F]{8}$/),
    });
    expect(await pool('east')).toBe(1);
    const licenses = await cloud.api('east', 'POST', '/v1/accounts/example.com/licenses', {
      virtualAccounts: ['east'],
    });
    expect(licenses.body.licenses).toContainEqual(
      expect.objectContaining({ license: 'C9300 Network Advantage', reserved: 1, available: 1 }),
    );
    const events = await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }));
    expect(events.filter((e) => e.kind === 'reservation.created').map((e) => e.message)).toEqual([
      'PID:C9300-48P,SN:FOC2144SLR1: SPECIFIC reservation of 1 C9300 Network Advantage',
    ]);
  });

  it('takes v2 and quantities as numeric strings; reserves nothing when one request of several fails', async () => {
    const other: Udi = { pid: 'C9300-48P', sn: 'FOC2144SLR2' };
    const ok = await cloud.api('east', 'POST', reserveAt('east', 'v2'), {
      reservationRequests: [specific(reservationRequestCode(udi), '2')],
    });
    expect(ok.status, ok.text).toBe(200);
    expect(await pool('east')).toBe(2);
    const refused = await cloud.api('admin', 'POST', reserveAt('east'), {
      reservationRequests: [
        specific(reservationRequestCode(other), 1, HSEC),
        specific(reservationRequestCode({ ...other, sn: 'X3' }), 1),
      ],
    });
    expectError(refused, 409, 'INSUFFICIENT_LICENSES');
    expect(await pool('east', HSEC)).toBe(0);
  });

  it('reserves UNIVERSAL (PLR) only where the VA allows it', async () => {
    const plr = { reservationCode: reservationRequestCode(udi), reservationType: 'UNIVERSAL', licenses: [] };
    expectError(
      await cloud.api('admin', 'POST', reserveAt('east'), { reservationRequests: [plr] }),
      403,
      'PLR_NOT_ALLOWED',
    );
    const allowed = await cloud.api('admin', 'POST', reserveAt('secure'), { reservationRequests: [plr] });
    expect(allowed.status, allowed.text).toBe(200);
    expect(opened(allowed)).toMatchObject({ type: 'UNIVERSAL', licenses: [] });
  });

  it('refuses bad request codes, a second reservation, unknown tags, empty SPECIFIC and other VAs’ users', async () => {
    const code = reservationRequestCode(udi);
    const bad = code.replace(/-\d\d$/, (m) => (m === '-00' ? '-01' : '-00'));
    expectError(
      await cloud.api('admin', 'POST', reserveAt('east'), { reservationRequests: [specific(bad)] }),
      400,
      'RESERVATION_CODE_INVALID',
    );
    expectError(
      await cloud.api('admin', 'POST', reserveAt('east'), { reservationRequests: [specific(code, 1, 'regid.nope')] }),
      400,
      'ENTITLEMENT_UNKNOWN',
    );
    expectError(
      await cloud.api('admin', 'POST', reserveAt('east'), {
        reservationRequests: [{ ...specific(code), licenses: [] }],
      }),
      400,
      'INVALID_VALUE',
    );
    expectError(
      await cloud.api('admin', 'POST', reserveAt('east'), {
        reservationRequests: [{ ...specific(code), reservationType: 'OTHER' }],
      }),
      400,
      'SCHEMA_VIOLATION',
    );
    expectError(
      await cloud.api('east', 'POST', reserveAt('DEFAULT'), { reservationRequests: [specific(code)] }),
      403,
      'ACCESS_DENIED',
    );
    expect(
      (await cloud.api('admin', 'POST', reserveAt('east'), { reservationRequests: [specific(code)] })).status,
    ).toBe(200);
    expectError(
      await cloud.api('admin', 'POST', reserveAt('east'), {
        reservationRequests: [specific(reservationRequestCode(udi))],
      }),
      409,
      'RESERVATION_EXISTS',
    );
    expect(await pool('east')).toBe(1);
  });

  it('reserves and returns in process (SlpOperations), the same records the routes see', async () => {
    const ops = new SlpOperations(cloud.opened.cloud);
    const east = { account: 'example.com', virtualAccount: 'east' };
    const [document] = await ops.reserve(east, [
      {
        reservationCode: reservationRequestCode(udi),
        reservationType: 'SPECIFIC',
        licenses: [{ entitlementTag: TAG, quantity: 1 }],
      },
    ]);
    const payload = cloud.open(encodeSmartLicense(document!), 'RESERVATION');
    expect(await pool('east')).toBe(1);
    const back = await cloud.api('admin', 'POST', `${reserveAt('east')}/return`, {
      returnCodes: [reservationReturnCode(udi, payload.confirmation_code)],
    });
    expect(back.status, back.text).toBe(200);
    await expectDomainError(
      ops.returnReservation(east, reservationReturnCode(udi, payload.confirmation_code)),
      'RESERVATION_NOT_FOUND',
    );
    expect(await pool('east')).toBe(0);
  });

  it('releases a reservation for its return code, and only for it', async () => {
    const reply = await cloud.api('admin', 'POST', reserveAt('east'), {
      reservationRequests: [specific(reservationRequestCode(udi), 2)],
    });
    const { confirmation_code } = opened(reply);
    const back = (codes: string[], va = 'east') =>
      cloud.api('admin', 'POST', `${reserveAt(va)}/return`, { returnCodes: codes });
    expectError(await back(['garbage']), 400, 'RESERVATION_CODE_INVALID');
    expectError(await back([reservationReturnCode(udi, '00000000')]), 400, 'RETURN_CODE_INVALID');
    expectError(await back([reservationReturnCode(udi, confirmation_code)], 'secure'), 404, 'RESERVATION_NOT_FOUND');
    expect(await pool('east')).toBe(2);
    const returned = await back([reservationReturnCode(udi, confirmation_code)]);
    expect(returned.status, returned.text).toBe(200);
    expect(returned.body.returned).toEqual([
      { udi: 'PID:C9300-48P,SN:FOC2144SLR1', type: 'SPECIFIC', licenses: [{ entitlementTag: TAG, quantity: 2 }] },
    ]);
    expect(await pool('east')).toBe(0);
    expectError(await back([reservationReturnCode(udi, confirmation_code)]), 404, 'RESERVATION_NOT_FOUND');
    const events = await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 100 }));
    expect(events.filter((e) => e.kind === 'reservation.returned')).toHaveLength(1);
  });
});
