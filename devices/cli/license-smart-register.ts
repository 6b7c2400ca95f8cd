/** `license smart register idtoken <token> [force]` (exec; smart-licensing.md §2.1): non-blocking, like IOS. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

const REGISTRATION_IN_PROGRESS =
  "Registration process is in progress. Use the 'show license status' command to check the progress and result\n";

export function licenseSmartRegister(ctx: CommandContext): string {
  const command = {
    type: 'license.register',
    idToken: ctx.args.idToken ?? '',
    force: ctx.args.force !== undefined,
  } as const;
  return printAction(ctx.device.license(command), REGISTRATION_IN_PROGRESS);
}
