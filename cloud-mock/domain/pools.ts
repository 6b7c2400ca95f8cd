/**
 * License pools: per virtual account and entitlement tag, the purchased licenses (entries with a
 * license type and term) and the count product instances use. Balance = purchased − in use, and may go
 * negative: that is what OUT OF COMPLIANCE means (CSSM keeps serving; it only reports).
 */
import { randomUUID } from 'node:crypto';
import { findEntitlement, DAY } from '#protocol';
import type { LicensePool, LicenseType, PoolEntry, SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import type { SkuCatalog } from './sku-catalog.ts';

export type ComplianceStatus = 'In Compliance' | 'Out Of Compliance';

export interface PoolSummary {
  tag: string;
  licenseName: string;
  purchased: number;
  inUse: number;
  /** Held out of the pool by SLACs and reservations (SLR/PLR). */
  reserved: number;
  /** purchased − inUse − reserved: what is left to use; below zero is out of compliance. */
  balance: number;
  status: ComplianceStatus;
  /** Active entries ending within 90 days. */
  expiring: { quantity: number; endAt: number; licenseType: LicenseType }[];
}

export function isActive(entry: PoolEntry, now: number): boolean {
  return entry.startAt <= now && (entry.endAt === null || entry.endAt > now);
}

export function summarizePool(pool: LicensePool, now: number): PoolSummary {
  const active = pool.entries.filter((e) => isActive(e, now));
  const purchased = active.reduce((n, e) => n + e.quantity, 0);
  const reserved = pool.reserved ?? 0;
  const balance = purchased - pool.inUse - reserved;
  return {
    tag: pool.tag,
    licenseName: pool.licenseName,
    purchased,
    inUse: pool.inUse,
    reserved,
    balance,
    status: balance >= 0 ? 'In Compliance' : 'Out Of Compliance',
    expiring: active
      .filter((e) => e.endAt !== null && e.endAt - now <= 90 * DAY)
      .map((e) => ({ quantity: e.quantity, endAt: e.endAt!, licenseType: e.licenseType })),
  };
}

/** Logs the pool's compliance status when a change moved it across zero balance. */
async function logComplianceFlip(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  pool: LicensePool,
  before: ComplianceStatus,
): Promise<void> {
  const after = summarizePool(pool, ctx.clock.now()).status;
  if (before === after) return;
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'compliance.changed',
    message: `${pool.licenseName} in ${va.name} is now ${after}`,
    data: { tag: pool.tag, status: after, inUse: pool.inUse },
  });
}

function licenseNameOf(tag: string): string {
  return findEntitlement(tag)?.name ?? tag;
}

async function poolFor(tx: Tx, va: VirtualAccount, tag: string): Promise<LicensePool> {
  return (
    (await tx.findOne('licensePools', { va_id: va.id, tag })) ?? {
      id: randomUUID(),
      accountId: va.accountId,
      vaId: va.id,
      tag,
      licenseName: licenseNameOf(tag),
      entries: [],
      inUse: 0,
    }
  );
}

export interface Deposit {
  tag: string;
  quantity: number;
  licenseType: LicenseType;
  /** Defaults to now. */
  startAt?: number;
  /** TERM/DEMO: an explicit end, or termDays from start. */
  endAt?: number;
  termDays?: number;
  sku?: string;
  orderId?: string;
  subscriptionId?: string;
}

