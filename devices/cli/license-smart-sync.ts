/** `license smart sync {all|local}` (exec, SLP; §9.7): usage is sent now and the ACK fetched; non-blocking. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartSync(ctx: CommandContext): string {
  return printAction(ctx.device.slpLicense({ type: 'license.sync' }));
}
