/**
 * `license smart trust idtoken <token> [force]` (smart-licensing.md §9.5): with a VA's registration token the
 * cloud binds the UDI to the key the request proves it holds, and answers a trust code valid ~8 years,
 * backdated 5 minutes. The device then reports usage directly, signed with that key.
 */
import {
  DAY,
  TRUST_CLOCK_WINDOW_MS,
  TRUST_CODE_VALIDITY_DAYS,
  udiString,
  type SignedDocument,
  type Sudi,
  type TrustCodePayload,
} from '#protocol';
import type { Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { releaseInstance } from './product-instances.ts';
import { newSlpInstance, slpStateOf, udiOfSudi } from './slp-instances.ts';
import { requireUsableToken } from './tokens.ts';

export interface TrustInput {
  sudi: Sudi;
  hostname: string;
  idToken: string;
  /** base64 SPKI; the caller has checked the request is signed by its private key. */
  publicKey: string;
  force: boolean;
  /** The device clock (epoch ms) the request was sent at. */
  timestamp: number;
}

/** A trust code is installed only on a device whose clock is within an hour of the cloud's (§9.5). */
export function checkTrustClock(ctx: DomainContext, timestamp: number): void {
  const now = ctx.clock.now();
  if (Math.abs(timestamp - now) > TRUST_CLOCK_WINDOW_MS)
    fail(
      'TRUST_CLOCK_MISMATCH',
      `the device clock ${new Date(timestamp).toISOString()} is more than ${TRUST_CLOCK_WINDOW_MS / 60_000} minutes from the cloud clock ${new Date(now).toISOString()}; set the clock and ask again`,
    );
}

export async function trustInstance(tx: Tx, ctx: DomainContext, input: TrustInput): Promise<SignedDocument> {
  checkTrustClock(ctx, input.timestamp);
  const token = await requireUsableToken(tx, ctx, input.idToken);
  const account = (await tx.get('smartAccounts', token.accountId))!;
  const va = (await tx.get('virtualAccounts', token.vaId))!;
  const udi = udiOfSudi(input.sudi);
  const udiKey = udiString(udi);
  let instance = await tx.findOne('productInstances', { udi: udiKey });
  if (instance && !input.force) {
    if (instance.vaId !== va.id)
      fail(
        'UDI_REGISTERED_ELSEWHERE',
        `${udiKey} is already in ${instance.accountId === account.id ? 'another virtual account' : 'another smart account'}; ask with force to move it`,
      );
    const trusted = instance.slp?.trustedKey;
    if (trusted && trusted !== input.publicKey)
      fail('TRUST_KEY_CONFLICT', `${udiKey} is already trusted with another key; ask with force to replace it`);
  }
  if (instance && instance.vaId !== va.id) {
    await releaseInstance(tx, ctx, instance, 'instance.moved');
    instance = undefined;
  }

  const now = ctx.clock.now();
  const validFrom = now - ctx.policy.backdateMs;
  const validUntil = validFrom + TRUST_CODE_VALIDITY_DAYS * DAY;
  const fields = {
    hostname: input.hostname,
    publicKey: input.publicKey,
    tokenId: token.id,
    exportControlled: token.exportControlled,
  };
  if (instance) Object.assign(instance, fields, { certSerial: `slp-${instance.id}`, certNotAfter: 0 });
  else instance = newSlpInstance(ctx, va, udi, fields);
  const slp = slpStateOf(instance);
  Object.assign(slp, { trustedKey: input.publicKey, trustValidUntil: validUntil, reportKey: input.publicKey });
  instance.lastContactAt = now;
  await tx.put('productInstances', instance);
  token.uses += 1;
  await tx.put('registrationTokens', token);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: va.id,
    kind: 'slp.trusted',
    message: `${udiKey} (${input.hostname}) trusted in ${va.name} until ${new Date(validUntil).toISOString()}`,
    data: { udi: udiKey, hostname: input.hostname, force: input.force, validUntil, tokenUses: token.uses },
  });
  const payload: TrustCodePayload = {
    sudi: input.sudi,
    public_key: input.publicKey,
    issued_at: now,
    valid_from: validFrom,
    valid_until: validUntil,
    smart_account: account.name,
    virtual_account: va.name,
    export_controlled: token.exportControlled,
  };
  return ctx.licenseKey.signDocument('TRUST_CODE', payload);
}
