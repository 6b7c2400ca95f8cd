/**
 * The one shape of a management route's handler: resolve the bearer's user, check the smart account (and
 * virtual account) named in the path against the caller's roles, then parse the route's own query and
 * body schemas, then run, answering 200 with what it returns. Permission comes before parsing, so a
 * caller without a role learns nothing from a 400 about an account that is not theirs.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { fail, type Permission } from '../domain/index.ts';
import type { SmartAccount, VirtualAccount } from '../store/index.ts';
import { page, success } from './cisco-format.ts';
import { accountFor, asCaller, managementRoute, vaFor, vasFor, type Scope } from './management-access.ts';
import { DEFAULT_LIMIT, type VaPageBody } from './management-schemas.ts';
import { json } from './respond.ts';
import type { Route, RouteInput } from './route.ts';
import { jsonBody, validate } from './validate.ts';

type Parsed<T> = T extends TSchema ? Static<T> : undefined;

export interface Call<Q = undefined, B = undefined> extends Scope {
  input: RouteInput;
  /** The route's `query` schema, checked. */
  query: Parsed<Q>;
  /** The route's `request` schema, checked. */
  body: Parsed<B>;
}
export interface AccountCall<Q = undefined, B = undefined> extends Call<Q, B> {
  account: SmartAccount;
}
export interface VaCall<Q = undefined, B = undefined> extends AccountCall<Q, B> {
  va: VirtualAccount;
}

type Doc<Q, B> = Omit<Route, 'tag' | 'bearer' | 'envelope' | 'handler' | 'query' | 'request'> & {
  query?: Q;
  request?: B;
};

function parse<Q extends TSchema | undefined, B extends TSchema | undefined>(
  r: Doc<Q, B>,
  req: RouteInput['req'],
): { query: Parsed<Q>; body: Parsed<B> } {
  const query = r.query ? validate(r.query, Object.fromEntries(req.query), 'query') : undefined;
  const body = r.request ? jsonBody(req, r.request) : undefined;
  return { query: query as Parsed<Q>, body: body as Parsed<B> };
}

/** The `:accountType` of the classic paths must be the account's own type (customer or holding). */
function checkType(account: SmartAccount, type: string | undefined): void {
  if (type === undefined) return;
  const t = type.toUpperCase();
  if (t !== 'CUSTOMER' && t !== 'HOLDING')
    fail('INVALID_VALUE', `account type ${JSON.stringify(type.slice(0, 16))} is not customer or holding`);
  if (t !== account.type) fail('INVALID_VALUE', `${account.domain} is a ${account.type} account, not ${t}`);
}

/** Resolves what the path names (`resolve`, which checks the permission), then parses, then runs. */
function scopedRoute<Q extends TSchema | undefined, B extends TSchema | undefined, X>(
  doc: Doc<Q, B>,
  resolve: (s: Scope, params: RouteInput['params']) => Promise<X>,
  run: (c: Call<Q, B> & X) => Promise<unknown>,
): Route {
  return managementRoute({
    ...doc,
    handler: async (input) =>
      json(
        200,
        await asCaller(input, async (s) => {
          const scope = await resolve(s, input.params);
          return run({ ...s, input, ...scope, ...parse(doc, input.req) });
        }),
      ),
  });
}

/** A route that needs only an authenticated caller (no account in the path). */
export function callerRoute<Q extends TSchema | undefined = undefined, B extends TSchema | undefined = undefined>(
  r: Doc<Q, B> & { run(c: Call<Q, B>): Promise<unknown> },
): Route {
  const { run, ...doc } = r;
  return scopedRoute(doc, async () => ({}), run);
}

/**
 * A route on the smart account at `:domain`. `vaLevel`: any role on the account admits the caller, and
 * `run` checks `permission` per virtual account (vaFor, vasFor); otherwise it is needed account-wide.
 */
export function accountRoute<Q extends TSchema | undefined = undefined, B extends TSchema | undefined = undefined>(
  r: Doc<Q, B> & { permission: Permission; vaLevel?: boolean; run(c: AccountCall<Q, B>): Promise<unknown> },
): Route {
  const { run, permission, vaLevel, ...doc } = r;
  return scopedRoute(
    doc,
    async (s, params) => {
      const account = await accountFor(s, params.domain!, permission, vaLevel);
      checkType(account, params.accountType);
      return { account };
    },
    run,
  );
}

/** A route on the virtual account `:va` of `:domain`, which the caller needs `permission` on. */
export function vaRoute<Q extends TSchema | undefined = undefined, B extends TSchema | undefined = undefined>(
  r: Doc<Q, B> & { permission: Permission; run(c: VaCall<Q, B>): Promise<unknown> },
): Route {
  const { run, permission, ...doc } = r;
  return scopedRoute(
    doc,
    async (s, params) => {
      const account = await accountFor(s, params.domain!, permission, true);
      return { account, va: await vaFor(s, account, params.va!, permission) };
    },
    run,
  );
}

/**
 * A `{virtualAccounts, limit, offset}` list (cssm-api.md §1.3.6): the items of each VA the body names
 * (or of every VA the caller may do `permission` on), in VA order, paged, as `{totalRecords, [key]}`.
 */
export async function vaPage(
  c: AccountCall<undefined, typeof VaPageBody>,
  permission: Permission,
  key: string,
  itemsOf: (va: VirtualAccount) => Promise<unknown[]>,
): Promise<object> {
  const items = [];
  for (const va of await vasFor(c, c.account, c.body.virtualAccounts, permission)) items.push(...(await itemsOf(va)));
  return success({ totalRecords: items.length, [key]: page(items, c.body.limit ?? DEFAULT_LIMIT, c.body.offset ?? 0) });
}
