/**
 * Product-instance registration tokens (ID tokens). Portal settings: description, "Expire After" days,
 * max number of uses, export-controlled check box (smart-licensing.md §2.2). A token is reusable until it
 * expires, reaches its use limit or is revoked.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RegistrationToken, SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { DAY } from '#protocol';

const TOKEN_VALUE_RE = /^[A-Za-z0-9%=+/_.-]{8,255}$/;

export interface NewToken {
  /** A fixed token string (seed files, so scenarios can name it); generated when absent. */
  value?: string;
  description?: string;
  expiresAfterDays?: number;
  maxUses?: number | null;
  exportControlled?: boolean;
}

/**
 * Real tokens are opaque base64 led by a UUID, with URL-encoded line breaks (`%0A`) and a trailing `%3D`
 * (C9K-ANSIBLE capture; cssm-api.md §1.3.5). We keep that shape: base64(uuid-expiry)%0Abase64(random)%3D.
 */
function newTokenString(expiresAt: number): string {
  const head = Buffer.from(`${randomUUID()}-${Math.floor(expiresAt / 1000)}`)
    .toString('base64')
    .replace(/=+$/, '');
  const tail = randomBytes(48).toString('base64').replace(/=+$/, '');
  return `${head}%0A${tail}%3D`;
}

export async function createToken(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  va: VirtualAccount,
  input: NewToken,
): Promise<RegistrationToken> {
  const { tokenDefaultDays, tokenMaxDays } = ctx.policy;
  const days = input.expiresAfterDays ?? tokenDefaultDays;
  if (!Number.isInteger(days) || days < 1 || days > tokenMaxDays) {
    fail(
      'INVALID_VALUE',
      `expiresAfterDays must be a whole number of days from 1 to ${tokenMaxDays}, got ${JSON.stringify(input.expiresAfterDays)}`,
    );
  }
  const maxUses = input.maxUses ?? null;
  if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1_000_000)) {
    fail(
      'INVALID_VALUE',
      `maxUses must be a whole number from 1 to 1000000 (or empty for unlimited), got ${JSON.stringify(input.maxUses)}`,
    );
  }
  const description = input.description ?? '';
  if (description.length > 100)
    fail('INVALID_VALUE', `token description is ${description.length} characters; at most 100`);
  if (input.value !== undefined) {
    if (!TOKEN_VALUE_RE.test(input.value))
      fail(
        'INVALID_VALUE',
        `token value must be 8–255 characters of A-Z a-z 0-9 % = + / _ . -, got ${JSON.stringify(input.value.slice(0, 40))}`,
      );
    if (await tx.get('registrationTokens', input.value))
      fail('INVALID_VALUE', `a registration token with value ${input.value.slice(0, 24)}… exists`);
  }
  const now = ctx.clock.now();
  const expiresAt = now + days * DAY;
  const token: RegistrationToken = {
    id: input.value ?? newTokenString(expiresAt),
    accountId: account.id,
    vaId: va.id,
    description,
    createdAt: now,
    createdBy: ctx.actor,
    expiresAt,
    maxUses,
    uses: 0,
    exportControlled: input.exportControlled ?? false,
    revokedAt: null,
  };
  await tx.put('registrationTokens', token);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: va.id,
    kind: 'token.created',
    message: `Registration token created (expires after ${days} days${maxUses ? `, ${maxUses} uses` : ''}, export-controlled ${token.exportControlled ? 'allowed' : 'not allowed'})`,
    data: { description, expiresAt, maxUses, exportControlled: token.exportControlled },
  });
  return token;
}

export type TokenState = 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'USED_UP';

export function tokenState(token: RegistrationToken, now: number): TokenState {
  if (token.revokedAt !== null) return 'REVOKED';
  if (now >= token.expiresAt) return 'EXPIRED';
  if (token.maxUses !== null && token.uses >= token.maxUses) return 'USED_UP';
  return 'ACTIVE';
}

export async function listTokens(tx: Tx, va: VirtualAccount): Promise<RegistrationToken[]> {
  return (await tx.list('registrationTokens', { va_id: va.id })).sort((a, b) => a.createdAt - b.createdAt);
}

/** Revokes the named tokens of the VA; unknown ones fail the whole call so nothing half-happens. */
export async function revokeTokens(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  tokens: string[],
): Promise<RegistrationToken[]> {
  const found: RegistrationToken[] = [];
  for (const id of tokens) {
    const token = await tx.get('registrationTokens', id);
    if (!token || token.vaId !== va.id)
      fail('TOKEN_NOT_FOUND', `virtual account ${va.name} has no registration token ${id.slice(0, 24)}…`);
    found.push(token);
  }
  for (const token of found) {
    if (token.revokedAt !== null) continue;
    token.revokedAt = ctx.clock.now();
    await tx.put('registrationTokens', token);
    await logEvent(tx, ctx, {
      accountId: va.accountId,
      vaId: va.id,
      kind: 'token.revoked',
      message: `Registration token ${token.id.slice(0, 16)}… revoked`,
    });
  }
  return found;
}

/** The token a registration presents, if it may still be used; the refusal names why not. */
export async function requireUsableToken(tx: Tx, ctx: DomainContext, value: string): Promise<RegistrationToken> {
  const token = await tx.get('registrationTokens', value);
  if (!token)
    fail(
      'TOKEN_UNKNOWN',
      `registration token ${value.slice(0, 16)}… (${value.length} characters) is not known to the cloud; check it was copied whole`,
    );
  const state = tokenState(token, ctx.clock.now());
  if (state === 'REVOKED')
    fail('TOKEN_REVOKED', `the registration token was revoked on ${new Date(token.revokedAt!).toISOString()}`);
  if (state === 'EXPIRED')
    fail('TOKEN_EXPIRED', `the registration token expired on ${new Date(token.expiresAt).toISOString()}`);
  if (state === 'USED_UP')
    fail('TOKEN_USES_EXHAUSTED', `the registration token was used ${token.uses} of ${token.maxUses} allowed times`);
  return token;
}
