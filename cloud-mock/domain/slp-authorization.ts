/**
 * Smart Licensing Authorization Codes (smart-licensing.md §9.1, cssm-api.md §1.3.11 `authrequest`): an
 * enforced or export-controlled license runs only with a SLAC. A request names the keys a UDI needs; the
 * cloud holds those licenses out of the VA's pool (refusing what is not available) and answers, on poll, a
 * SLAC with a confirm code. `keys: []` with that code as `remove_code` returns it and frees the licenses;
 * that is the only return: a key asking for 0 licenses is INVALID_VALUE. A request lands whole or not at all.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { findEntitlement, type AuthRequest } from '#protocol';
import type { PollItem, ProductInstance, SlpPoll, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { holdLicenses } from './pools.ts';
import { entryInstance, slpStateOf, type UploadMode } from './slp-instances.ts';
import { createPoll } from './slp-polls.ts';
import { isExportControlledTag } from './slp-summary.ts';

export type AuthEntry = AuthRequest['data']['licenses'][number];

/** Shaped like the remove codes Cisco's tools show (`dST8Mh-GZn1io-hzmKLB-2Jvse4`, cssm-api.md §1.3.11). */
function newConfirmCode(): string {
  const r = randomBytes(18).toString('base64url');
  return `${r.slice(0, 6)}-${r.slice(6, 12)}-${r.slice(12, 18)}-${r.slice(18, 24)}`;
}

/** A secret compared in constant time; another length is simply another secret. */
function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The keys asked for, summed per tag, each one at least one license that needs a SLAC and that this UDI may
 * have. A count of 0 is refused rather than read as a return: a return is `keys: []` with the remove code,
 * and only that frees what the UDI holds.
 */
function checkedKeys(entry: AuthEntry, instance: ProductInstance, va: VirtualAccount, at: string) {
  const counts = new Map<string, number>();
  for (const [k, { entitlement, count }] of entry.keys.entries()) {
    if (!findEntitlement(entitlement))
      fail(
        'ENTITLEMENT_UNKNOWN',
        `${at}: entitlement ${JSON.stringify(entitlement.slice(0, 255))} is not in the catalogue`,
      );
    if (!isExportControlledTag(entitlement))
      fail(
        'SLAC_NOT_APPLICABLE',
        `${at}: ${findEntitlement(entitlement)!.name} is not enforced or export-controlled; it needs no SLAC`,
      );
    if (!instance.exportControlled && !va.exportControlled)
      fail(
        'EXPORT_NOT_ALLOWED',
        `${at}: ${instance.udiKey} was trusted with a token that does not allow export-controlled functionality, and ${va.name} does not either`,
      );
    if (count < 1)
      fail(
        'INVALID_VALUE',
        `${at}.keys[${k}]: asks for ${count} ${findEntitlement(entitlement)!.name}; a key asks for at least 1 license (to return a SLAC, send keys: [] with its confirm code as remove_code)`,
      );
    counts.set(entitlement, (counts.get(entitlement) ?? 0) + count);
  }
  return [...counts].map(([entitlement, count]) => ({ entitlement, count }));
}

/** Frees what the instance's SLAC holds (a return, a replacement, the instance leaving). */
export async function releaseAuthorization(tx: Tx, ctx: DomainContext, instance: ProductInstance): Promise<void> {
  const held = instance.slp?.authorization;
  if (!held) return;
  const va = (await tx.get('virtualAccounts', instance.vaId))!;
  for (const k of held.keys) await holdLicenses(tx, ctx, va, k.entitlement, -k.count);
  slpStateOf(instance).authorization = null;
}

async function authorize(tx: Tx, ctx: DomainContext, instance: ProductInstance, entry: AuthEntry, at: string) {
  const va = (await tx.get('virtualAccounts', instance.vaId))!;
  const slp = slpStateOf(instance);
  const returning = entry.keys.length === 0;
  if (returning) {
    if (!slp.authorization) fail('SLAC_NOT_FOUND', `${at}: ${instance.udiKey} holds no authorization code to return`);
    if (entry.remove_code === undefined || !sameCode(entry.remove_code, slp.authorization.confirmCode))
      fail(
        'SLAC_RETURN_CODE_INVALID',
        `${at}: the remove code is not the confirm code of the SLAC ${instance.udiKey} holds`,
      );
  }
  const keys = returning ? [] : checkedKeys(entry, instance, va, at);
  await releaseAuthorization(tx, ctx, instance);
  for (const k of keys) await holdLicenses(tx, ctx, va, k.entitlement, k.count);
  const confirmCode = newConfirmCode();
  slp.authorization = keys.length > 0 ? { keys, confirmCode, issuedAt: ctx.clock.now() } : null;
  await tx.put('productInstances', instance);
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: returning ? 'slp.authorization-returned' : 'slp.authorized',
    message: returning
      ? `${instance.udiKey} returned its authorization code; its licenses are back in ${va.name}`
      : `${instance.udiKey} authorized for ${keys.map((k) => `${k.count} ${findEntitlement(k.entitlement)!.name}`).join(', ')}`,
    data: { udi: instance.udiKey, keys },
  });
  return { udiKey: instance.udiKey, sudi: entry.sudi, reportIds: [], slac: { keys, confirmCode } } satisfies PollItem;
}

/** Checks and applies an authorization request; answers the poll its SLACs will come from. */
export async function requestAuthorization(
  tx: Tx,
  ctx: DomainContext,
  entries: AuthEntry[],
  mode: UploadMode,
  owner: string,
): Promise<SlpPoll> {
  const items: PollItem[] = [];
  const seen = new Set<string>();
  for (const [e, entry] of entries.entries()) {
    const at = `licenses[${e}]`;
    const instance = await entryInstance(tx, ctx, entry, mode, '');
    if (seen.has(instance.udiKey))
      fail('INVALID_VALUE', `${at}: ${instance.udiKey} has more than one entry in the request`);
    seen.add(instance.udiKey);
    items.push(await authorize(tx, ctx, instance, entry, at));
  }
  const va = mode.kind === 'pinned' ? mode.va : (await tx.get('virtualAccounts', mode.instance.vaId))!;
  return createPoll(tx, ctx, va, { action: 'authorizations', owner, items });
}
