/** License usage and license transfer between virtual accounts (cssm-api.md §1.3.6, §1.3.9). */
import { Type } from '@sinclair/typebox';
import { fail, transferLicenses } from '../domain/index.ts';
import type { LicensePool } from '../store/index.ts';
import { licenseJson, page, success } from './cisco-format.ts';
import { accountFor, asCaller, managementRoute, vaFor, vasFor } from './management-access.ts';
import { DEFAULT_LIMIT, IntOrString, VaName, VaPageBody } from './management-schemas.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody } from './validate.ts';

const Transfer = Type.Object(
  {
    licenses: Type.Array(
      Type.Object(
        {
          license: Type.String({ minLength: 1, maxLength: 255, description: 'the license name as the usage list shows it (or its entitlement tag)' }),
          licenseType: Type.Optional(Type.Union([Type.Literal('PERPETUAL'), Type.Literal('TERM'), Type.Literal('DEMO')])),
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
  managementRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/licenses',
    summary: 'License usage per virtual account: quantity, inUse, available, status, licenseDetails',
    request: VaPageBody,
    response: Type.Object({ totalRecords: Type.Integer(), licenses: Type.Array(Type.Object({ license: Type.String(), quantity: Type.Integer(), inUse: Type.Integer() })) }),
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'licenses.read', true);
          const body = jsonBody(input.req, VaPageBody);
          const now = s.ctx.clock.now();
          const licenses = [];
          for (const va of await vasFor(s, account, body.virtualAccounts, 'licenses.read')) {
            const pools = (await s.tx.list('licensePools', { va_id: va.id })).filter(listed).sort((a, b) => a.licenseName.localeCompare(b.licenseName));
            licenses.push(...pools.map((p) => licenseJson(p, va, now)));
          }
          return success({ totalRecords: licenses.length, licenses: page(licenses, body.limit ?? DEFAULT_LIMIT, body.offset ?? 0) });
        }),
      );
    },
  }),
  managementRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/virtual-accounts/:va/licenses/transfer',
    summary: 'Transfer available licenses to other virtual accounts of the smart account (longest term first)',
    request: Transfer,
    errors: ['409 INSUFFICIENT_LICENSES (nothing moves)'],
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'licenses.manage', true);
          const from = await vaFor(s, account, input.params.va!, 'licenses.manage');
          const body = jsonBody(input.req, Transfer);
          const pools = await s.tx.list('licensePools', { va_id: from.id });
          let moved = 0;
          for (const line of body.licenses) {
            const pool = pools.find((p) => p.licenseName === line.license || p.tag === line.license);
            if (!pool) fail('INVALID_VALUE', `${from.name} holds no license ${JSON.stringify(line.license.slice(0, 255))}; it holds: ${pools.filter(listed).map((p) => p.licenseName).join(', ') || 'none'}`);
            const to = await vaFor(s, account, line.targetVirtualAccount, 'licenses.manage');
            const quantity = Number(line.quantity);
            await transferLicenses(s.tx, s.ctx, account, from, to, { tag: pool.tag, quantity, ...(line.licenseType ? { licenseType: line.licenseType } : {}) });
            moved += quantity;
          }
          return success({}, `${moved} license(s) transferred from ${from.name}`);
        }),
      );
    },
  }),
];
