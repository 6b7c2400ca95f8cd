/**
 * A SLAC is returned only as `keys: []` with its confirm code as `remove_code`: a key asking for 0 licenses is
 * refused (INVALID_VALUE) and frees nothing; the remove code must be the confirm code exactly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slpApiPaths, slpDevicePaths as paths } from '#protocol';
import { storeKinds } from '#test-support/test-stores.ts';
import { SLA_BASE } from './management-access.ts';
import { EXPORT_TOKEN, HSEC, openSlpCloud, SlpDevice, type Reply, type SlpCloud } from './slp.test-support.ts';

type Key = { entitlement: string; count: number };

function expectFailed(reply: Reply, status: number, code: string, ...said: string[]): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body).toMatchObject({ status: 'FAILED', message_code: code });
  for (const s of said) expect(String(reply.body.message)).toContain(s);
}

describe.each(storeKinds)('SLAC returns on %s', (kind) => {
  let cloud: SlpCloud;
  let device: SlpDevice;

  const reserved = () =>
    cloud.opened.cloud.run('test', async (tx) => {
      const account = (await tx.findOne('smartAccounts', { domain: 'example.com' }))!;
      const va = (await tx.findOne('virtualAccounts', { account_id: account.id, name: 'east' }))!;
      return (await tx.findOne('licensePools', { va_id: va.id, tag: HSEC }))?.reserved ?? 0;
    });
  const eventKinds = async () =>
    (await cloud.opened.cloud.run('test', (tx) => tx.events({ limit: 200 })))
      .map((e) => e.kind)
      .filter((k) => k.startsWith('slp.author'));
  const ask = (keys: Key[], removeCode?: string) =>
    device.send(paths.authRequest, {
      licenses: [
        { sudi: device.sudi, hostname: 'r1', keys, ...(removeCode === undefined ? {} : { remove_code: removeCode }) },
      ],
    });
  /** Asks for a SLAC of `count` HSECK9 and answers its confirm code. */
  async function slac(count: number): Promise<string> {
    const accepted = await ask([{ entitlement: HSEC, count }]);
    expect(accepted.status, accepted.text).toBe(202);
    const polled = await device.send(paths.poll, { poll_id: accepted.body.poll_id, action: 'authorizations' });
    const [result] = (polled.body.data as { authorizations: { smart_license: string }[] }).authorizations;
    return (cloud.open(result!.smart_license, 'SLAC') as { confirm_code: string }).confirm_code;
  }

  beforeEach(async () => {
    cloud = await openSlpCloud(kind);
    device = new SlpDevice(cloud, 'FDO2201RET1');
    expect((await device.send(paths.trust, device.trustFields(EXPORT_TOKEN))).status).toBe(200);
  });
  afterEach(async () => {
    await cloud.close();
  });

  it('refuses a key of count 0 without a remove code, freeing nothing and logging nothing', async () => {
    await slac(2);
    expect(await reserved()).toBe(2);
    expectFailed(
      await ask([{ entitlement: HSEC, count: 0 }]),
      400,
      'INVALID_VALUE',
      'licenses[0].keys[0]',
      'at least 1 license',
      'keys: []',
      'remove_code',
    );
    expect(await reserved()).toBe(2);
    expect(await eventKinds()).toEqual(['slp.authorized']);
  });

  it('refuses count 0 even beside other keys or with the right remove code: only keys [] returns', async () => {
    const code = await slac(1);
    expectFailed(
      await ask([
        { entitlement: HSEC, count: 1 },
        { entitlement: HSEC, count: 0 },
      ]),
      400,
      'INVALID_VALUE',
      'keys[1]',
    );
    expectFailed(await ask([{ entitlement: HSEC, count: 0 }], code), 400, 'INVALID_VALUE');
    expect(await reserved()).toBe(1);
    expect((await ask([], code)).status).toBe(202);
    expect(await reserved()).toBe(0);
    expect((await eventKinds()).sort()).toEqual(['slp.authorization-returned', 'slp.authorized']);
  });

  it('refuses a count-0 key on the API for CSLU too, before any instance is made', async () => {
    const relayed = new SlpDevice(cloud, 'FDO2201RET2');
    const reply = await cloud.api(
      'admin',
      'POST',
      slpApiPaths.authRequest.slice(SLA_BASE.length),
      {
        data: {
          timestamp: 1,
          nonce: 'nonce-0001',
          licenses: [{ sudi: relayed.sudi, keys: [{ entitlement: HSEC, count: 0 }] }],
        },
      },
      {
        'x-csw-smart-account-id': 'example.com',
        'x-csw-virtual-account-id': 'secure',
        'x-csw-requesting-system': '{"display_name":"CSLU"}',
      },
    );
    expectFailed(reply, 400, 'INVALID_VALUE');
    const made = await cloud.opened.cloud.run('test', (tx) =>
      tx.findOne('productInstances', { udi: 'PID:C9300-24T,SN:FDO2201RET2' }),
    );
    expect(made).toBeUndefined();
  });

  it('returns only for the exact confirm code: one character off, cut short, longer or multibyte is refused', async () => {
    const code = await slac(1);
    const last = code.at(-1) === 'A' ? 'B' : 'A';
    for (const wrong of [code.slice(0, -1) + last, code.slice(0, -1), `${code}A`, code.slice(0, -1) + 'é', ''])
      expectFailed(await ask([], wrong), 400, 'SLAC_RETURN_CODE_INVALID');
    expectFailed(await ask([]), 400, 'SLAC_RETURN_CODE_INVALID');
    expect(await reserved()).toBe(1);
    expect((await ask([], code)).status).toBe(202);
    expect(await reserved()).toBe(0);
  });
});
