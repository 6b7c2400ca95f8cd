/** Smart accounts and virtual accounts (cssm-api.md §1.3.1–1.3.4). */
import { Type } from '@sinclair/typebox';
import { createVirtualAccount, deleteVirtualAccount, fail } from '../domain/index.ts';
import type { SmartAccount, Tx, User } from '../store/index.ts';
import { numericId, page, success, virtualAccountJson } from './cisco-format.ts';
import { vaFor, vasFor } from './management-access.ts';
import { accountRoute, callerRoute, type Call } from './management-handlers.ts';
import { VaName } from './management-schemas.ts';
import type { Route } from './route.ts';

/** The smart accounts the caller holds any role on, in domain order. */
async function visibleAccounts(tx: Tx, user: User): Promise<SmartAccount[]> {
  const out: SmartAccount[] = [];
  for (const id of new Set(user.roles.map((g) => g.accountId))) {
    const a = await tx.get('smartAccounts', id);
    if (a) out.push(a);
  }
  return out.sort((a, b) => a.domain.localeCompare(b.domain));
}

const SearchQuery = Type.Object({
  domain: Type.Optional(
    Type.String({ maxLength: 253, description: 'substring of the domain (work.com also finds wework.com)' }),
  ),
  name: Type.Optional(Type.String({ maxLength: 128, description: 'substring of the name' })),
  type: Type.Optional(Type.Union([Type.Literal('CUSTOMER'), Type.Literal('HOLDING')])),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
});

type SearchCall = Call<typeof SearchQuery>;

async function search({ tx, caller, query: q }: SearchCall) {
  const matches = (await visibleAccounts(tx, caller.user)).filter(
    (a) =>
      (!q.domain || a.domain.includes(q.domain.trim().toLowerCase())) &&
      (!q.name || a.name.toLowerCase().includes(q.name.trim().toLowerCase())) &&
      (!q.type || a.type === q.type),
  );
  return { matches, limit: Number(q.limit ?? 1000), offset: Number(q.offset ?? 0) };
}

const ON_PREM = ' (On-Prem style path)';

const listVas = (path: string, suffix = '') =>
  accountRoute({
    method: 'GET',
    path,
    summary: `List the virtual accounts the caller can see${suffix}`,
    response: Type.Object({
      virtualAccounts: Type.Array(Type.Object({ name: Type.String(), isDefault: Type.String() })),
    }),
    permission: 'account.read',
    vaLevel: true,
    async run(c) {
      const vas = await vasFor(c, c.account, undefined, 'account.read');
      return success({ virtualAccounts: vas.map(virtualAccountJson) });
    },
  });

const NewVa = Type.Object(
  {
    name: VaName,
    description: Type.Optional(Type.String({ maxLength: 256 })),
    isDefault: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 8, description: '"false" / "No"; a smart account has one default VA' }),
        Type.Boolean(),
      ]),
    ),
    commerceAccessLevel: Type.Optional(Type.Union([Type.Literal('PUBLIC'), Type.Literal('PRIVATE')])),
  },
  { additionalProperties: false },
);

const createVa = (path: string, suffix = '') =>
  accountRoute({
    method: 'POST',
    path,
    summary: `Create a virtual account (Smart Account Administrator)${suffix}`,
    request: NewVa,
    errors: ['409 VIRTUAL_ACCOUNT_EXISTS'],
    permission: 'virtual-accounts.manage',
    async run({ tx, ctx, account, body }) {
      if (body.isDefault !== undefined && !['false', 'no'].includes(String(body.isDefault).toLowerCase())) {
        fail(
          'INVALID_VALUE',
          `isDefault ${JSON.stringify(body.isDefault)}: ${account.domain} has its default virtual account; create others with "false"`,
        );
      }
      const va = await createVirtualAccount(tx, ctx, account, {
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.commerceAccessLevel ? { commerceAccessLevel: body.commerceAccessLevel } : {}),
      });
      return success({ virtualAccount: virtualAccountJson(va) }, `Virtual account ${va.name} created`);
    },
  });

export const managementAccountRoutes: Route[] = [
  callerRoute({
    method: 'GET',
    path: '/v2/accounts',
    summary: 'The smart accounts the caller holds a role on, with those roles',
    async run({ tx, caller }) {
      const accounts = [];
      for (const a of await visibleAccounts(tx, caller.user)) {
        const roles = [];
        for (const g of caller.user.roles.filter((r) => r.accountId === a.id)) {
          const va = g.vaId ? await tx.get('virtualAccounts', g.vaId) : undefined;
          if (g.vaId && !va) continue;
          roles.push(va ? { role: g.role, virtualAccount: va.name } : { role: g.role });
        }
        accounts.push({
          accountName: a.name,
          accountDomain: a.domain,
          accountStatus: 'Active',
          accountType: a.type,
          roles,
        });
      }
      return success({ accounts });
    },
  }),
  callerRoute({
    method: 'GET',
    path: '/v1/accounts/search',
    summary: 'Search the visible smart accounts by domain or name substring',
    query: SearchQuery,
    async run(c) {
      const { matches, limit, offset } = await search(c);
      const accounts = page(matches, limit, offset).map((a) => ({
        domain: a.domain,
        name: a.name,
        id: numericId(a.id),
        type: a.type,
        status: 'Active',
      }));
      return success({ totalRecords: matches.length, accounts });
    },
  }),
  callerRoute({
    method: 'GET',
    path: '/v2/accounts/search',
    summary: 'Search smart accounts; snake_case answer with numeric account and virtual account ids',
    query: SearchQuery,
    async run(c) {
      const { matches, limit, offset } = await search(c);
      if (matches.length === 0)
        return {
          status: 'COMPLETE',
          message_code: 'NO DATA FOUND',
          message: 'No matching record found for given input',
        };
      const accounts = [];
      for (const a of page(matches, limit, offset)) {
        const vas = await vasFor(c, a, undefined, 'account.read');
        accounts.push({
          account_id: String(numericId(a.id)),
          domain: a.domain,
          name: a.name,
          virtual_accounts: vas.map((v) => ({
            default: v.isDefault,
            name: v.name,
            virtual_account_id: String(numericId(v.id)),
          })),
        });
      }
      return { message_code: '', message: '', status: 'COMPLETE', accounts };
    },
  }),
  listVas('/v1/accounts/:domain/:accountType/virtual-accounts'),
  listVas('/v1/accounts/:domain/virtual-accounts', ON_PREM),
  createVa('/v1/accounts/:domain/:accountType/virtual-accounts'),
  createVa('/v1/accounts/:domain/virtual-accounts', ON_PREM),
  accountRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/virtual-accounts/:va/delete',
    summary: 'Delete an empty virtual account (Smart Account Administrator)',
    errors: ['409 VIRTUAL_ACCOUNT_NOT_EMPTY'],
    // Account-wide: a role on the VA alone does not let one delete it.
    permission: 'virtual-accounts.manage',
    async run(c) {
      const va = await vaFor(c, c.account, c.input.params.va!, 'virtual-accounts.manage');
      await deleteVirtualAccount(c.tx, c.ctx, c.account, va.name);
      return success({}, `Virtual account ${va.name} deleted`);
    },
  }),
];
