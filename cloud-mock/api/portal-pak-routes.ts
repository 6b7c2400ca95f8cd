/**
 * The license registration portal's PAK pages as management routes: list and look at the smart account's
 * PAKs, fulfil one for a device (PAK + UDI + SKUs ⇒ license file), convert what is left to Smart Licensing.
 * PAKs belong to the smart account, so these need a smart-account role (VA roles are refused); a `:pak`
 * of another account, or no PAK at all, is PAK_NOT_FOUND.
 */
import { Type } from '@sinclair/typebox';
import { Udi } from '#protocol';
import { convertPak, fulfilPak, listPaks, requirePak } from '../domain/index.ts';
import { success } from './cisco-format.ts';
import { vaFor } from './management-access.ts';
import { accountRoute } from './management-handlers.ts';
import { VaName } from './management-schemas.ts';
import { issuedJson, pakJson } from './portal-format.ts';
import type { Route } from './route.ts';

const PAKS = '/v1/accounts/:domain/paks';
const Sku = Type.String({ minLength: 1, maxLength: 64 });

const Fulfil = Type.Object(
  {
    udi: Udi,
    skus: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'counted SKUs only' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 64 },
    ),
  },
  { additionalProperties: false },
);

const Convert = Type.Object(
  {
    virtualAccount: VaName,
    skus: Type.Optional(Type.Array(Sku, { minItems: 1, maxItems: 64, description: 'absent: every item' })),
  },
  { additionalProperties: false },
);

const PakItem = Type.Object({ sku: Type.String(), quantity: Type.Integer(), remaining: Type.Integer() });
const PakBody = Type.Object({ pak: Type.String(), items: Type.Array(PakItem) });
const Issued = Type.Object({
  licenseFile: Type.String(),
  fileName: Type.String(),
  licenses: Type.Array(Type.Object({})),
});

export const portalPakRoutes: Route[] = [
  accountRoute({
    method: 'GET',
    path: PAKS,
    summary: "The smart account's PAKs: SKU items, quantities, fulfilled, converted and remaining units",
    response: Type.Object({ totalRecords: Type.Integer(), paks: Type.Array(PakBody) }),
    permission: 'licenses.read',
    async run({ tx, account }) {
      const paks = await listPaks(tx, account);
      return success({ totalRecords: paks.length, paks: paks.map(pakJson) });
    },
  }),
  accountRoute({
    method: 'GET',
    path: `${PAKS}/:pak`,
    summary: 'One PAK of the smart account',
    response: PakBody,
    errors: ['404 PAK_NOT_FOUND'],
    permission: 'licenses.read',
    async run({ tx, account, input }) {
      return success(pakJson(await requirePak(tx, account, input.params.pak!)));
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${PAKS}/:pak/fulfill`,
    summary: 'Fulfil a PAK for a device: UDI + SKUs ⇒ a signed license file (partial fulfilment leaves the rest)',
    request: Fulfil,
    response: Issued,
    errors: ['404 PAK_NOT_FOUND', '409 PAK_EXHAUSTED (nothing issued)', '400 SKU_NOT_FOR_PLATFORM'],
    permission: 'licenses.manage',
    async run({ tx, ctx, account, body, input }) {
      const issued = await fulfilPak(tx, ctx, account, input.params.pak!, body.udi, body.skus);
      return success(
        issuedJson(issued),
        `${issued.licenses.length} license(s) issued for ${body.udi.pid}:${body.udi.sn}`,
      );
    },
  }),
  accountRoute({
    method: 'POST',
    path: `${PAKS}/:pak/convert`,
    summary: "Convert a PAK's unfulfilled units to Smart Licensing: PERPETUAL licenses in a virtual account's pools",
    request: Convert,
    response: Type.Object({ converted: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })) }),
    errors: ['404 PAK_NOT_FOUND', '409 PAK_EXHAUSTED'],
    permission: 'licenses.manage',
    async run(c) {
      const va = await vaFor(c, c.account, c.body.virtualAccount, 'licenses.manage');
      const converted = await convertPak(c.tx, c.ctx, c.account, va, c.input.params.pak!, c.body.skus);
      return success(
        { converted },
        `${converted.reduce((n, x) => n + x.quantity, 0)} license(s) converted into ${va.name}`,
      );
    },
  }),
];