export async function depositLicenses(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  d: Deposit,
): Promise<LicensePool> {
  if (!findEntitlement(d.tag)) fail('ENTITLEMENT_UNKNOWN', `entitlement tag "${d.tag}" is not in the catalogue`);
  if (!Number.isInteger(d.quantity) || d.quantity < 1 || d.quantity > 10_000_000) {
    fail(
      'INVALID_VALUE',
      `license quantity must be a whole number from 1 to 10000000, got ${JSON.stringify(d.quantity)}`,
    );
  }
  const startAt = d.startAt ?? ctx.clock.now();
  let endAt: number | null = null;
  if (d.licenseType === 'PERPETUAL') {
    if (d.endAt !== undefined || d.termDays !== undefined)
      fail('INVALID_VALUE', 'PERPETUAL licenses have no end date or term');
  } else {
    endAt = d.endAt ?? (d.termDays !== undefined ? startAt + d.termDays * DAY : NaN);
    if (!Number.isFinite(endAt) || endAt <= startAt)
      fail('INVALID_VALUE', `${d.licenseType} licenses need an end date after their start (endAt or termDays)`);
    if (d.licenseType === 'DEMO' && endAt - startAt > ctx.policy.demoMaxDays * DAY) {
      fail(
        'INVALID_VALUE',
        `DEMO licenses last at most ${ctx.policy.demoMaxDays} days, asked for ${Math.ceil((endAt - startAt) / DAY)}`,
      );
    }
  }
  const pool = await poolFor(tx, va, d.tag);
  const before = summarizePool(pool, ctx.clock.now()).status;
  pool.entries.push({
    id: randomUUID(),
    quantity: d.quantity,
    licenseType: d.licenseType,
    startAt,
    endAt,
    sku: d.sku ?? null,
    orderId: d.orderId ?? null,
    subscriptionId: d.subscriptionId ?? null,
  });
  await tx.put('licensePools', pool);
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'licenses.deposited',
    message: `${d.quantity} ${d.licenseType} ${pool.licenseName} deposited in ${va.name}${d.orderId ? ` (order ${d.orderId})` : ''}`,
    data: { tag: d.tag, quantity: d.quantity, licenseType: d.licenseType, startAt, endAt, sku: d.sku ?? null },
  });
  await logComplianceFlip(tx, ctx, va, pool, before);
  return pool;
}

export interface OrderLine {
  sku: string;
  quantity: number;
}

/** Deposits an order: each SKU expands to its entitlement tags (SKU → tags from the catalogue). */
export async function depositOrder(
  tx: Tx,
  ctx: DomainContext,
  catalog: SkuCatalog,
  va: VirtualAccount,
  order: { orderId: string; lines: OrderLine[] },
): Promise<LicensePool[]> {
  const pools: LicensePool[] = [];
  for (const line of order.lines) {
    const sku = catalog.require(line.sku);
    if (!Number.isInteger(line.quantity) || line.quantity < 1)
      fail(
        'INVALID_VALUE',
        `order line ${line.sku}: quantity must be a whole number ≥ 1, got ${JSON.stringify(line.quantity)}`,
      );
    for (const l of sku.lines) {
      pools.push(
        await depositLicenses(tx, ctx, va, {
          tag: l.tag,
          quantity: l.quantityPerUnit * line.quantity,
          licenseType: l.licenseType,
          ...(l.termDays !== undefined ? { termDays: l.termDays } : {}),
          sku: sku.sku,
          orderId: order.orderId,
        }),
      );
    }
  }
  return pools;
}

export interface LicenseTransfer {
  tag: string;
  quantity: number;
  licenseType?: LicenseType;
}

/**
 * Moves available licenses between two VAs of one smart account, longest term first (the
 * `precedence: LONGEST_TERM_FIRST` of the licenses/transfer API). In-use licenses cannot move.
 */
export async function transferLicenses(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  from: VirtualAccount,
  to: VirtualAccount,
  t: LicenseTransfer,
): Promise<void> {
  if (from.accountId !== account.id || to.accountId !== account.id) {
    fail('CROSS_ACCOUNT_TRANSFER', `licenses move only between virtual accounts of ${account.domain}`);
  }
  if (from.id === to.id) fail('INVALID_VALUE', `source and target virtual account are both ${from.name}`);
  if (!Number.isInteger(t.quantity) || t.quantity < 1)
    fail('INVALID_VALUE', `transfer quantity must be a whole number ≥ 1, got ${JSON.stringify(t.quantity)}`);
  const now = ctx.clock.now();
  const source = await tx.findOne('licensePools', { va_id: from.id, tag: t.tag });
  const summary = source ? summarizePool(source, now) : undefined;
  const candidates = (source?.entries ?? [])
    .filter((e) => isActive(e, now) && (t.licenseType === undefined || e.licenseType === t.licenseType))
    .sort((a, b) => (b.endAt ?? Infinity) - (a.endAt ?? Infinity));
  const movable = Math.min(
    candidates.reduce((n, e) => n + e.quantity, 0),
    Math.max(0, summary?.balance ?? 0),
  );
  if (!source || movable < t.quantity) {
    fail(
      'INSUFFICIENT_LICENSES',
      `${from.name} has ${movable} available ${t.licenseType ?? ''} ${source?.licenseName ?? t.tag} to transfer; asked for ${t.quantity}`.replace(
        /\s+/g,
        ' ',
      ),
    );
  }
  const target = await poolFor(tx, to, t.tag);
  const targetBefore = summarizePool(target, now).status;
  let left = t.quantity;
  for (const entry of candidates) {
    if (left === 0) break;
    const take = Math.min(entry.quantity, left);
    entry.quantity -= take;
    left -= take;
    target.entries.push({ ...entry, id: randomUUID(), quantity: take });
  }
  source.entries = source.entries.filter((e) => e.quantity > 0);
  await tx.put('licensePools', source);
  await tx.put('licensePools', target);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: from.id,
    kind: 'licenses.transferred',
    message: `${t.quantity} ${source.licenseName} transferred from ${from.name} to ${to.name}`,
    data: { tag: t.tag, quantity: t.quantity, from: from.name, to: to.name },
  });
  await logComplianceFlip(tx, ctx, to, target, targetBefore);
}

