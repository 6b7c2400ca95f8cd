/**
 * License reservation on the portal side (smart-licensing.md §8.2, cssm-api.md §1.3.10): a device that will
 * never reach the cloud prints a request code; the portal reserves licenses of its VA for that UDI (SPECIFIC,
 * SLR) or all of them (UNIVERSAL, PLR, only where the VA may) and answers a RESERVATION document to install.
 * The reserved licenses leave the pool until the device's return code comes back.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  findEntitlement,
  parseReservationRequestCode,
  parseReservationReturnCode,
  udiString,
  type ReservationLicense,
  type ReservationPayload,
  type ReservationType,
  type SignedDocument,
} from '#protocol';
import type { ReservationRecord, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { holdLicenses } from './pools.ts';
import { sudiOfUdi } from './slp-instances.ts';

export interface ReservationRequest {
  reservationCode: string;
  reservationType: ReservationType;
  licenses: ReservationLicense[];
}

/** Checks and applies every request (all or none), answering one RESERVATION document per UDI. */
export async function reserveLicenses(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  requests: ReservationRequest[],
): Promise<SignedDocument[]> {
  const documents: SignedDocument[] = [];
  for (const [i, r] of requests.entries()) {
    const at = `reservationRequests[${i}]`;
    const parsed = parseReservationRequestCode(r.reservationCode);
    if (!parsed.ok) fail('RESERVATION_CODE_INVALID', `${at}: ${parsed.reason}`);
    const udiKey = udiString(parsed.udi);
    if (r.reservationType === 'UNIVERSAL' && !va.plrAllowed)
      fail('PLR_NOT_ALLOWED', `${at}: ${va.name} may not reserve UNIVERSAL licenses (PLR); SPECIFIC is allowed`);
    if (await tx.get('reservations', udiKey))
      fail('RESERVATION_EXISTS', `${at}: ${udiKey} already holds a reservation; return it before reserving again`);
    const licenses = new Map<string, number>();
    for (const l of r.licenses) {
      if (!findEntitlement(l.entitlementTag))
        fail(
          'ENTITLEMENT_UNKNOWN',
          `${at}: entitlement ${JSON.stringify(l.entitlementTag.slice(0, 255))} is not in the catalogue`,
        );
      licenses.set(l.entitlementTag, (licenses.get(l.entitlementTag) ?? 0) + l.quantity);
    }
    if (r.reservationType === 'SPECIFIC' && licenses.size === 0)
      fail('INVALID_VALUE', `${at}: a SPECIFIC reservation names the licenses it reserves`);
    for (const [tag, quantity] of licenses) await holdLicenses(tx, ctx, va, tag, quantity);
    const record: ReservationRecord = {
      id: udiKey,
      accountId: va.accountId,
      vaId: va.id,
      udi: parsed.udi,
      type: r.reservationType,
      licenses: [...licenses].map(([entitlementTag, quantity]) => ({ entitlementTag, quantity })),
      requestCode: r.reservationCode,
      confirmationCode: randomBytes(4).toString('hex').toUpperCase(),
      issuedAt: ctx.clock.now(),
    };
    await tx.put('reservations', record);
    await logEvent(tx, ctx, {
      accountId: va.accountId,
      vaId: va.id,
      kind: 'reservation.created',
      message: `${udiKey}: ${record.type} reservation of ${record.licenses.map((l) => `${l.quantity} ${findEntitlement(l.entitlementTag)!.name}`).join(', ') || 'every license (PLR)'}`,
      data: { udi: udiKey, type: record.type, licenses: record.licenses },
    });
    const payload: ReservationPayload = {
      udi: sudiOfUdi(record.udi),
      type: record.type,
      licenses: record.licenses,
      issued_at: record.issuedAt,
      confirmation_code: record.confirmationCode,
    };
    documents.push(ctx.licenseKey.signDocument('RESERVATION', payload));
  }
  return documents;
}

/** A secret compared in constant time; another length is simply another secret. */
function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The return code a device printed after removing its reservation: the licenses go back to the pool. */
export async function returnReservation(
  tx: Tx,
  ctx: DomainContext,
  va: VirtualAccount,
  returnCode: string,
): Promise<ReservationRecord> {
  const parsed = parseReservationReturnCode(returnCode);
  if (!parsed.ok) fail('RESERVATION_CODE_INVALID', parsed.reason);
  const udiKey = udiString(parsed.udi);
  const record = await tx.get('reservations', udiKey);
  if (!record || record.vaId !== va.id) fail('RESERVATION_NOT_FOUND', `${udiKey} holds no reservation in ${va.name}`);
  if (!sameCode(parsed.value, record.confirmationCode))
    fail('RETURN_CODE_INVALID', `the return code of ${udiKey} is not for the reservation it holds`);
  for (const l of record.licenses) await holdLicenses(tx, ctx, va, l.entitlementTag, -l.quantity);
  await tx.remove('reservations', udiKey);
  await logEvent(tx, ctx, {
    accountId: va.accountId,
    vaId: va.id,
    kind: 'reservation.returned',
    message: `${udiKey} returned its ${record.type} reservation; its licenses are back in ${va.name}`,
    data: { udi: udiKey, licenses: record.licenses },
  });
  return record;
}
