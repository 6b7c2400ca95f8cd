/**
 * The SLP policy of a virtual account (smart-licensing.md §9.2): DEFAULT_POLICY until a customer policy is
 * set. Each change is a new version (its `setAt`) that rides on the next ACK of every instance not yet sent
 * it, a reset to the default included, so devices that installed a customer policy hear of its end too.
 * Only an ACK counts as sending it; a downloaded POLICY file does not.
 */
import { DEFAULT_POLICY, type Policy, type PolicyPayload, type SignedDocument } from '#protocol';
import type { ProductInstance, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { logEvent } from './event-log.ts';
import { sudiOfUdi } from './slp-instances.ts';

export type CustomPolicy = Omit<Policy, 'origin'>;

export function policyOf(va: VirtualAccount): Policy {
  return va.slpPolicy?.policy ?? DEFAULT_POLICY;
}

/** The VA's policy when it was changed since `instance` was last sent it; undefined otherwise. */
export function policyToSend(va: VirtualAccount, instance: ProductInstance): Policy | undefined {
  const set = va.slpPolicy;
  return set && instance.slp?.policySentAt !== set.setAt ? set.policy : undefined;
}

/** Sets the VA's customer policy, or (null) goes back to the Cisco default. */
export async function setVaPolicy(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  custom: CustomPolicy | null,
): Promise<Policy> {
  const policy: Policy = custom ? { ...custom, origin: 'Customer Policy' } : DEFAULT_POLICY;
  // Strictly later than the version it replaces, so two changes in one lab millisecond are two versions.
  const setAt = Math.max(ctx.clock.now(), (va.slpPolicy?.setAt ?? 0) + 1);
  va.slpPolicy = { policy, setAt };
  await tx.put('virtualAccounts', va);
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'slp.policy-set',
    message: custom
      ? `SLP policy of ${va.name} set to ${policy.name}`
      : `SLP policy of ${va.name} reset to the Cisco default`,
    data: { policy },
  });
  return policy;
}

/**
 * A POLICY document for `license smart import`: the VA's policy, for one instance (named in the payload) or
 * for any device of the VA. It changes nothing (a download is a read: who fetches a file has not installed
 * it on the device), so the policy still rides on the instance's next ACK until an ACK carries it.
 */
export async function policyDocument(
  _tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  instance?: ProductInstance,
): Promise<SignedDocument> {
  const payload: PolicyPayload = {
    policy: policyOf(va),
    issued_at: ctx.clock.now(),
    ...(instance ? { sudi: sudiOfUdi(instance.udi) } : {}),
  };
  return ctx.licenseKey.signDocument('POLICY', payload);
}
