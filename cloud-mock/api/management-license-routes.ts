/** License usage and license transfer between virtual accounts (cssm-api.md §1.3.6, §1.3.9). */
import { Type } from '@sinclair/typebox';
import { fail, transferLicenses } from '../domain/index.ts';
import type { LicensePool } from '../store/index.ts';
import { licenseJson, success } from './cisco-format.ts';
import { vaFor } from './management-access.ts';
import { accountRoute, vaPage, vaRoute } from './management-handlers.ts';
import { IntOrString, VaName, VaPageBody } from './management-schemas.ts';
import type { Route } from './route.ts';

const Transfer = Type.Object(
  {
    licenses: Type.Array(
      Type.Object(
        {
          license: Type.String({
            minLength: 1,
            maxLength: 255,
            description: 'the license name as the usage list shows it (or its entitlement tag)',
          }),
          licenseType: Type.Optional(
            Type.Union([Type.Literal('PERPETUAL'), Type.Literal('TERM'), Type.Literal('DEMO')]),
          ),
          quantity: IntOrString(1, 10_000_000),
          targetVirtualAccount: VaName,
          precedence: Type.Optional(Type.Literal('LONGEST_TERM_FIRST')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

/** Pools worth listing: something purchased (even if expired) or something in use. */
const listed = (p: LicensePool) => p.entries.length > 0 || p.inUse > 0;

export const managementLicenseRoutes: Route[] = [
  accountRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/licenses',
    summary: 'License usage per virtual account: quantity, inUse, available, status, licenseDetails',
    request: VaPageBody,
    response: Type.Object({
      totalRecords: Type.Integer(),
      licenses: Type.Array(Type.Object({ license: Type.String(), quantity: Type.Integer(), inUse: Type.Integer() })),
    }),
    permission: 'licenses.read',
    vaLevel: true,
    run(c) {
      const now = c.ctx.clock.now();
      return vaPage(c, 'licenses.read', 'licenses', async (va) => {
        const pools = (await c.tx.list('licensePools', { va_id: va.id }))
          .filter(listed)
          .sort((a, b) => a.licenseName.localeCompare(b.licenseName));
        return pools.map((p) => licenseJson(p, va, now));
      });
    },
  }),
  vaRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/virtual-accounts/:va/licenses/transfer',
    summary: 'Transfer available licenses to other virtual accounts of the smart account (longest term first)',
    request: Transfer,
    errors: ['409 INSUFFICIENT_LICENSES (nothing moves)'],
    permission: 'licenses.manage',
    async run(c) {
      const { tx, ctx, account, va: from, body } = c;
      const pools = await tx.list('licensePools', { va_id: from.id });
      let moved = 0;
      for (const line of body.licenses) {
        const pool = pools.find((p) => p.licenseName === line.license || p.tag === line.license);
        if (!pool)
          fail(
            'INVALID_VALUE',
            `${from.name} holds no license ${JSON.stringify(line.license.slice(0, 255))}; it holds: ${
              pools
                .filter(listed)
                .map((p) => p.licenseName)
                .join(', ') || 'none'
            }`,
          );
        const to = await vaFor(c, account, line.targetVirtualAccount, 'licenses.manage');
        const quantity = Number(line.quantity);
        await transferLicenses(tx, ctx, account, from, to, {
          tag: pool.tag,
          quantity,
          ...(line.licenseType ? { licenseType: line.licenseType } : {}),
        });
        moved += quantity;
      }
      return success({}, `${moved} license(s) transferred from ${from.name}`);
    },
  }),
];
