/**
 * A classic Smart Licensing device booting its first 17.x image (smart-licensing.md §9.1: "existing
 * reservations carry over on upgrade"; the SLP guides' conversion of a registered device): its registration
 * becomes a trust code valid as long as its ID certificate was, and its Smart Account / Virtual Account are
 * kept as the account information; its reservation (SLR / PLR installed, or only configured, or a request
 * pending) is kept as it was (the same record, license-reservation.ts), so the device stays reserved and
 * reports nothing. Once: a later factory reset does not bring it back. The classic record is left as it
 * is (the box's storage; lab choice: a downgrade finds it as the 16.x agent left it).
 */
import type { SlpRecord } from './slp-record.ts';
import type { SmartRecord } from './smart-context.ts';

export function convertedFromSmart(slp: SlpRecord, smart: SmartRecord, now: number): SlpRecord {
  const id = smart.identity;
  const r = smart.reservation;
  const reservation = r && (r.enabled || r.installed !== undefined) ? r : undefined;
  if (slp.convertedAt !== undefined || (id === undefined && reservation === undefined)) return slp;
  return {
    ...slp,
    convertedAt: now,
    ...(id
      ? {
          trust: slp.trust ?? {
            installedAt: now,
            validFrom: id.notBefore,
            validUntil: id.notAfter,
            exportControlled: id.exportControlled,
          },
          account: slp.account ?? { smartAccount: id.smartAccount, virtualAccount: id.virtualAccount, asOf: now },
        }
      : {}),
    ...(reservation && slp.reservation === undefined ? { reservation } : {}),
  };
}
