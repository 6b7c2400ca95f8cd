/**
 * Records as the Smart Accounts and Licensing API shows them: field names, spellings and value styles
 * from cssm-api.md §1.3 (string `isDefault`, `"Allowed"`/`"Not Allowed"`, `sudi` with its null members,
 * `displayName` "UDI_PID:…; UDI_SN:…; "). Fields the reference marks unconfirmed are the lab's choice,
 * listed in cloud-mock/README.md ("Management API").
 */
import { createHash } from 'node:crypto';
import { findEntitlement } from '#protocol';
import { isActive, summarizePool, tokenState } from '../domain/index.ts';
import type { LicensePool, ProductInstance, RegistrationToken, VirtualAccount } from '../store/index.ts';

/** `2022-07-11T14:33:41Z`: ISO without milliseconds, as the devices list shows dates. */
export function ciscoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2019-05-20`: licenseDetails start and end dates. */
export function ciscoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** CSSM's numeric smart/virtual account ids (6 digits in examples), derived from the record id. */
export function numericId(uuid: string): number {
  return 100_000 + (parseInt(createHash('sha256').update(uuid).digest('hex').slice(0, 12), 16) % 900_000);
}

/** Cisco's status envelope of the classic API (cssm-api.md §1.4): the payload first, then statusMessage and status. */
export function success<T extends object>(
  payload: T,
  statusMessage = '',
): T & { statusMessage: string; status: 'SUCCESS' } {
  return { ...payload, statusMessage, status: 'SUCCESS' };
}

export function virtualAccountJson(va: VirtualAccount) {
  return {
    name: va.name,
    description: va.description,
    isDefault: va.isDefault ? 'Yes' : 'No',
    commerceAccessLevel: va.commerceAccessLevel ?? 'PUBLIC',
  };
}

export function tokenJson(t: RegistrationToken, va: VirtualAccount, now: number) {
  return {
    token: t.id,
    description: t.description,
    virtualAccount: va.name,
    creationDate: ciscoTime(t.createdAt),
    expirationDate: ciscoTime(t.expiresAt),
    exportControlled: t.exportControlled ? 'Allowed' : 'Not Allowed',
    usesAllowed: t.maxUses,
    uses: t.uses,
    createdBy: t.createdBy,
    status: tokenState(t, now),
  };
}

type DetailStatus = 'ACTIVE' | 'EXPIRED' | 'PENDING';

export function licenseJson(pool: LicensePool, va: VirtualAccount, now: number) {
  const s = summarizePool(pool, now);
  return {
    license: pool.licenseName,
    virtualAccount: va.name,
    quantity: s.purchased,
    inUse: s.inUse,
    available: s.balance,
    status: s.status,
    billingType: 'PREPAID',
    ahaApps: false,
    pendingQuantity: pool.entries.filter((e) => e.startAt > now).reduce((n, e) => n + e.quantity, 0),
    reserved: s.reserved,
    isPortable: false,
    licenseSubstitutions: [],
    licenseDetails: pool.entries.map((e) => ({
      licenseType: e.licenseType,
      quantity: e.quantity,
      startDate: ciscoDay(e.startAt),
      endDate: e.endAt === null ? null : ciscoDay(e.endAt),
      subscriptionId: e.subscriptionId,
      status: (isActive(e, now) ? 'ACTIVE' : e.startAt > now ? 'PENDING' : 'EXPIRED') satisfies DetailStatus,
    })),
  };
}

/**
 * The product tag (`regid.…` software identifier) devices report is not in the lab's device protocol;
 * one per PID is derived so clients that match devices by productTagName (cssm-api.md §1.3.8) can.
 */
export function productTagName(pid: string): string {
  const h = createHash('sha256').update(pid).digest('hex');
  return `regid.2017-03.com.cisco.${pid},1.0_${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function sudiJson(pi: ProductInstance) {
  return {
    udiPid: pi.udi.pid,
    udiSerialNumber: pi.udi.sn,
    udiVid: null,
    uuid: null,
    suvi: null,
    hostIdentifier: null,
    macAddress: null,
  };
}

export function deviceJson(pi: ProductInstance, va: VirtualAccount) {
  return {
    licenseUsage: Object.entries(pi.entitlements).map(([tag, quantity]) => ({
      license: findEntitlement(tag)?.name ?? tag,
      quantity,
    })),
    hostName: pi.hostname,
    sudi: sudiJson(pi),
    displayName: `UDI_PID:${pi.udi.pid}; UDI_SN:${pi.udi.sn}; `,
    productTagName: productTagName(pi.udi.pid),
    productName: pi.udi.pid,
    productDescription: '',
    productType: '',
    virtualAccount: va.name,
    status: pi.lastAuthorization === 'OUT_OF_COMPLIANCE' ? 'Out Of Compliance' : 'In Compliance',
    registrationDate: ciscoTime(pi.registeredAt),
    lastContactDate: ciscoTime(pi.lastContactAt),
  };
}

/** One page of `items` (`limit` -1: all, as On-Prem clients send; cssm-api.md §3). */
export function page<T>(items: T[], limit: number, offset: number): T[] {
  return limit < 0 ? items.slice(offset) : items.slice(offset, offset + limit);
}
