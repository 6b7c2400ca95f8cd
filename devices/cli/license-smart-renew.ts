/** `license smart renew id` / `license smart renew auth` (exec): renewals by hand (§2.1). */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export const licenseSmartRenewId = (ctx: CommandContext): string =>
  printAction(ctx.device.license({ type: 'license.renewId' }));
export const licenseSmartRenewAuth = (ctx: CommandContext): string =>
  printAction(ctx.device.license({ type: 'license.renewAuth' }));
