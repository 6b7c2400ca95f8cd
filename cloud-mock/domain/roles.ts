/**
 * What each CSSM role may do (seed 002, "Smart Account and Virtual Accounts User Roles"):
 * - Smart Account Administrator: everything in the smart account (virtual accounts, licenses, event log).
 * - Smart Account User: all virtual accounts, licensing activities; no virtual accounts created, no event log.
 * - Smart Account Approver: sees the account, its users' activity (event log) and alerts; cannot manage licenses.
 * - Virtual Account Administrator: licenses and the event log of the assigned virtual accounts.
 * - Virtual Account User: licenses of the assigned virtual accounts.
 * Nobody reaches a smart account they hold no role on. Reading licenses, tokens and devices counts as
 * managing licenses here, so an approver sees neither (a registration token is a credential).
 */
import type { RoleName, SmartAccount, Tx, User, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { DomainError } from './domain-error.ts';
import { logEvent } from './event-log.ts';

export type Permission =
  'account.read' | 'virtual-accounts.manage' | 'licenses.read' | 'licenses.manage' | 'events.read' | 'alerts.read';

export const roleNames: readonly RoleName[] = [
  'Smart Account Administrator',
  'Smart Account User',
  'Smart Account Approver',
  'Virtual Account Administrator',
  'Virtual Account User',
];

const ALL: Permission[] = [
  'account.read',
  'virtual-accounts.manage',
  'licenses.read',
  'licenses.manage',
  'events.read',
  'alerts.read',
];

export const rolePermissions: Record<RoleName, readonly Permission[]> = {
  'Smart Account Administrator': ALL,
  'Smart Account User': ['account.read', 'licenses.read', 'licenses.manage', 'alerts.read'],
  'Smart Account Approver': ['account.read', 'events.read', 'alerts.read'],
  'Virtual Account Administrator': ['account.read', 'licenses.read', 'licenses.manage', 'events.read', 'alerts.read'],
  'Virtual Account User': ['account.read', 'licenses.read', 'licenses.manage', 'alerts.read'],
};

/** How a refusal says what was refused. */
const actionText: Record<Permission, string> = {
  'account.read': 'see',
  'virtual-accounts.manage': 'create or delete virtual accounts',
  'licenses.read': 'read licenses, tokens and devices',
  'licenses.manage': 'manage licenses, tokens and devices',
  'events.read': 'read the event log',
  'alerts.read': 'read alerts',
};

export function isVaRole(role: RoleName): boolean {
  return role.startsWith('Virtual Account');
}

/** Who calls the management API: the user a bearer token acts for, through which API client. */
export interface Caller {
  user: User;
  clientId: string;
  /** Written into the event log. */
  actor: string;
}

/** A 403 that remembers where it happened, so the API can log it on that account (not sent to the caller). */
export class AccessDenied extends DomainError {
  readonly actor: string;
  readonly accountId: string | null;
  readonly vaId: string | null;
  readonly permission: Permission;

  constructor(
    message: string,
    where: { actor: string; permission: Permission; accountId: string | null; vaId: string | null },
  ) {
    super('ACCESS_DENIED', message);
    this.actor = where.actor;
    this.permission = where.permission;
    this.accountId = where.accountId;
    this.vaId = where.vaId;
  }
}

/** Every denial lands in the event log of the account it was aimed at (null: an account that does not exist). */
export async function logAccessDenied(
  tx: Tx,
  ctx: DomainContext,
  denial: AccessDenied,
  request: { method: string; path: string },
): Promise<void> {
  await logEvent(tx, ctx, {
    accountId: denial.accountId,
    vaId: denial.vaId,
    kind: 'access.denied',
    message: `Denied ${request.method} ${request.path.slice(0, 300)}: ${denial.message}`,
    data: { permission: denial.permission, method: request.method, path: request.path.slice(0, 300) },
  });
}

/**
 * May the caller do `permission` on the account (va undefined: account-wide) or on one VA of it?
 * Account-wide actions need a Smart Account role, except seeing the account at all, which any role allows.
 */
export function can(caller: Caller, permission: Permission, account: SmartAccount, va?: VirtualAccount): boolean {
  return caller.user.roles.some(
    (g) =>
      g.accountId === account.id &&
      rolePermissions[g.role].includes(permission) &&
      (!isVaRole(g.role) || (va ? g.vaId === va.id : permission === 'account.read')),
  );
}

function describeRoles(caller: Caller, account: SmartAccount, vaNames: Map<string, string>): string {
  const held = caller.user.roles
    .filter((g) => g.accountId === account.id)
    .map((g) => (g.vaId ? `${g.role} (${vaNames.get(g.vaId) ?? 'a deleted virtual account'})` : g.role));
  return held.length ? held.join(', ') : 'none';
}

/** Throws ACCESS_DENIED naming the user, the action, the place and the roles they hold there. */
export function requireAccess(
  caller: Caller,
  permission: Permission,
  account: SmartAccount,
  va?: VirtualAccount,
  vaNames: Map<string, string> = new Map(),
): void {
  if (can(caller, permission, account, va)) return;
  const where = va ? `virtual account ${va.name} of ${account.domain}` : `smart account ${account.domain}`;
  throw new AccessDenied(
    `${caller.user.username} may not ${actionText[permission]} on ${where}; roles held there: ${describeRoles(caller, account, vaNames)}`,
    {
      actor: caller.actor,
      permission,
      accountId: account.id,
      vaId: va?.id ?? null,
    },
  );
}

/** The VAs of the account on which the caller may do `permission`. */
export function permittedVas(
  caller: Caller,
  permission: Permission,
  account: SmartAccount,
  vas: VirtualAccount[],
): VirtualAccount[] {
  return vas.filter((va) => can(caller, permission, account, va));
}
