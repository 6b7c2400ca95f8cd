/**
 * Lab control for the portal: PAKs are bought, not made by customers, so a lab adds them (or seeds them);
 * manufacturing preinstalls licenses on an order's devices before they ship.
 */
import { Type } from '@sinclair/typebox';
import { Udi } from '#protocol';
import { createPak, MAX_ORDER_DEVICES, preinstallOrder, requireAccount } from '../domain/index.ts';
import { pakJson } from './portal-format.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody } from './validate.ts';

export const NewPakBody = Type.Object(
  {
    account: Type.String({ minLength: 1, maxLength: 253, description: 'smart account domain' }),
    pak: Type.Optional(
      Type.String({ minLength: 1, maxLength: 32, description: 'fixed 11-character key; generated when absent' }),
    ),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    items: Type.Array(
      Type.Object(
        { sku: Type.String({ minLength: 1, maxLength: 64 }), quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 64 },
    ),
  },
  { additionalProperties: false },
);

const Order = Type.Object(
  {
    account: Type.String({ minLength: 1, maxLength: 253, description: 'smart account domain' }),
    orderId: Type.String({ minLength: 1, maxLength: 64 }),
    devices: Type.Array(Udi, { minItems: 1, maxItems: MAX_ORDER_DEVICES }),
    skus: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);

export const labPortalRoutes: Route[] = [
  {
    method: 'POST',
    path: '/lab/paks',
    tag: 'lab',
    summary: 'Add a PAK (SKU items and quantities, see GET …/paks) to a smart account, as an order would',
    request: NewPakBody,
    async handler({ req, app }) {
      const body = jsonBody(req, NewPakBody);
      const pak = await app.service.run('lab', async (tx, ctx) =>
        createPak(tx, ctx, await requireAccount(tx, body.account), {
          items: body.items,
          ...(body.pak ? { pak: body.pak } : {}),
          ...(body.orderId ? { orderId: body.orderId } : {}),
        }),
      );
      return json(200, pakJson(pak));
    },
  },
  {
    method: 'POST',
    path: '/lab/manufacturing-orders',
    tag: 'lab',
    summary: "Manufacturing preinstall: an order's device UDIs and SKUs ⇒ one license file per device (no PAK)",
    request: Order,
    async handler({ req, app }) {
      const body = jsonBody(req, Order);
      const files = await app.service.run('lab', async (tx, ctx) =>
        preinstallOrder(tx, ctx, await requireAccount(tx, body.account), body),
      );
      return json(200, {
        orderId: body.orderId,
        devices: files.map((f) => ({ udi: f.licenses[0]!.udi, licenseFile: f.licenseFile, fileName: f.fileName })),
      });
    },
  },
];
