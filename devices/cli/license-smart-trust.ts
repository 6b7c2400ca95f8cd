/** `license smart trust idtoken <token> {local|all} [force]` (exec, SLP; smart-licensing.md §9.5): non-blocking. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartTrust(ctx: CommandContext): string {
  return printAction(
    ctx.device.slpLicense({
      type: 'license.trust',
      idToken: ctx.args.idToken ?? '',
      scope: ctx.args.scope === 'all' ? 'all' : 'local',
      force: ctx.args.force !== undefined,
    }),
  );
}
