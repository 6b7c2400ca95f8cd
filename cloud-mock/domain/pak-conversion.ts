/**
 * PAK → Smart conversion (the portal's "license conversion", and the cloud side of a device's
 * `license smart conversion start`): what was bought as PAKs goes into a virtual account's Smart Licensing
 * pools as PERPETUAL licenses of the SKU's entitlement tag. Either the units of a PAK not fulfilled yet,
 * or the active licenses of a device (marked CONVERTED). SKUs of platforms that never ran Smart
 * Licensing have no tag and are refused.
 */
import { udiString, type ConversionResponse, type ConvertedLicense, type Udi } from '#protocol';
import type { PortalLicense, ProductInstance, SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { remaining, requirePak } from './paks.ts';
import { depositLicenses } from './pools.ts';
import { activeLicensesOf, requireActiveLicenses } from './portal-licenses.ts';
import { requireTraditionalSku, type TraditionalSku } from './traditional-skus.ts';

export interface Converted {
  sku: string;
  tag: string;
  quantity: number;
}

function smartTagOf(sku: TraditionalSku): string {
  if (!sku.smartTag)
    fail(
      'INVALID_VALUE',
      `${sku.sku} (${sku.feature}) has no Smart Licensing equivalent: its platforms run traditional licensing only`,
    );
  return sku.smartTag;
}

async function deposit(tx: Tx, ctx: DomainContext, va: VirtualAccount, c: Converted, orderId: string): Promise<void> {
  await depositLicenses(tx, ctx, va, {
    tag: c.tag,
    quantity: c.quantity,
    licenseType: 'PERPETUAL',
    sku: c.sku,
    orderId,
  });
}

/** The unfulfilled units of the PAK's items (all, or the SKUs named) into the VA's pools. */
export async function convertPak(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  va: VirtualAccount,
  pakId: string,
  skus?: string[],
): Promise<Converted[]> {
  if (va.accountId !== account.id)
    fail('CROSS_ACCOUNT_TRANSFER', `PAKs of ${account.domain} convert into its own virtual accounts`);
  const pak = await requirePak(tx, account, pakId);
  const items = skus?.length ? pak.items.filter((i) => skus.includes(i.sku)) : pak.items;
  const unknown = skus?.find((s) => !pak.items.some((i) => i.sku === s));
  if (unknown)
    fail('INVALID_VALUE', `PAK ${pak.id} holds no ${unknown}; it holds ${pak.items.map((i) => i.sku).join(', ')}`);
  const out: Converted[] = [];
  for (const item of items.filter((i) => remaining(i) > 0)) {
    const c = { sku: item.sku, tag: smartTagOf(requireTraditionalSku(item.sku)), quantity: remaining(item) };
    await deposit(tx, ctx, va, c, `PAK ${pak.id}`);
    item.converted += c.quantity;
    out.push(c);
  }
  if (out.length === 0) fail('PAK_EXHAUSTED', `PAK ${pak.id} has nothing left to convert`);
  await tx.put('paks', pak);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: va.id,
    kind: 'pak.converted',
    message: `PAK ${pak.id} converted to Smart Licensing in ${va.name}: ${out.map((c) => `${c.quantity} × ${c.sku}`).join(', ')}`,
    data: { pak: pak.id, converted: out },
  });
  return out;
}

/** One portal license into the VA's pools, the line marked CONVERTED. */
async function convertPortalLicense(tx: Tx, ctx: DomainContext, va: VirtualAccount, l: PortalLicense, orderId: string) {
  const sku = requireTraditionalSku(l.sku!);
  const c = { sku: sku.sku, tag: smartTagOf(sku), quantity: 1 };
  await deposit(tx, ctx, va, c, orderId);
  await tx.put('portalLicenses', { ...l, status: 'CONVERTED', statusAt: ctx.clock.now() });
  return c;
}

async function logConverted(tx: Tx, ctx: DomainContext, va: VirtualAccount, udi: Udi, out: readonly object[]) {
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'licenses.converted',
    message: `${out.length} license(s) of ${udiString(udi)} converted to Smart Licensing in ${va.name}`,
    data: { udi: udiString(udi), converted: out },
  });
}

/** A device's active licenses into the VA's pools (one each); the lines are marked CONVERTED. */
export async function convertDeviceLicenses(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  va: VirtualAccount,
  udi: Udi,
): Promise<Converted[]> {
  if (va.accountId !== account.id)
    fail('CROSS_ACCOUNT_TRANSFER', `licenses of ${account.domain} convert into its own virtual accounts`);
  const licenses = (await requireActiveLicenses(tx, account, udi)).filter((l) => l.sku !== null);
  const out: Converted[] = [];
  for (const l of licenses) out.push(await convertPortalLicense(tx, ctx, va, l, `UDI ${udiString(udi)}`));
  if (out.length === 0) fail('LICENSE_NOT_FOUND', `${udiString(udi)} holds no PAK license to convert`);
  await logConverted(tx, ctx, va, udi, out);
  return out;
}

/** The order id of what a device-led conversion deposits: it marks the UDI as converted, whatever PI it has. */
const dlcOrder = (udi: Udi) => `DLC ${udiString(udi)}`;

/**
 * Device-led conversion (`license smart conversion start`): the licenses a registered product instance
 * names go into its own VA's pools, once per UDI (a re-registration cannot convert them again). A PAK line
 * must be one the portal issued to the UDI (and is marked CONVERTED); a Right-to-Use activation deposits
 * its level's tag. All or nothing.
 */
export async function convertInstanceLicenses(
  tx: Tx,
  ctx: DomainContext,
  pi: ProductInstance,
  claimed: readonly ConvertedLicense[],
): Promise<ConversionResponse> {
  const order = dlcOrder(pi.udi);
  const pools = await tx.list('licensePools', { account_id: pi.accountId });
  const earlier = pools.flatMap((p) => p.entries).find((e) => e.orderId === order);
  if (earlier)
    fail(
      'ALREADY_CONVERTED',
      `${udiString(pi.udi)} converted its licenses on ${new Date(earlier.startAt).toISOString()}`,
    );
  const va = (await tx.get('virtualAccounts', pi.vaId))!;
  const account = (await tx.get('smartAccounts', pi.accountId))!;
  const portal = (await activeLicensesOf(tx, account, pi.udi)).filter((l) => l.sku !== null);
  const out: ConversionResponse['converted'] = [];
  for (const c of claimed) {
    if (c.source === 'RTU') {
      await deposit(tx, ctx, va, { sku: `RTU ${c.feature}`, tag: c.tag, quantity: 1 }, order);
      out.push({ feature: c.feature, tag: c.tag, quantity: 1 });
      continue;
    }
    const i = portal.findIndex((l) => l.feature === c.feature);
    if (i < 0)
      fail(
        'LICENSE_NOT_FOUND',
        `${account.domain} issued no active PAK license for ${c.feature} to ${udiString(pi.udi)}`,
      );
    const [line] = portal.splice(i, 1);
    const converted = await convertPortalLicense(tx, ctx, va, line!, order);
    out.push({ feature: c.feature, tag: converted.tag, quantity: 1 });
  }
  const now = ctx.clock.now();
  await logConverted(tx, ctx, va, pi.udi, out);
  return { status: 'CONVERTED', converted: out, convertedAt: new Date(now).toISOString() };
}
