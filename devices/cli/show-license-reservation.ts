/**
 * `show license reservation` (classic 16.x and SLP 17.x alike: the same agent data, the same layout, since
 * the reference has no 17.x capture of it) and the `Reservation Info` section of `show license all`: the fields
 * tech-support's Reservation Info lists (smart-licensing.md §4.11 / tech-support: `License reservation`,
 * `Reservation status`, `Request code`, `Last return code`, `Last Confirmation code`, `Reservation
 * authorization code`), then what a SPECIFIC code reserves with `Total reserved count` (§8.2 capture).
 * Disabled, the one line the capture shows. Layout beyond those words is the lab's (no capture).
 */
import { udiString, type Udi } from '#protocol';
import type { ReservationView } from '../licensing/smart-view.ts';
import type { DeviceView } from './cli-device.ts';
import { dateOf, text } from './smart-blocks.ts';

const STATUS = { notInstalled: 'NOT INSTALLED', specific: 'SPECIFIC INSTALLED', universal: 'UNIVERSAL INSTALLED' };

/** The agent running this boot: SLP's reservation on a 17.x image, else the classic agent's. */
const reservationOf = (view: DeviceView): { r: ReservationView | undefined; udi: Udi } =>
  view.slp ? { r: view.slp.reservation, udi: view.slp.udi } : { r: view.smart.reservation, udi: view.smart.udi };

/** `Overall status:` and its lines (also SLP `show license status`'s License Reservation block). */
export function overallStatus(r: ReservationView, udi: Udi, date: (t: number) => string): string[] {
  const installed = r.installedAt === undefined ? '' : ` on ${date(r.installedAt)}`;
  return [
    'Overall status:',
    `  Active: ${udiString(udi)}`,
    `      Reservation status: ${STATUS[r.status]}${installed}`,
    `      Request code: ${r.requestCode ?? '<none>'}`,
    `      Last return code: ${r.lastReturnCode ?? '<none>'}`,
    `      Last Confirmation code: ${r.lastConfirmationCode ?? '<none>'}`,
  ];
}

/** Configured, or a code installed (a `no license smart reservation` is refused while one is). */
export const reservationShown = (r: ReservationView | undefined): r is ReservationView =>
  r !== undefined && (r.enabled || r.status !== 'notInstalled');

export function reservationInfo(view: DeviceView): string[] {
  const { r, udi } = reservationOf(view);
  if (!reservationShown(r)) return ['License reservation: DISABLED'];
  const lines = [
    `License reservation: ${r.enabled ? 'ENABLED' : 'DISABLED'}`,
    '',
    ...overallStatus(r, udi, dateOf(view)),
    `      Reservation authorization code: ${r.authorizationCode ?? '<none>'}`,
  ];
  if (r.status === 'notInstalled') return lines;
  const reserved =
    r.status === 'universal'
      ? ['  All licenses (universal reservation)']
      : r.licenses.flatMap((l) => [
          `  ${l.description ? `${l.description} ` : ''}(${l.shortName}):`,
          `    Description: ${l.description}`,
          `    Total reserved count: ${l.quantity}`,
        ]);
  return [...lines, '', 'Specified license reservations:', ...reserved];
}

export const showLicenseReservation = (view: DeviceView): string => text(reservationInfo(view));