/**
 * Takes `quantity` purchased licenses of `tag` out of the VA's pool, in use or not (a subscription
 * cancelled, licenses taken back): the soonest-ending entries go first, perpetual ones last. Devices
 * using more than is left are out of compliance from now on and learn it at their next authorization.
 * Returns how many were removed (at most what the pool held).
 */
export async function withdrawLicenses(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  tag: string,
  quantity: number,
): Promise<number> {
  if (!Number.isInteger(quantity) || quantity < 1)
    fail('INVALID_VALUE', `license quantity must be a whole number ≥ 1, got ${JSON.stringify(quantity)}`);
  const now = ctx.clock.now();
  const pool = await tx.findOne('licensePools', { va_id: va.id, tag });
  if (!pool) return 0;
  const before = summarizePool(pool, now).status;
  let left = quantity;
  for (const entry of pool.entries
    .filter((e) => isActive(e, now))
    .sort((a, b) => (a.endAt ?? Infinity) - (b.endAt ?? Infinity))) {
    const take = Math.min(entry.quantity, left);
    entry.quantity -= take;
    left -= take;
    if (left === 0) break;
  }
  const removed = quantity - left;
  if (removed === 0) return 0;
  pool.entries = pool.entries.filter((e) => e.quantity > 0);
  await tx.put('licensePools', pool);
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'licenses.removed',
    message: `${removed} ${pool.licenseName} removed from ${va.name}`,
    data: { tag, quantity: removed },
  });
  await logComplianceFlip(tx, ctx, va, pool, before);
  return removed;
}

/**
 * Applies changes in use (tag -> delta) to the VA's pools and logs every compliance flip. Tags outside the
 * catalogue are the caller's to refuse. Returns the pools after the change.
 */
export async function applyUsage(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  deltas: Map<string, number>,
): Promise<Map<string, LicensePool>> {
  const now = ctx.clock.now();
  const out = new Map<string, LicensePool>();
  for (const [tag, delta] of deltas) {
    const pool = await poolFor(tx, va, tag);
    if (delta !== 0) {
      const before = summarizePool(pool, now).status;
      pool.inUse = Math.max(0, pool.inUse + delta);
      await tx.put('licensePools', pool);
      await logComplianceFlip(tx, ctx, va, pool, before);
    }
    out.set(tag, pool);
  }
  return out;
}

/**
 * Holds `quantity` licenses of `tag` out of the VA's pool (a SLAC, a reservation), refusing what is not
 * available, or (negative) gives them back. Returns the pool after the change.
 */
export async function holdLicenses(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  tag: string,
  quantity: number,
): Promise<LicensePool> {
  const now = ctx.clock.now();
  const pool = await poolFor(tx, va, tag);
  const before = summarizePool(pool, now);
  if (quantity > 0 && before.balance < quantity)
    fail(
      'INSUFFICIENT_LICENSES',
      `${va.name} has ${Math.max(0, before.balance)} ${pool.licenseName} available, ${quantity} asked for`,
    );
  pool.reserved = Math.max(0, (pool.reserved ?? 0) + quantity);
  await tx.put('licensePools', pool);
  await logComplianceFlip(tx, ctx, va, pool, before.status);
  return pool;
}
