import { describe, expect, it } from 'vitest';
import { storeKinds } from '#test-support/test-stores.ts';
import { DomainError, listPaks, requireAccount } from '../domain/index.ts';
import { eachTestCloud, type TestCloud } from '../domain/test-cloud.test-support.ts';
import { applySeed, parseSeed } from './index.ts';

const yaml = `
accounts:
  - name: Branch Office Co
    domain: branch.example
    paks:
      - pak: 3a1b2c3d4e5
        orderId: SO-1001
        items:
          - { sku: SL-29-SEC-K9, quantity: 10 }
          - { sku: SL-29-DATA-K9, quantity: 2 }
      - items: [{ sku: C3750E-LIC-I, quantity: 1 }]
`;

describe.each(storeKinds)('seeding PAKs on %s', (kind) => {
  let t: TestCloud;
  eachTestCloud(kind, (opened) => {
    t = opened;
  });
  const paksOf = (domain: string) => t.cloud.run('t', async (tx) => listPaks(tx, await requireAccount(tx, domain)));

  it('declares PAKs per smart account, with a fixed key or a generated one', async () => {
    const result = await applySeed(t.cloud, parseSeed(yaml));
    expect(result.created).toMatchObject({ accounts: 1, paks: 2 });
    const paks = (await paksOf('branch.example')).sort((a, b) => a.items.length - b.items.length);
    expect(paks.map((p) => [p.orderId, p.items.map((i) => `${i.quantity} ${i.sku}`)])).toEqual([
      [null, ['1 C3750E-LIC-I']],
      ['SO-1001', ['10 SL-29-SEC-K9', '2 SL-29-DATA-K9']],
    ]);
    expect(paks[1]!.id).toBe('3A1B2C3D4E5');
  });

  it('a PAK whose key exists is skipped; an unknown SKU refuses the whole seed', async () => {
    await applySeed(t.cloud, parseSeed(yaml));
    const again = parseSeed(yaml.replace('branch.example', 'second.example'));
    const result = await applySeed(t.cloud, again);
    expect(result.skipped).toEqual(['PAK 3A1B2C3D4E5 exists']);
    expect(result.created.paks).toBe(1);
    const bad = parseSeed(yaml.replace('branch.example', 'third.example').replace('C3750E-LIC-I', 'NOPE'));
    await expect(applySeed(t.cloud, bad)).rejects.toBeInstanceOf(DomainError);
    await expect(paksOf('third.example')).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('the seed format checks PAK items', () => {
    expect(() => parseSeed('accounts: [{name: A, domain: a.example, paks: [{items: []}]}]')).toThrow(/seed format/);
    expect(() =>
      parseSeed('accounts: [{name: A, domain: a.example, paks: [{items: [{sku: X, quantity: 0}]}]}]'),
    ).toThrow(/seed format/);
  });
});
