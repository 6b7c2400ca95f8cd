/** Lab control for the portal: PAKs are bought, not made by customers, so a lab adds them (or seeds them). */
import { Type } from '@sinclair/typebox';
import { createPak, requireAccount } from '../domain/index.ts';
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
];
