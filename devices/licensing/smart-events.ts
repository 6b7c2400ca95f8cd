/**
 * What goes into the Smart Licensing agent and what comes out of it. In: commands (from the CLI or the
 * lab, imperative), facts about the device (past tense) and the cloud's answers. Out, through XState's
 * `emit()`: every %SMART_LIC message (with its trap context) and the refusal of a command, which the CLI
 * prints the way IOS does.
 */
import type { ReservationPayload } from '#protocol';
import type { TrapContext } from '../events/device-log.ts';
import type { SmartLicMnemonic, SmartLicParams } from '../syslog/smart-lic-messages.ts';
import type { CloudAnswer } from './smart-context.ts';

/** `license smart …` (exec and config). */
export type SmartCommand =
  | { type: 'license.enable' }
  | { type: 'license.disable' }
  | { type: 'license.register'; idToken: string; force: boolean }
  | { type: 'license.deregister' }
  | { type: 'license.renewId' }
  | { type: 'license.renewAuth' }
  /** `license smart conversion start` (device-led conversion of its traditional licenses). */
  | { type: 'license.conversion.start' }
  | ReservationCommand;

/**
 * `license smart reservation …` (§8.2) as the CLI gives it; the agent checks it (codes made, the
 * authorization code verified) and hands the chart a ReservationEvent.
 */
export type ReservationCommand =
  /** `[no] license smart reservation` (config). */
  | { type: 'license.reservation.enable'; enabled: boolean }
  | { type: 'license.reservation.request' }
  | { type: 'license.reservation.cancel' }
  /** `install <code>` (`file` false) or `install file <path>` (the file's text). */
  | { type: 'license.reservation.install'; text: string; file: boolean }
  /**
   * `return local` (the installed code); 17.x also `return … authorization <code>|file <path>` (`authorization`:
   * the code's text), which gives back a code the device holds or never installed.
   */
  | { type: 'license.reservation.return'; authorization?: { text: string; file: boolean } };

/** What the chart is given for a reservation command, checked by the agent. */
export type ReservationEvent =
  | { type: 'reservation.enable'; enabled: boolean }
  | { type: 'reservation.request'; code: string }
  | { type: 'reservation.cancel' }
  | { type: 'reservation.install'; reservation: ReservationPayload; code: string }
  | { type: 'reservation.return'; returnCode: string }
  /** 17.x: a code that was never installed is given back (its return code printed, nothing removed). */
  | { type: 'reservation.returnCode'; returnCode: string };

/** What the device tells its agent. */
export type DeviceFact =
  /** `clock set`: the agent re-checks its certificate against the device clock. */
  { type: 'clock.changed'; clockOffsetMs: number } | { type: 'hostname.changed'; hostname: string };

export type SmartEvent =
  | SmartCommand
  | DeviceFact
  | CloudAnswer
  | ReservationEvent
  /** Raised after a clock change, so the certificate check sees the new offset. */
  | { type: 'clock.check' };

/** Why a command was not carried out; YANG `register-id-token` errors and what IOS prints for them. */
export type Refusal =
  | 'alreadyRegistered'
  | 'registrationInProgress'
  | 'notRegistered'
  | 'reservationDisabled'
  | 'reservationInstalled'
  | 'noReservation'
  | 'noReservationRequest'
  | 'registeredNoReservation'
  | 'nothingToConvert'
  | 'alreadyConverted'
  | 'conversionInProgress';

export const REFUSAL_TEXT: Record<Refusal, string> = {
  alreadyRegistered: '% Device is already registered. To re-register, use the "force" option.',
  registrationInProgress: '% Registration is already in progress.',
  notRegistered: '% Device is not registered.',
  // Reservation refusals: lab wording (no capture), in the device's voice.
  reservationDisabled: '% License reservation is disabled. Enable it first (license smart reservation).',
  reservationInstalled:
    '% A reservation authorization code is installed. Return it first (license smart reservation return local).',
  noReservation: '% No reservation authorization code is installed.',
  noReservationRequest: '% No reservation request is pending (license smart reservation request local).',
  registeredNoReservation:
    '% Device is registered. Deregister it before reserving licenses (license smart deregister).',
  // Conversion refusals: lab wording (no capture).
  nothingToConvert: '% No traditional licenses to convert on this device.',
  alreadyConverted: '% The traditional licenses of this device were converted to Smart Licensing already.',
  conversionInProgress: '% License conversion is already in progress.',
};

/** A %SMART_LIC message the device logs (and sends as a trap when the MIB defines one). */
export type SmartLicEmission = {
  [M in SmartLicMnemonic]: { type: 'smartLic'; mnemonic: M; params: SmartLicParams<M>; trap?: TrapContext };
}[SmartLicMnemonic];

export type SmartEmitted = SmartLicEmission | { type: 'command.refused'; refusal: Refusal };

export function smartLic<M extends SmartLicMnemonic>(
  mnemonic: M,
  params: SmartLicParams<M>,
  trap?: TrapContext,
): SmartLicEmission {
  return { type: 'smartLic', mnemonic, params, ...(trap ? { trap } : {}) } as SmartLicEmission;
}
