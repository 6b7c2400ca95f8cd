/**
 * `license smart authorization return {local|all} online` (exec, SLP; §9.7): the SLACs leave the device and
 * their licenses stop (AUTHORIZATION_REMOVED). The cloud mock has no device route for returns, so the
 * return is not reported to it (`offline <path>`'s return code file is not modelled).
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartAuthorizationReturn(ctx: CommandContext): string {
  return printAction(ctx.device.slpLicense({ type: 'license.authorizationReturn' }));
}
