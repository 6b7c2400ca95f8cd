/**
 * `license smart authorization return {local|all} online` (exec, SLP; §9.7): the return goes to the cloud,
 * and the SLAC leaves with its answer (AUTHORIZATION_REMOVED), kept if it fails. `offline <path>`'s return
 * code file is not modelled.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartAuthorizationReturn(ctx: CommandContext): string {
  return printAction(ctx.device.slpLicense({ type: 'license.authorizationReturn' }));
}
