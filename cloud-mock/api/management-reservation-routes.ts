/**
 * License reservation (SLR / PLR, cssm-api.md §1.3.10): `reserve-licenses` (v1 and v2, the same body) answers
 * one authorization code per request code, each a `<smartLicense>` file holding a RESERVATION document;
 * `reserve-licenses/return` takes the return codes devices print and puts their licenses back.
 */
import { Type } from '@sinclair/typebox';
import { FILE_ELEMENTS, formatSlpFile, RESERVATION_TYPES, udiString } from '#protocol';
import { reserveLicenses, returnReservation } from '../domain/index.ts';
import { success } from './cisco-format.ts';
import { vaRoute } from './management-handlers.ts';
import { IntOrString } from './management-schemas.ts';
import type { Route } from './route.ts';

const Reserve = Type.Object(
  {
    reservationRequests: Type.Array(
      Type.Object(
        {
          reservationCode: Type.String({ minLength: 1, maxLength: 200, description: '<PID>:<SN>-<random>-<check>' }),
          reservationType: Type.Union(RESERVATION_TYPES.map((t) => Type.Literal(t))),
          licenses: Type.Array(
            Type.Object(
              {
                entitlementTag: Type.String({ minLength: 1, maxLength: 255 }),
                quantity: IntOrString(1, 1_000_000),
                precedence: Type.Optional(Type.Literal('LONGEST_TERM_FIRST')),
              },
              { additionalProperties: false },
            ),
            { maxItems: 64 },
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

const Return = Type.Object(
  { returnCodes: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);

const reserveRoute = (version: 'v1' | 'v2'): Route =>
  vaRoute({
    method: 'POST',
    path: `/${version}/accounts/:domain/virtual-accounts/:va/reserve-licenses`,
    summary: 'Reserve licenses for devices by request code (SPECIFIC = SLR; UNIVERSAL = PLR where the VA allows)',
    request: Reserve,
    response: Type.Object({ authorizationCodes: Type.Array(Type.Object({ authorizationCode: Type.String() })) }),
    errors: [
      '400 RESERVATION_CODE_INVALID / ENTITLEMENT_UNKNOWN',
      '403 PLR_NOT_ALLOWED',
      '409 RESERVATION_EXISTS / INSUFFICIENT_LICENSES (nothing is reserved)',
    ],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      const documents = await reserveLicenses(
        tx,
        ctx,
        va,
        body.reservationRequests.map((r) => ({
          reservationCode: r.reservationCode,
          reservationType: r.reservationType,
          licenses: r.licenses.map((l) => ({ entitlementTag: l.entitlementTag, quantity: Number(l.quantity) })),
        })),
      );
      return success({
        authorizationCodes: documents.map((d) => ({
          authorizationCode: formatSlpFile([{ element: FILE_ELEMENTS.RESERVATION, value: d }]),
        })),
      });
    },
  });

export const managementReservationRoutes: Route[] = [
  reserveRoute('v1'),
  reserveRoute('v2'),
  vaRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/virtual-accounts/:va/reserve-licenses/return',
    summary: 'Return reservations with the return codes devices print; their licenses go back to the pool',
    request: Return,
    errors: ['400 RESERVATION_CODE_INVALID / RETURN_CODE_INVALID', '404 RESERVATION_NOT_FOUND (nothing is returned)'],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      const returned = [];
      for (const code of body.returnCodes) returned.push(await returnReservation(tx, ctx, va, code));
      return success(
        { returned: returned.map((r) => ({ udi: udiString(r.udi), type: r.type, licenses: r.licenses })) },
        `${returned.length} reservation(s) returned`,
      );
    },
  }),
];
