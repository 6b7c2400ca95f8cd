/**
 * SSM On-Prem synchronization (protocol/satellite-sync.ts), both ends on the same domain:
 * - CSSM (`syncSatellite`): the product instances an On-Prem names appear in the VA, marked with the
 *   On-Prem's name, their usage counted against its pools; the ones it no longer names leave; a UDI that
 *   CSSM holds otherwise (registered directly, or another On-Prem's) is a conflict, left as it is. The
 *   answer is the VA's licenses.
 * - SSM On-Prem (`satelliteInstances`, `applySatelliteSync`): what it sends (its own product instances of
 *   the VA and their usage) and what it keeps from the answer: its pools of that VA become CSSM's (entries
 *   replaced, usage as its devices report it).
 */
import { randomUUID } from 'node:crypto';
import { udiString, type SatelliteInstance, type SatelliteSyncResponse } from '#protocol';
import type { Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { logEvent } from './event-log.ts';
import { depositLicenses } from './pools.ts';
import { releaseInstance, setUsage } from './product-instances.ts';

export async function syncSatellite(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  satellite: string,
  instances: readonly SatelliteInstance[],
): Promise<SatelliteSyncResponse> {
  const now = ctx.clock.now();
  const conflicts: string[] = [];
  const named = new Set<string>();
  for (const i of instances) {
    const udiKey = udiString(i.udi);
    if (named.has(udiKey)) continue;
    named.add(udiKey);
    const existing = await tx.findOne('productInstances', { udi: udiKey });
    if (existing && (existing.satellite !== satellite || existing.vaId !== va.id)) {
      conflicts.push(udiKey);
      continue;
    }
    const instance = existing ?? {
      id: randomUUID(),
      accountId: va.accountId,
      vaId: va.id,
      udi: i.udi,
      udiKey,
      hostname: i.hostname,
      registeredAt: now,
      tokenId: `satellite:${satellite}`,
      exportControlled: false,
      certSerial: `satellite-${randomUUID()}`,
      certNotAfter: now,
      publicKey: '',
      lastContactAt: now,
      softwareVersion: null,
      entitlements: {},
      satellite,
    };
    const counts = new Map<string, number>();
    for (const e of i.entitlements) counts.set(e.tag, (counts.get(e.tag) ?? 0) + e.count);
    await setUsage(tx, ctx, instance, counts);
    await tx.put('productInstances', { ...instance, hostname: i.hostname, lastContactAt: now });
  }
  const served = (await tx.list('productInstances', { va_id: va.id })).filter((p) => p.satellite === satellite);
  let removed = 0;
  for (const gone of served.filter((p) => !named.has(p.udiKey))) {
    await releaseInstance(tx, ctx, gone, 'instance.removed');
    removed += 1;
  }
  const pools = (await tx.list('licensePools', { va_id: va.id })).map((p) => ({
    tag: p.tag,
    licenseName: p.licenseName,
    entries: p.entries
      .filter((e) => e.endAt === null || e.endAt > now)
      .map((e) => ({ quantity: e.quantity, licenseType: e.licenseType, startAt: e.startAt, endAt: e.endAt })),
  }));
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'satellite.synced',
    message: `SSM On-Prem ${satellite} synchronized ${va.name}: ${named.size - conflicts.length} product instance(s), ${removed} removed, ${conflicts.length} conflict(s)`,
    data: { satellite, instances: named.size - conflicts.length, removed, conflicts },
  });
  return { status: 'SYNCED', virtualAccount: va.name, syncedAt: now, pools, conflicts };
}

/** On-Prem: the product instances it serves in `va`, with what each uses now. */
export async function satelliteInstances(tx: Tx, va: VirtualAccount): Promise<SatelliteInstance[]> {
  const instances = (await tx.list('productInstances', { va_id: va.id })).filter((p) => p.satellite === undefined);
  return instances.map((p) => ({
    udi: p.udi,
    hostname: p.hostname,
    entitlements: Object.entries(p.entitlements).map(([tag, count]) => ({ tag, count })),
  }));
}

/** On-Prem: its pools of `va` become the ones CSSM answered (entries replaced; tags CSSM lacks emptied). */
export async function applySatelliteSync(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  answer: SatelliteSyncResponse,
): Promise<{ pools: number; licenses: number }> {
  for (const pool of await tx.list('licensePools', { va_id: va.id }))
    await tx.put('licensePools', { ...pool, entries: [] });
  let licenses = 0;
  for (const pool of answer.pools)
    for (const e of pool.entries) {
      await depositLicenses(tx, ctx, va, {
        tag: pool.tag,
        quantity: e.quantity,
        licenseType: e.licenseType,
        startAt: e.startAt,
        ...(e.endAt !== null ? { endAt: e.endAt } : {}),
        orderId: 'CSSM synchronization',
      });
      licenses += e.quantity;
    }
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'satellite.synchronized',
    message: `${va.name} synchronized with CSSM: ${licenses} license(s) in ${answer.pools.length} pool(s)`,
    data: { pools: answer.pools.length, licenses, conflicts: answer.conflicts },
  });
  return { pools: answer.pools.length, licenses };
}
