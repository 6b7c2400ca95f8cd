/**
 * `show license reservation` (classic) and the `Reservation Info` section of `show license all`: the fields
 * tech-support's Reservation Info lists (smart-licensing.md §4.11 / tech-support: `License reservation`,
 * `Reservation status`, `Request code`, `Last return code`, `Last Confirmation code`, `Reservation
 * authorization code`), then what a SPECIFIC code reserves with `Total reserved count` (§8.2 capture).
 * Disabled, the one line the capture shows. Layout beyond those words is the lab's (no capture).
 */
import { udiString } from '#protocol';
import type { DeviceView } from './cli-device.ts';
import { dateOf, text } from './smart-blocks.ts';

const STATUS = { notInstalled: 'NOT INSTALLED', specific: 'SPECIFIC INSTALLED', universal: 'UNIVERSAL INSTALLED' };

export function reservationInfo(view: DeviceView): string[] {
  const r = view.smart.reservation;
  if (!r?.enabled && r?.status !== 'specific' && r?.status !== 'universal') return ['License reservation: DISABLED'];
  const date = dateOf(view);
  const installed = r.installedAt === undefined ? '' : ` on ${date(r.installedAt)}`;
  const lines = [
    `License reservation: ${r.enabled ? 'ENABLED' : 'DISABLED'}`,
    '',
    'Overall status:',
    `  Active: ${udiString(view.smart.udi)}`,
    `      Reservation status: ${STATUS[r.status]}${installed}`,
    `      Request code: ${r.requestCode ?? '<none>'}`,
    `      Last return code: ${r.lastReturnCode ?? '<none>'}`,
    `      Last Confirmation code: ${r.lastConfirmationCode ?? '<none>'}`,
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
