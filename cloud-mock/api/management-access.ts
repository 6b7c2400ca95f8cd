/**
 * Who may do what in the management API: the bearer token names the caller, the caller's API client is
 * rate-limited, and the smart and virtual account named in the path are checked against the caller's
 * roles before anything else. A caller without any role on an account is refused whether or not the
 * account exists (no probing for other customers' domains); every refusal is logged in the event log.
 */
import {
  AccessDenied,
  authenticateBearer,
  can,
  logAccessDenied,
  permittedVas,
  requireAccess,
  requireVirtualAccount,
  type Caller,
  type DomainContext,
  type Permission,
} from '../domain/index.ts';
import type { SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { Route, RouteInput } from './route.ts';

/** Where the Smart Accounts and Licensing API lives (cssm-api.md §1.1). */
export const SLA_BASE = '/services/api/smart-accounts-and-licensing';

export interface Scope {
  tx: Tx;
  ctx: DomainContext;
  caller: Caller;
}

/** Runs `work` in one transaction as the bearer's user; a denial is logged in a transaction of its own. */
export async function asCaller<R>(input: RouteInput, work: (s: Scope) => Promise<R>): Promise<R> {
  const { req, app } = input;
  try {
    return await app.service.run('api', async (tx, ctx) => {
      const caller = await authenticateBearer(tx, ctx, req.headers.authorization);
      // Known only now: the events this request writes name the user.
      ctx.actor = caller.actor;
      app.rateLimiter.take(caller.clientId);
      return work({ tx, ctx, caller });
    });
  } catch (err) {
    if (err instanceof AccessDenied) await app.service.run(err.actor, (tx, ctx) => logAccessDenied(tx, ctx, err, req));
    throw err;
  }
}

function noRole(caller: Caller, domain: string, permission: Permission, accountId: string | null): never {
  throw new AccessDenied(`${caller.user.username} holds no role on smart account ${domain.slice(0, 253)}`, {
    actor: caller.actor,
    permission,
    accountId,
    vaId: null,
  });
}

/**
 * The smart account at `domain`, if the caller holds a role there that allows `permission` account-wide (or any role,
 * for `vaLevel`).
 */
export async function accountFor(
  s: Scope,
  domain: string,
  permission: Permission,
  vaLevel = false,
): Promise<SmartAccount> {
  const account = await s.tx.findOne('smartAccounts', { domain: domain.trim().toLowerCase() });
  if (!account || !s.caller.user.roles.some((g) => g.accountId === account.id))
    noRole(s.caller, domain, permission, account?.id ?? null);
  if (!vaLevel) await requirePermission(s, permission, account);
  return account;
}

/** requireAccess, listing the account's VAs (to name the caller's VA roles in the refusal) only when it refuses. */
async function requirePermission(
  s: Scope,
  permission: Permission,
  account: SmartAccount,
  va?: VirtualAccount,
): Promise<void> {
  if (!can(s.caller, permission, account, va))
    requireAccess(s.caller, permission, account, va, await vaNames(s.tx, account));
}

export async function vaNames(tx: Tx, account: SmartAccount): Promise<Map<string, string>> {
  return new Map((await tx.list('virtualAccounts', { account_id: account.id })).map((v) => [v.id, v.name]));
}

/**
 * The named VA, if the caller may do `permission` on it. A VA that does not exist is a 404 only for
 * callers with a role on the whole smart account (who may know every VA name); for others it is a 403.
 */
export async function vaFor(
  s: Scope,
  account: SmartAccount,
  name: string,
  permission: Permission,
): Promise<VirtualAccount> {
  const va = await s.tx.findOne('virtualAccounts', { account_id: account.id, name });
  if (!va) {
    if (can(s.caller, permission, account)) await requireVirtualAccount(s.tx, account, name);
    throw new AccessDenied(
      `${s.caller.user.username} has no role on a virtual account ${JSON.stringify(name.slice(0, 64))} of ${account.domain}`,
      {
        actor: s.caller.actor,
        permission,
        accountId: account.id,
        vaId: null,
      },
    );
  }
  await requirePermission(s, permission, account, va);
  return va;
}

/**
 * The VAs a list request covers: the named ones (each checked), or, for an empty or absent list, every
 * VA the caller may do `permission` on (cssm-api.md §1.3.6: an empty list means all VAs).
 */
export async function vasFor(
  s: Scope,
  account: SmartAccount,
  names: string[] | undefined,
  permission: Permission,
): Promise<VirtualAccount[]> {
  if (names && names.length > 0) {
    const out: VirtualAccount[] = [];
    for (const n of new Set(names)) out.push(await vaFor(s, account, n, permission));
    return out;
  }
  const all = (await s.tx.list('virtualAccounts', { account_id: account.id })).sort(
    (a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name),
  );
  const permitted = permittedVas(s.caller, permission, account, all);
  // Allowed on no VA at all is a refusal, not an empty list.
  if (permitted.length === 0)
    requireAccess(s.caller, permission, account, undefined, new Map(all.map((v) => [v.id, v.name])));
  return permitted;
}

/** A management route: under the SLA base path, bearer-authenticated, errors in Cisco's envelope. */
export function managementRoute(r: Omit<Route, 'tag' | 'bearer' | 'envelope'>): Route {
  return { ...r, path: `${SLA_BASE}${r.path}`, tag: 'management', bearer: true, envelope: 'classic' };
}
