/**
 * Specific / Permanent License Reservation as both agents keep it (smart-licensing.md §8.2,
 * cloud-mock/protocol/reservation.ts): the classic Smart agent of 16.x (its record's `reservation`) and the
 * SLP agent of 17.x, where a reservation is kept and can be made (§9.1; its record's `reservation`). The
 * request code the device prints, the authorization code it installs (a RESERVATION document signed by a
 * portal key it trusts, for its own UDI, checked whole before anything is stored) and the return code it
 * prints once the authorization is gone. Pure functions of the record and plain data; each chart decides
 * when each applies (Smart `agent.enabled.reserved`, SLP `reservation.installed`).
 */
import {
  findEntitlement,
  tagShortName,
  FILE_ELEMENTS,
  openDocument,
  parseSlpFile,
  reservationRequestCode,
  reservationReturnCode,
  type LicenseTrust,
  type ReservationPayload,
  type ReservationType,
  type Udi,
} from '#protocol';
import type { ReservationView } from './smart-view.ts';

/** What trusted storage keeps of reservation: the config line, the pending request, the installed code. */
export interface LicenseReservation {
  /** `license smart reservation` (config). */
  enabled: boolean;
  /** The request code printed by `reservation request local`, until installed or cancelled. */
  requestCode?: string;
  installed?: {
    type: ReservationType;
    licenses: { tag: string; quantity: number }[];
    confirmationCode: string;
    issuedAt: number;
    installedAt: number;
    /** The authorization code as installed (`Reservation authorization code:`). */
    code: string;
  };
  lastReturnCode?: string;
  lastConfirmationCode?: string;
}

export const NO_RESERVATION: LicenseReservation = { enabled: false };

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * An authorization code as typed (`install <code>`) or read from a file (`install file`): the portal's
 * one-line `<smartLicense><reservationAuthorizationCode>` text. Signed by a trusted portal key, for `udi`.
 */
export function openAuthorizationCode(text: string, trust: LicenseTrust, udi: Udi): Checked<ReservationPayload> {
  const file = parseSlpFile(text);
  if (!file.ok) return { ok: false, reason: `The Reservation Authorization Code is not valid (${file.reason})` };
  const entry = file.value.find((e) => e.element === FILE_ELEMENTS.RESERVATION);
  if (file.value.length !== 1 || !entry)
    return {
      ok: false,
      reason: 'The Reservation Authorization Code is not valid (no reservation authorization in it)',
    };
  const opened = openDocument(entry.value, 'RESERVATION', trust);
  if (!opened.ok) return { ok: false, reason: `The Reservation Authorization Code is not valid (${opened.reason})` };
  const u = opened.value.udi;
  // §8.2 (captured): the text a code for another device gets.
  if (u.udi_pid !== udi.pid || u.udi_serial_number !== udi.sn)
    return { ok: false, reason: 'The Reservation Authorization Code does not match the Reservation Request Code' };
  return opened;
}

export const newRequestCode = (udi: Udi): string => reservationRequestCode(udi);

export function withRequest(r: LicenseReservation, code: string): LicenseReservation {
  return { ...r, requestCode: code };
}

export function withoutRequest(r: LicenseReservation): LicenseReservation {
  const { requestCode: _, ...rest } = r;
  return rest;
}

/** The authorization installed: the request is answered, its confirmation code is the last one. */
export function installedFrom(
  r: LicenseReservation,
  p: ReservationPayload,
  code: string,
  now: number,
): LicenseReservation {
  return {
    ...withoutRequest(r),
    installed: {
      type: p.type,
      licenses: p.licenses.map((l) => ({ tag: l.entitlementTag, quantity: l.quantity })),
      confirmationCode: p.confirmation_code,
      issuedAt: p.issued_at,
      installedAt: now,
      code,
    },
    lastConfirmationCode: p.confirmation_code,
  };
}

/** The return code of the installed authorization (what the cloud's `reserve-licenses/return` accepts). */
export function returnCodeOf(r: LicenseReservation, udi: Udi): string | undefined {
  return r.installed ? reservationReturnCode(udi, r.installed.confirmationCode) : undefined;
}

export function returned(r: LicenseReservation, returnCode: string): LicenseReservation {
  const { installed: _, ...rest } = r;
  return { ...rest, lastReturnCode: returnCode };
}

/** How much of `tag` the installed authorization reserves (PLR: everything). */
export function reservedCount(r: LicenseReservation, tag: string): number | 'all' {
  if (!r.installed) return 0;
  if (r.installed.type === 'UNIVERSAL') return 'all';
  return r.installed.licenses.find((l) => l.tag === tag)?.quantity ?? 0;
}

/** `show license reservation`'s data; times shifted to the device clock by `shift`. */
export function reservationView(
  r: LicenseReservation,
  shift: (t: number | undefined) => number | undefined,
): ReservationView {
  const i = r.installed;
  return {
    enabled: r.enabled,
    status: i === undefined ? 'notInstalled' : i.type === 'SPECIFIC' ? 'specific' : 'universal',
    ...(r.requestCode !== undefined ? { requestCode: r.requestCode } : {}),
    ...(r.lastReturnCode !== undefined ? { lastReturnCode: r.lastReturnCode } : {}),
    ...(r.lastConfirmationCode !== undefined ? { lastConfirmationCode: r.lastConfirmationCode } : {}),
    ...(i ? { authorizationCode: i.code, installedAt: shift(i.installedAt)! } : {}),
    licenses: (i?.licenses ?? []).map((l) => ({
      tag: l.tag,
      shortName: tagShortName(l.tag),
      description: findEntitlement(l.tag)?.name ?? '',
      quantity: l.quantity,
    })),
  };
}
