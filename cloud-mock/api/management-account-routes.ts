/** Smart accounts and virtual accounts (cssm-api.md §1.3.1–1.3.4). */
import { Type } from '@sinclair/typebox';
import { createVirtualAccount, deleteVirtualAccount, fail } from '../domain/index.ts';
import type { SmartAccount, Tx, User } from '../store/index.ts';
import { numericId, page, success, virtualAccountJson } from './cisco-format.ts';
import { accountFor, asCaller, managementRoute, vaFor, vasFor, type Scope } from './management-access.ts';
import { VaName } from './management-schemas.ts';
import { json } from './respond.ts';
import type { Route, RouteInput } from './route.ts';
import { jsonBody, validate } from './validate.ts';

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
  domain: Type.Optional(Type.String({ maxLength: 253, description: 'substring of the domain (work.com also finds wework.com)' })),
  name: Type.Optional(Type.String({ maxLength: 128, description: 'substring of the name' })),
  type: Type.Optional(Type.Union([Type.Literal('CUSTOMER'), Type.Literal('HOLDING')])),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
});

async function search(s: Scope, req: RouteInput['req']) {
  const q = validate(SearchQuery, Object.fromEntries(req.query), 'query');
  const matches = (await visibleAccounts(s.tx, s.caller.user)).filter(
    (a) =>
      (!q.domain || a.domain.includes(q.domain.trim().toLowerCase())) &&
      (!q.name || a.name.toLowerCase().includes(q.name.trim().toLowerCase())) &&
      (!q.type || a.type === q.type),
  );
  return { matches, limit: Number(q.limit ?? 1000), offset: Number(q.offset ?? 0) };
}

function checkType(account: SmartAccount, type: string | undefined): void {
  if (type === undefined) return;
  const t = type.toUpperCase();
  if (t !== 'CUSTOMER' && t !== 'HOLDING') fail('INVALID_VALUE', `account type ${JSON.stringify(type.slice(0, 16))} is not customer or holding`);
  if (t !== account.type) fail('INVALID_VALUE', `${account.domain} is a ${account.type} account, not ${t}`);
}

async function listVas(input: RouteInput) {
  return json(
    200,
    await asCaller(input, async (s) => {
      const account = await accountFor(s, input.params.domain!, 'account.read', true);
      checkType(account, input.params.accountType);
      const vas = await vasFor(s, account, undefined, 'account.read');
      return success({ virtualAccounts: vas.map(virtualAccountJson) });
    }),
  );
}

const NewVa = Type.Object(
  {
    name: VaName,
    description: Type.Optional(Type.String({ maxLength: 256 })),
    isDefault: Type.Optional(Type.Union([Type.String({ maxLength: 8, description: '"false" / "No"; a smart account has one default VA' }), Type.Boolean()])),
    commerceAccessLevel: Type.Optional(Type.Union([Type.Literal('PUBLIC'), Type.Literal('PRIVATE')])),
  },
  { additionalProperties: false },
);

async function createVa(input: RouteInput) {
  return json(
    200,
    await asCaller(input, async (s) => {
      const account = await accountFor(s, input.params.domain!, 'virtual-accounts.manage');
      checkType(account, input.params.accountType);
      const body = jsonBody(input.req, NewVa);
      if (body.isDefault !== undefined && !['false', 'no'].includes(String(body.isDefault).toLowerCase())) {
        fail('INVALID_VALUE', `isDefault ${JSON.stringify(body.isDefault)}: ${account.domain} has its default virtual account; create others with "false"`);
      }
      const va = await createVirtualAccount(s.tx, s.ctx, account, {
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.commerceAccessLevel ? { commerceAccessLevel: body.commerceAccessLevel } : {}),
      });
      return success({ virtualAccount: virtualAccountJson(va) }, `Virtual account ${va.name} created`);
    }),
  );
}

const vaListDoc = { summary: 'List the virtual accounts the caller can see', response: Type.Object({ virtualAccounts: Type.Array(Type.Object({ name: Type.String(), isDefault: Type.String() })) }) };
const vaCreateDoc = { summary: 'Create a virtual account (Smart Account Administrator)', request: NewVa, errors: ['409 VIRTUAL_ACCOUNT_EXISTS'] };

export const managementAccountRoutes: Route[] = [
  managementRoute({
    method: 'GET',
    path: '/v2/accounts',
    summary: 'The smart accounts the caller holds a role on, with those roles',
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const accounts = [];
          for (const a of await visibleAccounts(s.tx, s.caller.user)) {
            const roles = [];
            for (const g of s.caller.user.roles.filter((r) => r.accountId === a.id)) {
              const va = g.vaId ? await s.tx.get('virtualAccounts', g.vaId) : undefined;
              if (g.vaId && !va) continue;
              roles.push(va ? { role: g.role, virtualAccount: va.name } : { role: g.role });
            }
            accounts.push({ accountName: a.name, accountDomain: a.domain, accountStatus: 'Active', accountType: a.type, roles });
          }
          return success({ accounts });
        }),
      );
    },
  }),
  managementRoute({
    method: 'GET',
    path: '/v1/accounts/search',
    summary: 'Search the visible smart accounts by domain or name substring',
    query: SearchQuery,
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const { matches, limit, offset } = await search(s, input.req);
          const accounts = page(matches, limit, offset).map((a) => ({ domain: a.domain, name: a.name, id: numericId(a.id), type: a.type, status: 'Active' }));
          return success({ totalRecords: matches.length, accounts });
        }),
      );
    },
  }),
  managementRoute({
    method: 'GET',
    path: '/v2/accounts/search',
    summary: 'Search smart accounts; snake_case answer with numeric account and virtual account ids',
    query: SearchQuery,
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const { matches, limit, offset } = await search(s, input.req);
          if (matches.length === 0) return { status: 'COMPLETE', message_code: 'NO DATA FOUND', message: 'No matching record found for given input' };
          const accounts = [];
          for (const a of page(matches, limit, offset)) {
            const vas = await vasFor(s, a, undefined, 'account.read');
            accounts.push({
              account_id: String(numericId(a.id)),
              domain: a.domain,
              name: a.name,
              virtual_accounts: vas.map((v) => ({ default: v.isDefault, name: v.name, virtual_account_id: String(numericId(v.id)) })),
            });
          }
          return { message_code: '', message: '', status: 'COMPLETE', accounts };
        }),
      );
    },
  }),
  managementRoute({ method: 'GET', path: '/v1/accounts/:domain/:accountType/virtual-accounts', ...vaListDoc, handler: listVas }),
  managementRoute({ method: 'GET', path: '/v1/accounts/:domain/virtual-accounts', ...vaListDoc, summary: `${vaListDoc.summary} (On-Prem style path)`, handler: listVas }),
  managementRoute({ method: 'POST', path: '/v1/accounts/:domain/:accountType/virtual-accounts', ...vaCreateDoc, handler: createVa }),
  managementRoute({ method: 'POST', path: '/v1/accounts/:domain/virtual-accounts', ...vaCreateDoc, summary: `${vaCreateDoc.summary} (On-Prem style path)`, handler: createVa }),
  managementRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/virtual-accounts/:va/delete',
    summary: 'Delete an empty virtual account (Smart Account Administrator)',
    errors: ['409 VIRTUAL_ACCOUNT_NOT_EMPTY'],
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'virtual-accounts.manage');
          const va = await vaFor(s, account, input.params.va!, 'virtual-accounts.manage');
          await deleteVirtualAccount(s.tx, s.ctx, account, va.name);
          return success({}, `Virtual account ${va.name} deleted`);
        }),
      );
    },
  }),
];
