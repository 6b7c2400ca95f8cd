/**
 * Users of the management API and their roles. Roles name the smart account by domain and, for the
 * Virtual Account roles, the virtual account by name; they are stored by id, so a role on a deleted VA
 * grants nothing even if a VA of the same name is created later.
 */
import { randomUUID } from 'node:crypto';
import type { RoleGrant, RoleName, Tx, User } from '../store/index.ts';
import { requireAccount, requireVirtualAccount } from './accounts.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { isVaRole, roleNames } from './roles.ts';
import { hashSecret } from './secrets.ts';

const USERNAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

export interface RoleInput {
  /** Smart account domain. */
  account: string;
  role: string;
  /** Required for, and only for, the Virtual Account roles. */
  virtualAccount?: string;
}

export interface NewUser {
  username: string;
  password?: string;
  roles: RoleInput[];
}

async function resolveGrant(tx: Tx, input: RoleInput): Promise<RoleGrant> {
  if (!roleNames.includes(input.role as RoleName))
    fail('INVALID_VALUE', `role "${input.role}" is not one of: ${roleNames.join(', ')}`);
  const role = input.role as RoleName;
  const account = await requireAccount(tx, input.account);
  if (isVaRole(role) !== (input.virtualAccount !== undefined)) {
    fail(
      'INVALID_VALUE',
      isVaRole(role)
        ? `role ${role} on ${account.domain} needs virtualAccount`
        : `role ${role} applies to the whole smart account ${account.domain}; drop virtualAccount`,
    );
  }
  if (input.virtualAccount === undefined) return { accountId: account.id, role };
  const va = await requireVirtualAccount(tx, account, input.virtualAccount);
  return { accountId: account.id, role, vaId: va.id };
}

export async function createUser(tx: Tx, ctx: DomainContext, input: NewUser): Promise<User> {
  const username = input.username.trim();
  if (!USERNAME_RE.test(username))
    fail(
      'INVALID_VALUE',
      `username ${JSON.stringify(input.username.slice(0, 40))} must be 1–128 characters of A-Z a-z 0-9 . _ @ + - (like alice@example.com)`,
    );
  if (await tx.findOne('users', { username })) fail('USER_EXISTS', `a user named ${username} exists`);
  if (input.password !== undefined && (input.password.length < 8 || input.password.length > 256))
    fail('INVALID_VALUE', `the password of ${username} must be 8–256 characters`);
  const roles: RoleGrant[] = [];
  for (const r of input.roles) roles.push(await resolveGrant(tx, r));
  const user: User = {
    id: randomUUID(),
    username,
    passwordHash: input.password === undefined ? null : await hashSecret(input.password, ctx.policy.secretHashCost),
    roles,
    createdAt: ctx.clock.now(),
  };
  await tx.put('users', user);
  for (const accountId of new Set(roles.map((g) => g.accountId))) {
    const held = roles.filter((g) => g.accountId === accountId);
    await logEvent(tx, ctx, {
      accountId,
      vaId: null,
      kind: 'user.created',
      message: `User ${username} added with ${held.map((g) => g.role).join(', ')}`,
      data: { username, roles: held.map((g) => g.role) },
    });
  }
  return user;
}

export async function requireUser(tx: Tx, username: string): Promise<User> {
  const user = await tx.findOne('users', { username: username.trim() });
  if (!user)
    fail(
      'USER_NOT_FOUND',
      `no user is named ${JSON.stringify(username.slice(0, 128))}; create it with POST /lab/users or the seed file's users`,
    );
  return user;
}

/** Roles as the API shows them: account domain, role name and (VA roles) the VA's name. */
export async function describeGrants(
  tx: Tx,
  user: User,
): Promise<{ account: string; role: RoleName; virtualAccount?: string }[]> {
  const out: { account: string; role: RoleName; virtualAccount?: string }[] = [];
  for (const g of user.roles) {
    const account = await tx.get('smartAccounts', g.accountId);
    if (!account) continue;
    if (g.vaId === undefined) out.push({ account: account.domain, role: g.role });
    else {
      const va = await tx.get('virtualAccounts', g.vaId);
      if (va) out.push({ account: account.domain, role: g.role, virtualAccount: va.name });
    }
  }
  return out;
}
