/**
 * What goes into the Smart Licensing agent and what comes out of it. In: commands (from the CLI or the
 * lab, imperative), facts about the device (past tense) and the cloud's answers. Out, through XState's
 * `emit()`: every %SMART_LIC message (with its trap context) and the refusal of a command, which the CLI
 * prints the way IOS does.
 */
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
  | { type: 'license.renewAuth' };

/** What the device tells its agent. */
export type DeviceFact =
  /** `clock set`: the agent re-checks its certificate against the device clock. */
  { type: 'clock.changed'; clockOffsetMs: number } | { type: 'hostname.changed'; hostname: string };

export type SmartEvent =
  | SmartCommand
  | DeviceFact
  | CloudAnswer
  /** Raised after a clock change, so the certificate check sees the new offset. */
  | { type: 'clock.check' };

/** Why a command was not carried out; YANG `register-id-token` errors and what IOS prints for them. */
export type Refusal = 'alreadyRegistered' | 'registrationInProgress' | 'notRegistered';

export const REFUSAL_TEXT: Record<Refusal, string> = {
  alreadyRegistered: '% Device is already registered. To re-register, use the "force" option.',
  registrationInProgress: '% Registration is already in progress.',
  notRegistered: '% Device is not registered.',
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
