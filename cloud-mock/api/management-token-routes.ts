/** Product-instance registration tokens of a virtual account (cssm-api.md §1.3.5). */
import { Type } from '@sinclair/typebox';
import { createToken, listTokens, revokeTokens, tokenState } from '../domain/index.ts';
import { success, tokenJson } from './cisco-format.ts';
import { vaRoute } from './management-handlers.ts';
import { IntOrString } from './management-schemas.ts';
import type { Route } from './route.ts';

const NewToken = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 100 })),
    expiresAfterDays: Type.Optional(IntOrString(1, 365, 'days, 1–365 (default 30); a numeric string is accepted')),
    exportControlled: Type.Optional(
      Type.Union([Type.Literal('Allowed'), Type.Literal('Not Allowed')], { description: 'default "Not Allowed"' }),
    ),
    numberofUses: Type.Optional(
      IntOrString(1, 1_000_000, 'max uses (spelling of the one client that sends it); absent: unlimited'),
    ),
  },
  { additionalProperties: false },
);

const Revoke = Type.Object(
  { tokens: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);

const TOKENS = '/v1/accounts/:domain/virtual-accounts/:va/tokens';

export const managementTokenRoutes: Route[] = [
  vaRoute({
    method: 'GET',
    path: TOKENS,
    summary: 'List the registration tokens of a virtual account (usable ones first, newest first)',
    response: Type.Object({ tokens: Type.Array(Type.Object({ token: Type.String() })) }),
    permission: 'licenses.read',
    async run({ tx, ctx, va }) {
      const now = ctx.clock.now();
      // Clients take tokens[0] (cssm-api.md §1.3.5), so a usable token leads.
      const tokens = (await listTokens(tx, va)).sort(
        (a, b) =>
          Number(tokenState(a, now) !== 'ACTIVE') - Number(tokenState(b, now) !== 'ACTIVE') ||
          b.createdAt - a.createdAt,
      );
      return success({ tokens: tokens.map((t) => tokenJson(t, va, now)) });
    },
  }),
  vaRoute({
    method: 'POST',
    path: TOKENS,
    summary: 'Create a registration token: description, expiresAfterDays, exportControlled',
    request: NewToken,
    response: Type.Object({ tokenInfo: Type.Object({ token: Type.String() }) }),
    permission: 'licenses.manage',
    async run({ tx, ctx, account, va, body }) {
      const token = await createToken(tx, ctx, account, va, {
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.expiresAfterDays !== undefined ? { expiresAfterDays: Number(body.expiresAfterDays) } : {}),
        ...(body.numberofUses !== undefined ? { maxUses: Number(body.numberofUses) } : {}),
        exportControlled: body.exportControlled === 'Allowed',
      });
      return success({ tokenInfo: tokenJson(token, va, ctx.clock.now()) });
    },
  }),
  vaRoute({
    method: 'POST',
    path: `${TOKENS}/revoke`,
    summary: 'Revoke registration tokens of a virtual account',
    request: Revoke,
    errors: ['404 TOKEN_NOT_FOUND (nothing is revoked)'],
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      const revoked = await revokeTokens(tx, ctx, va, body.tokens);
      return success(
        { tokens: revoked.map((t) => ({ token: t.id, status: 'REVOKED' })) },
        `${revoked.length} token(s) revoked`,
      );
    },
  }),
];
