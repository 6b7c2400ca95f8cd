/**
 * Product Authorization Keys: a purchase receipt of SKU items and quantities, bought into one smart
 * account (a bulk PAK fulfils many devices). Fulfilment = PAK + UDI + chosen SKUs ⇒ a signed license file;
 * a PAK of 10 items with 2 deployed keeps 8 (S-CSAOV; seed 001, "a PAK may contain 10 items"). A PAK is
 * never fulfilled beyond its quantity: the check and the count are one store transaction, and store
 * transactions are serialised (in process, and across processes on PostgreSQL by its advisory lock).
 * Another account's PAK is PAK_NOT_FOUND, worded like one that does not exist.
 */
import { randomBytes } from 'node:crypto';
import { udiString, type Udi } from '#protocol';
import type { Pak, PakItem, PortalLicense, SmartAccount, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { issueLicense, licenseFile, type IssuedFile } from './portal-licenses.ts';
import { requireSkuFor, requireTraditionalSku } from './traditional-skus.ts';

/** 11 characters (S-CSAOV); digits and capitals without I and O, which read as 1 and 0. */
const PAK_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const PAK_RE = /^[0-9A-Z]{11}$/;
const MAX_ITEM_QUANTITY = 100_000;

function newPakKey(): string {
  return [...randomBytes(11)].map((b) => PAK_ALPHABET[b % PAK_ALPHABET.length]).join('');
}

export interface NewPak {
  /** A fixed key (seed files, so scenarios can name it); generated when absent. */
  pak?: string;
  orderId?: string;
  items: { sku: string; quantity: number }[];
}

export async function createPak(tx: Tx, ctx: DomainContext, account: SmartAccount, input: NewPak): Promise<Pak> {
  const id = input.pak?.toUpperCase() ?? newPakKey();
  if (!PAK_RE.test(id)) fail('INVALID_VALUE', `a PAK is 11 letters and digits, got ${JSON.stringify(id.slice(0, 20))}`);
  if (await tx.get('paks', id)) fail('PAK_EXISTS', `a PAK ${id} exists`);
  if (input.items.length === 0) fail('INVALID_VALUE', `PAK ${id} needs at least one SKU item`);
  const items: PakItem[] = [];
  for (const item of input.items) {
    requireTraditionalSku(item.sku);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_ITEM_QUANTITY)
      fail('INVALID_VALUE', `PAK item ${item.sku}: quantity must be 1–${MAX_ITEM_QUANTITY}, got ${item.quantity}`);
    const same = items.find((i) => i.sku === item.sku);
    if (same) same.quantity += item.quantity;
    else items.push({ sku: item.sku, quantity: item.quantity, fulfilled: 0, converted: 0 });
  }
  const pak: Pak = { id, accountId: account.id, orderId: input.orderId ?? null, createdAt: ctx.clock.now(), items };
  await tx.put('paks', pak);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'pak.created',
    message: `PAK ${id} added: ${items.map((i) => `${i.quantity} × ${i.sku}`).join(', ')}`,
    data: { pak: id, orderId: pak.orderId, items: items.map((i) => ({ sku: i.sku, quantity: i.quantity })) },
  });
  return pak;
}

/** The PAK, if it belongs to `account`; any other is refused the same way as one that does not exist. */
export async function requirePak(tx: Tx, account: SmartAccount, id: string): Promise<Pak> {
  const pak = PAK_RE.test(id.toUpperCase()) ? await tx.get('paks', id.toUpperCase()) : undefined;
  if (!pak || pak.accountId !== account.id)
    fail('PAK_NOT_FOUND', `smart account ${account.domain} has no PAK ${JSON.stringify(id.slice(0, 20))}`);
  return pak;
}

export function remaining(item: PakItem): number {
  return item.quantity - item.fulfilled - item.converted;
}

export async function listPaks(tx: Tx, account: SmartAccount): Promise<Pak[]> {
  return (await tx.list('paks', { account_id: account.id })).sort(
    (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1),
  );
}

export interface SkuPick {
  sku: string;
  /** Units (default 1). More than one only for counted SKUs: their counts add up on one line. */
  quantity?: number;
}

/** Takes `units` of the item's SKU from the PAK, or refuses with what is left. */
function take(pak: Pak, sku: string, units: number): PakItem {
  const item = pak.items.find((i) => i.sku === sku);
  if (!item) fail('INVALID_VALUE', `PAK ${pak.id} holds no ${sku}; it holds ${pak.items.map((i) => i.sku).join(', ')}`);
  if (remaining(item) < units)
    fail(
      'PAK_EXHAUSTED',
      `PAK ${pak.id} has ${remaining(item)} of ${item.quantity} ${sku} left to fulfil; asked for ${units}`,
      { pak: pak.id, sku, quantity: item.quantity, remaining: remaining(item) },
    );
  item.fulfilled += units;
  return item;
}

/** PAK + UDI + chosen SKUs ⇒ one license line per SKU, in one license file; all or nothing. */
export async function fulfilPak(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  pakId: string,
  udi: Udi,
  picks: SkuPick[],
): Promise<IssuedFile> {
  const pak = await requirePak(tx, account, pakId);
  if (picks.length === 0) fail('INVALID_VALUE', `name the SKUs of PAK ${pak.id} to fulfil`);
  const licenses: PortalLicense[] = [];
  for (const pick of picks) {
    const sku = requireTraditionalSku(pick.sku);
    requireSkuFor(sku, udi.pid);
    const units = pick.quantity ?? 1;
    if (!Number.isInteger(units) || units < 1 || (units > 1 && sku.countPerUnit === undefined))
      fail('INVALID_VALUE', `${sku.sku} is uncounted: one unit per device, asked for ${units}`);
    take(pak, sku.sku, units);
    licenses.push(
      await issueLicense(tx, ctx, account, {
        udi,
        feature: sku.feature,
        type: sku.type,
        count: sku.countPerUnit === undefined ? null : sku.countPerUnit * units,
        ...(sku.termDays !== undefined ? { termDays: sku.termDays } : {}),
        pakId: pak.id,
        sku: sku.sku,
      }),
    );
  }
  await tx.put('paks', pak);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'pak.fulfilled',
    message: `PAK ${pak.id} fulfilled for ${udiString(udi)}: ${licenses.map((l) => l.feature).join(', ')}`,
    data: {
      pak: pak.id,
      udi: udiString(udi),
      licenses: licenses.map((l) => l.id),
      remaining: Object.fromEntries(pak.items.map((i) => [i.sku, remaining(i)])),
    },
  });
  return licenseFile(ctx, udi, licenses, `PAK ${pak.id}`);
}
