/**
 * Manufacturing preinstall (S-CSAOV "Manufacturing Preinstalled Licenses"; seed 001): for a device order,
 * Cisco manufacturing gets a permanent license for each device being built from a license server and
 * installs it before shipping, so no PAK is involved. The portal side: an order's UDIs and SKUs ⇒ one
 * license file per device, recorded like any issued line (resend, RMA and rehost find them). Spawning the
 * devices with the files installed is the lab's.
 */
import { udiString, type Udi } from '#protocol';
import type { SmartAccount, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { issueLicense, licenseFile, type IssuedFile } from './portal-licenses.ts';
import { requireSkuFor, requireTraditionalSku } from './traditional-skus.ts';

export const MAX_ORDER_DEVICES = 10_000;

export interface ManufacturingOrder {
  orderId: string;
  devices: Udi[];
  /** One unit of each per device. */
  skus: string[];
}

export async function preinstallOrder(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  order: ManufacturingOrder,
): Promise<IssuedFile[]> {
  if (order.devices.length === 0 || order.devices.length > MAX_ORDER_DEVICES)
    fail('INVALID_VALUE', `an order builds 1–${MAX_ORDER_DEVICES} devices, got ${order.devices.length}`);
  if (order.skus.length === 0) fail('INVALID_VALUE', `order ${order.orderId} names no SKU to preinstall`);
  const skus = order.skus.map(requireTraditionalSku);
  const seen = new Set<string>();
  const files: IssuedFile[] = [];
  for (const udi of order.devices) {
    if (seen.has(udiString(udi))) fail('INVALID_VALUE', `order ${order.orderId} names ${udiString(udi)} twice`);
    seen.add(udiString(udi));
    const licenses = [];
    for (const sku of skus) {
      requireSkuFor(sku, udi.pid);
      licenses.push(
        await issueLicense(tx, ctx, account, {
          udi,
          feature: sku.feature,
          type: sku.type,
          count: sku.countPerUnit ?? null,
          ...(sku.termDays !== undefined ? { termDays: sku.termDays } : {}),
          sku: sku.sku,
        }),
      );
    }
    files.push(licenseFile(ctx, udi, licenses, `Manufacturing preinstall, order ${order.orderId}`));
  }
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'manufacturing.preinstalled',
    message: `Order ${order.orderId}: ${order.skus.join(', ')} preinstalled on ${order.devices.length} device(s)`,
    data: { orderId: order.orderId, skus: order.skus, devices: order.devices.map(udiString) },
  });
  return files;
}
