/**
 * Compliance and alerts per virtual account, derived from current state at read time (so they can never
 * disagree with the pools). Alert kinds and severities follow CSSM's Alerts tab ("Insufficient Licenses",
 * "Licenses Expiring", "Product Instance Failed to Connect"; severities Major/Minor as On-Prem's alerts
 * API reports them, cssm-api.md §3).
 */
import type { SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import { summarizePool, type PoolSummary } from './pools.ts';
import { DAY } from '#protocol';

export interface Alert {
  severity: 'Major' | 'Minor';
  messageType: 'Insufficient Licenses' | 'Licenses Expiring' | 'Product Instance Failed to Connect';
  virtualAccount: string;
  source: string;
  message: string;
}

export async function vaCompliance(tx: Tx, va: VirtualAccount, now: number): Promise<PoolSummary[]> {
  return (await tx.list('licensePools', { va_id: va.id }))
    .map((p) => summarizePool(p, now))
    .sort((a, b) => a.licenseName.localeCompare(b.licenseName));
}

export async function accountAlerts(
  tx: Tx,
  account: SmartAccount,
  now: number,
  only?: VirtualAccount,
): Promise<Alert[]> {
  const vas = only ? [only] : await tx.list('virtualAccounts', { account_id: account.id });
  const alerts: Alert[] = [];
  for (const va of vas) {
    for (const pool of await vaCompliance(tx, va, now)) {
      if (pool.balance < 0) {
        alerts.push({
          severity: 'Major',
          messageType: 'Insufficient Licenses',
          virtualAccount: va.name,
          source: pool.licenseName,
          message: `${-pool.balance} more ${pool.licenseName} in use than purchased (${pool.inUse} in use, ${pool.purchased} purchased)`,
        });
      }
      for (const e of pool.expiring) {
        const days = Math.ceil((e.endAt - now) / DAY);
        alerts.push({
          severity: days <= 30 ? 'Major' : 'Minor',
          messageType: 'Licenses Expiring',
          virtualAccount: va.name,
          source: pool.licenseName,
          message: `${e.quantity} ${e.licenseType} ${pool.licenseName} expire in ${days} day(s) on ${new Date(e.endAt).toISOString().slice(0, 10)}`,
        });
      }
    }
    for (const pi of await tx.list('productInstances', { va_id: va.id })) {
      const silent = now - pi.lastContactAt;
      if (silent > 30 * DAY) {
        alerts.push({
          severity: silent > 90 * DAY ? 'Major' : 'Minor',
          messageType: 'Product Instance Failed to Connect',
          virtualAccount: va.name,
          source: pi.udiKey,
          message: `${pi.hostname} (${pi.udiKey}) has not connected for ${Math.floor(silent / DAY)} days`,
        });
      }
    }
  }
  return alerts;
}
