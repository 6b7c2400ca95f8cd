/**
 * SLR / PLR on the SLP agent (smart-licensing.md §8.2, §9.1): the classic agent's reservation record
 * (license-reservation.ts) kept in the SLP record, and what it changes in reporting. With an authorization
 * code installed no usage is reported and no ACK is due (reporting is not required with SLR/PLR on 17.x):
 * no RUM report opens, the push schedule stops, `Next ACK deadline: <none>`. Its return starts reporting
 * again as a first use does (lab choice: the first-report requirement counts from the return; the
 * reference has no capture). Pure functions of the record.
 */
import type { ReservationPayload } from '#protocol';
import {
  installedFrom,
  NO_RESERVATION,
  returned,
  withoutRequest,
  withRequest,
  type LicenseReservation,
} from './license-reservation.ts';
import type { SlpRecord } from './slp-record.ts';

export const reservationOf = (r: SlpRecord): LicenseReservation => r.reservation ?? NO_RESERVATION;

/** An authorization code installed: the chart's `reservation.installed`. */
export const isReserved = (r: SlpRecord): boolean => r.reservation?.installed !== undefined;

const withReservation = (r: SlpRecord, reservation: LicenseReservation): SlpRecord => ({ ...r, reservation });

/** `[no] license smart reservation`: off also forgets a pending request, as on the classic agent. */
export function reservationEnabled(r: SlpRecord, enabled: boolean): SlpRecord {
  const next = { ...reservationOf(r), enabled };
  return withReservation(r, enabled ? next : withoutRequest(next));
}

export const reservationRequested = (r: SlpRecord, code: string): SlpRecord =>
  withReservation(r, withRequest(reservationOf(r), code));

export const reservationCancelled = (r: SlpRecord): SlpRecord => withReservation(r, withoutRequest(reservationOf(r)));

/** Installed: the push schedule stops (nothing is reported while reserved). */
export function reservationInstalled(r: SlpRecord, p: ReservationPayload, code: string, now: number): SlpRecord {
  const { nextPushAt: _, ...rest } = withReservation(r, installedFrom(reservationOf(r), p, code, now));
  return rest;
}

/** Returned: usage counts as first used now, and the first push follows as at boot. */
export function reservationReturned(r: SlpRecord, returnCode: string, now: number, firstPushMs: number): SlpRecord {
  return {
    ...withReservation(r, returned(reservationOf(r), returnCode)),
    firstUseAt: now,
    nextPushAt: now + firstPushMs,
  };
}

/** A code never installed given back (17.x `return … authorization`): its return code kept, the request answered. */
export const reservationCodeReturned = (r: SlpRecord, returnCode: string): SlpRecord =>
  withReservation(r, { ...withoutRequest(reservationOf(r)), lastReturnCode: returnCode });
