/**
 * `license smart reservation …` on the classic Smart agent (smart-licensing.md §8.2): what the agent does
 * before the chart sees a command (a request code made, an authorization code verified whole, the return
 * code computed) and what the device prints once the chart took it. Texts are the captured ones where §8.2
 * has them; the rest are lab wording.
 */
import type { LicenseTrust, Udi } from '#protocol';
import type { ActionResult } from '../cli/cli-device.ts';
import type { ReservationCommand, ReservationEvent } from './smart-events.ts';
import { newRequestCode, openAuthorizationCode, returnCodeOf, type SmartReservation } from './smart-reservation.ts';

export interface ReservationTarget {
  udi: Udi;
  reservation: SmartReservation | undefined;
  trust: LicenseTrust;
  /** The event to the chart: its refusal, or `{ ok: true }`. */
  send(event: ReservationEvent): ActionResult;
}

/** §8.2 (captured): the return prompt, answered yes as the non-interactive shell does (reload.ts). */
export const RETURN_QUESTION =
  'This command will remove the license reservation authorization code and the device will transition back to the unregistered state. Some features may not function properly. Do you want to continue? [yes/no]: yes\n';

const then = (result: ActionResult, output: string): ActionResult => (result.ok ? { ok: true, output } : result);

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
      // `install "<code>"` (§8.2) as well as the bare code.
      const code = command.text.trim().replace(/^"(.*)"$/s, '$1');
      const opened = openAuthorizationCode(code, t.trust, t.udi);
      if (!opened.ok) return { ok: false, error: `% ${what} failed: ${opened.reason}` };
      return then(t.send({ type: 'reservation.install', reservation: opened.value, code }), `${what} successful\n`);
    }
    case 'license.reservation.return': {
      const returnCode = t.reservation ? returnCodeOf(t.reservation, t.udi) : undefined;
      if (returnCode === undefined) return t.send({ type: 'reservation.return', returnCode: '' });
      return then(
        t.send({ type: 'reservation.return', returnCode }),
        `${RETURN_QUESTION}Enter this return code in Cisco Smart Software Manager portal:\n${returnCode}\n`,
      );
    }
  }
}
