/**
 * `license smart authorization request add <feature> {local|all}` (exec, SLP; smart-licensing.md §9.7, syntax
 * recalled, unconfirmed): a SLAC for an enforced or export-controlled license, asked for online; non-blocking.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartAuthorizationRequest(ctx: CommandContext): string {
  return printAction(ctx.device.slpLicense({ type: 'license.authorize', feature: ctx.args.feature ?? '' }));
}
