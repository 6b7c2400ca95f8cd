/**
 * `license smart reservation …` on the classic Smart agent and the SLP agent (smart-licensing.md §8.2;
 * 17.x keeps reservation, §9.1): what the agent does before the chart sees a command (a request code made,
 * an authorization code verified whole, the return code computed) and what the device prints once the chart
 * took it. Texts are the captured ones where §8.2 has them; the rest are lab wording.
 */
import { reservationReturnCode, type LicenseTrust, type Udi } from '#protocol';
import type { ActionResult } from '../cli/cli-device.ts';
import type { ReservationCommand, ReservationEvent } from './smart-events.ts';
import { newRequestCode, openAuthorizationCode, returnCodeOf, type LicenseReservation } from './license-reservation.ts';

export interface ReservationTarget {
  udi: Udi;
  reservation: LicenseReservation | undefined;
  trust: LicenseTrust;
  /** The event to the chart: its refusal, or `{ ok: true }`. */
  send(event: ReservationEvent): ActionResult;
}

/** §8.2 (captured): the return prompt, answered yes as the non-interactive shell does (reload.ts). */
export const RETURN_QUESTION =
  'This command will remove the license reservation authorization code and the device will transition back to the unregistered state. Some features may not function properly. Do you want to continue? [yes/no]: yes\n';

const then = (result: ActionResult, output: string): ActionResult => (result.ok ? { ok: true, output } : result);
/** `install "<code>"` (§8.2) as well as the bare code. */
const unquoted = (text: string): string => text.trim().replace(/^"(.*)"$/s, '$1');
const printReturnCode = (code: string): string =>
  `${RETURN_QUESTION}Enter this return code in Cisco Smart Software Manager portal:\n${code}\n`;

/**
 * 17.x `return … authorization <code>|file <path>`: the code checked as an install checks it; the one
 * installed is returned as `return local` returns it, one never installed gets its return code (its
 * licenses go back in CSSM) with nothing removed. Failure words follow the install's (lab wording).
 */
function returnAuthorization(t: ReservationTarget, authorization: { text: string; file: boolean }): ActionResult {
  const opened = openAuthorizationCode(unquoted(authorization.text), t.trust, t.udi);
  if (!opened.ok)
    return { ok: false, error: `% Reservation return${authorization.file ? ' file' : ''} failed: ${opened.reason}` };
  const returnCode = reservationReturnCode(t.udi, opened.value.confirmation_code);
  const installed = t.reservation?.installed?.confirmationCode === opened.value.confirmation_code;
  const event = installed
    ? ({ type: 'reservation.return', returnCode } as const)
    : ({ type: 'reservation.returnCode', returnCode } as const);
  return then(t.send(event), printReturnCode(returnCode));
}

export function reservationCommand(command: ReservationCommand, t: ReservationTarget): ActionResult {
  switch (command.type) {
    case 'license.reservation.enable':
      return t.send({ type: 'reservation.enable', enabled: command.enabled });
    case 'license.reservation.request': {
      const code = newRequestCode(t.udi);
      return then(
        t.send({ type: 'reservation.request', code }),
        `Enter this request code in the Cisco Smart Software Manager portal:\n${code}\n`,
      );
    }
    case 'license.reservation.cancel':
      return t.send({ type: 'reservation.cancel' });
    case 'license.reservation.install': {
      // §8.2: `Reservation install file successful` / `… failed: <reason>` (file form captured; the code
      // form's words follow it without `file`). Nothing is stored when the code does not verify.
      const what = command.file ? 'Reservation install file' : 'Reservation install';
      const code = unquoted(command.text);
      const opened = openAuthorizationCode(code, t.trust, t.udi);
      if (!opened.ok) return { ok: false, error: `% ${what} failed: ${opened.reason}` };
      return then(t.send({ type: 'reservation.install', reservation: opened.value, code }), `${what} successful\n`);
    }
    case 'license.reservation.return': {
      if (command.authorization) return returnAuthorization(t, command.authorization);
      const returnCode = t.reservation ? returnCodeOf(t.reservation, t.udi) : undefined;
      if (returnCode === undefined) return t.send({ type: 'reservation.return', returnCode: '' });
      return then(t.send({ type: 'reservation.return', returnCode }), printReturnCode(returnCode));
    }
  }
}
