/**
 * The SLP policy of a virtual account (smart-licensing.md §9.2): DEFAULT_POLICY until a customer policy is
 * set; a custom policy rides on the next ACK of each instance that has not been sent it yet.
 */
import { DEFAULT_POLICY, type Policy } from '#protocol';
import type { ProductInstance, VirtualAccount } from '../store/index.ts';

export function policyOf(va: VirtualAccount): Policy {
  return va.slpPolicy?.policy ?? DEFAULT_POLICY;
}

/** The VA's custom policy when `instance` has not been sent this version of it; undefined otherwise. */
export function policyToSend(va: VirtualAccount, instance: ProductInstance): Policy | undefined {
  const custom = va.slpPolicy;
  return custom && instance.slp?.policySentAt !== custom.setAt ? custom.policy : undefined;
}
