/**
 * A classic Smart Licensing device booting its first 17.x image (smart-licensing.md §9.1: "existing
 * reservations carry over on upgrade"; the SLP guides' conversion of a registered device): its registration
 * becomes a trust code valid as long as its ID certificate was, and its Smart Account / Virtual Account are
 * kept as the account information. Once: a later factory reset does not bring it back.
 */
import type { SlpRecord } from './slp-record.ts';
import type { SmartRecord } from './smart-context.ts';

export function convertedFromSmart(slp: SlpRecord, smart: SmartRecord, now: number): SlpRecord {
  const id = smart.identity;
  if (slp.convertedAt !== undefined || id === undefined) return slp;
  return {
    ...slp,
    convertedAt: now,
    trust: slp.trust ?? {
      installedAt: now,
      validFrom: id.notBefore,
      validUntil: id.notAfter,
      exportControlled: id.exportControlled,
    },
    account: slp.account ?? { smartAccount: id.smartAccount, virtualAccount: id.virtualAccount, asOf: now },
  };
}
