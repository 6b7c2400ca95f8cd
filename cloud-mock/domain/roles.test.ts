import { describe, expect, it } from 'vitest';
import type { RoleGrant, SmartAccount, VirtualAccount } from '../store/index.ts';
import {
  AccessDenied,
  can,
  permittedVas,
  requireAccess,
  rolePermissions,
  type Caller,
  type Permission,
} from './roles.ts';

const account: SmartAccount = { id: 'a1', name: 'Example', domain: 'example.com', type: 'CUSTOMER', createdAt: 0 };
const other: SmartAccount = { ...account, id: 'a2', domain: 'other.example' };
const east: VirtualAccount = {
  id: 'v1',
  accountId: 'a1',
  name: 'east',
  description: '',
  isDefault: false,
  createdAt: 0,
};
const west: VirtualAccount = { ...east, id: 'v2', name: 'west' };
const caller = (...roles: RoleGrant[]): Caller => ({
  user: { id: 'u', username: 'alice@example.com', passwordHash: null, roles, createdAt: 0 },
  clientId: 'c',
  actor: 'user:alice@example.com',
});

describe('roles', () => {
  it('smart-account roles apply to every VA of their account and to no other account', () => {
    const admin = caller({ accountId: 'a1', role: 'Smart Account Administrator' });
    for (const p of rolePermissions['Smart Account Administrator'])
      expect(can(admin, p, account, west) && can(admin, p, account)).toBe(true);
    expect(can(admin, 'account.read', other)).toBe(false);
    const approver = caller({ accountId: 'a1', role: 'Smart Account Approver' });
    expect(
      (['licenses.read', 'licenses.manage', 'virtual-accounts.manage'] as Permission[]).some((p) =>
        can(approver, p, account, east),
      ),
    ).toBe(false);
    expect(can(approver, 'events.read', account)).toBe(true);
    expect(can(caller({ accountId: 'a1', role: 'Smart Account User' }), 'virtual-accounts.manage', account)).toBe(
      false,
    );
  });

  it('VA roles apply to their VA only, and account-wide only to seeing the account', () => {
    const vaUser = caller({ accountId: 'a1', role: 'Virtual Account User', vaId: 'v1' });
    expect([
      can(vaUser, 'licenses.manage', account, east),
      can(vaUser, 'licenses.manage', account, west),
      can(vaUser, 'licenses.manage', account),
    ]).toEqual([true, false, false]);
    expect([can(vaUser, 'account.read', account), can(vaUser, 'events.read', account, east)]).toEqual([true, false]);
    expect(
      can(caller({ accountId: 'a1', role: 'Virtual Account Administrator', vaId: 'v1' }), 'events.read', account, east),
    ).toBe(true);
    expect(permittedVas(vaUser, 'licenses.read', account, [east, west])).toEqual([east]);
  });

  it('a refusal is an AccessDenied naming user, action, place and held roles, and where to log it', () => {
    const vaUser = caller({ accountId: 'a1', role: 'Virtual Account User', vaId: 'v1' });
    let err: unknown;
    try {
      requireAccess(vaUser, 'licenses.manage', account, west, new Map([['v1', 'east']]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AccessDenied);
    expect(err).toMatchObject({
      code: 'ACCESS_DENIED',
      accountId: 'a1',
      vaId: 'v2',
      permission: 'licenses.manage',
      actor: 'user:alice@example.com',
    });
    expect((err as Error).message).toBe(
      'alice@example.com may not manage licenses, tokens and devices on virtual account west of example.com; roles held there: Virtual Account User (east)',
    );
    expect(() => requireAccess(caller(), 'account.read', account)).toThrow('roles held there: none');
  });
});
