/**
 * License summary by tag for SLP tools (cssm-api.md §1.3.11, `POST /v3/licenses/summary`): per entitlement
 * of a virtual account, what was bought, what devices report in use, what SLACs and reservations hold, and
 * the compliance that follows (usage-based compliance: reported in-use against purchased).
 */
import { findEntitlement } from '#protocol';
import type { Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { isActive, summarizePool } from './pools.ts';

/** Export-controlled licenses (HSECK9: strong crypto throughput) need a SLAC before use (smart-licensing.md §9.1). */
export function isExportControlledTag(tag: string): boolean {
  return findEntitlement(tag)?.feature === 'hseck9';
}

export interface TagSummary {
  tag: string;
  compliance_status: 'In Compliance' | 'Out Of Compliance';
  display_name: string;
  enforced: boolean;
  export_restricted: boolean;
  license_details: {
    billing_type: 'PREPAID';
    quantity: number;
    license_type: string;
    status: 'ACTIVE' | 'EXPIRED' | 'PENDING';
    start_date: string | null;
    end_date: string | null;
    subscription_id: string | null;
    postpaid_usage: null;
    billing_model: null;
  }[];
  prepaid_entitled: number;
  prepaid_inuse: number;
  prepaid_reserved: number;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The named tags (catalogue tags only; none named: every pool the VA has), in the order asked. */
export async function licenseSummary(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  tags: string[],
): Promise<TagSummary[]> {
  const now = ctx.clock.now();
  const pools = await tx.list('licensePools', { va_id: va.id });
  const unknown = tags.find((t) => !findEntitlement(t) && !pools.some((p) => p.tag === t));
  if (unknown !== undefined)
    fail('ENTITLEMENT_UNKNOWN', `entitlement tag ${JSON.stringify(unknown.slice(0, 255))} is not in the catalogue`);
  const wanted = tags.length > 0 ? [...new Set(tags)] : pools.map((p) => p.tag).sort();
  return wanted.map((tag) => {
    const pool = pools.find((p) => p.tag === tag);
    const s = pool && summarizePool(pool, now);
    const exportControlled = isExportControlledTag(tag);
    return {
      tag,
      compliance_status: s?.status ?? 'In Compliance',
      display_name: pool?.licenseName ?? findEntitlement(tag)!.name,
      enforced: exportControlled,
      export_restricted: exportControlled,
      license_details: (pool?.entries ?? []).map((e) => ({
        billing_type: 'PREPAID',
        quantity: e.quantity,
        license_type: e.licenseType,
        status: isActive(e, now) ? 'ACTIVE' : e.startAt > now ? 'PENDING' : 'EXPIRED',
        start_date: e.licenseType === 'PERPETUAL' ? null : day(e.startAt),
        end_date: e.endAt === null ? null : day(e.endAt),
        subscription_id: e.subscriptionId,
        postpaid_usage: null,
        billing_model: null,
      })),
      prepaid_entitled: s?.purchased ?? 0,
      prepaid_inuse: s?.inUse ?? 0,
      prepaid_reserved: s?.reserved ?? 0,
    };
  });
}
