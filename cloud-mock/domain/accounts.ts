/** Smart accounts (customer or partner holding) and their virtual accounts. */
import { randomUUID } from 'node:crypto';
import type { AccountType, SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';

/** Every smart account gets one default virtual account, named like CSSM's. */
export const DEFAULT_VA_NAME = 'DEFAULT';

const DOMAIN_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

export interface NewSmartAccount {
  name: string;
  domain: string;
  type?: AccountType;
}

export async function createSmartAccount(tx: Tx, ctx: DomainContext, input: NewSmartAccount): Promise<SmartAccount> {
  const domain = input.domain.trim().toLowerCase();
  if (!DOMAIN_RE.test(domain))
    fail('INVALID_VALUE', `smart account domain "${input.domain}" is not a domain name (like example.com)`);
  const name = input.name.trim();
  if (name.length === 0 || name.length > 128)
    fail('INVALID_VALUE', `smart account name must be 1–128 characters, got ${JSON.stringify(input.name)}`);
  const type = input.type ?? 'CUSTOMER';
  if (type !== 'CUSTOMER' && type !== 'HOLDING')
    fail('INVALID_VALUE', `smart account type "${String(type)}" is not CUSTOMER or HOLDING`);
  if (await tx.findOne('smartAccounts', { domain }))
    fail('ACCOUNT_EXISTS', `a smart account with domain ${domain} exists`);
  const account: SmartAccount = { id: randomUUID(), name, domain, type, createdAt: ctx.clock.now() };
  await tx.put('smartAccounts', account);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'account.created',
    message: `Smart account ${name} (${domain}) created`,
    data: { type },
  });
  await createVirtualAccount(tx, ctx, account, {
    name: DEFAULT_VA_NAME,
    description: 'Default virtual account',
    isDefault: true,
  });
  return account;
}

export async function requireAccount(tx: Tx, domain: string): Promise<SmartAccount> {
  const account = await tx.findOne('smartAccounts', { domain: domain.trim().toLowerCase() });
  if (!account) {
    const known = (await tx.list('smartAccounts')).map((a) => a.domain);
    fail(
      'ACCOUNT_NOT_FOUND',
      `no smart account has domain "${domain}"${known.length ? `; known: ${known.join(', ')}` : ''}`,
    );
  }
  return account;
}

export interface NewVirtualAccount {
  name: string;
  description?: string;
  isDefault?: boolean;
  commerceAccessLevel?: 'PUBLIC' | 'PRIVATE';
}

export async function createVirtualAccount(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  input: NewVirtualAccount,
): Promise<VirtualAccount> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 64)
    fail('INVALID_VALUE', `virtual account name must be 1–64 characters, got ${JSON.stringify(input.name)}`);
  if (await tx.findOne('virtualAccounts', { account_id: account.id, name })) {
    fail('VIRTUAL_ACCOUNT_EXISTS', `smart account ${account.domain} already has a virtual account named "${name}"`);
  }
  const va: VirtualAccount = {
    id: randomUUID(),
    accountId: account.id,
    name,
    description: input.description ?? '',
    isDefault: input.isDefault ?? false,
    ...(input.commerceAccessLevel ? { commerceAccessLevel: input.commerceAccessLevel } : {}),
    createdAt: ctx.clock.now(),
  };
  await tx.put('virtualAccounts', va);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: va.id,
    kind: 'virtual-account.created',
    message: `Virtual account ${name} created`,
  });
  return va;
}

export async function requireVirtualAccount(tx: Tx, account: SmartAccount, name: string): Promise<VirtualAccount> {
  const va = await tx.findOne('virtualAccounts', { account_id: account.id, name });
  if (!va) {
    const known = (await tx.list('virtualAccounts', { account_id: account.id })).map((v) => v.name);
    fail(
      'VIRTUAL_ACCOUNT_NOT_FOUND',
      `smart account ${account.domain} has no virtual account "${name}"; known: ${known.join(', ')}`,
    );
  }
  return va;
}

/** CSSM refuses to delete a VA that still holds licenses or product instances; the default VA stays. */
export async function deleteVirtualAccount(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  name: string,
): Promise<void> {
  const va = await requireVirtualAccount(tx, account, name);
  if (va.isDefault)
    fail(
      'VIRTUAL_ACCOUNT_NOT_EMPTY',
      `virtual account ${name} is the default of ${account.domain} and cannot be deleted`,
    );
  const instances = await tx.list('productInstances', { va_id: va.id });
  const pools = (await tx.list('licensePools', { va_id: va.id })).filter((p) => p.entries.length > 0 || p.inUse > 0);
  if (instances.length > 0 || pools.length > 0) {
    fail(
      'VIRTUAL_ACCOUNT_NOT_EMPTY',
      `virtual account ${name} still holds ${instances.length} product instance(s) and ${pools.length} license pool(s); transfer or remove them first`,
    );
  }
  for (const token of await tx.list('registrationTokens', { va_id: va.id }))
    await tx.remove('registrationTokens', token.id);
  for (const pool of await tx.list('licensePools', { va_id: va.id })) await tx.remove('licensePools', pool.id);
  await tx.remove('virtualAccounts', va.id);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: va.id,
    kind: 'virtual-account.deleted',
    message: `Virtual account ${name} deleted`,
  });
}
