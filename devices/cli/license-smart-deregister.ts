/** `license smart deregister` (exec): removes the ID certificate and tells the cloud (§2.1). */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export const licenseSmartDeregister = (ctx: CommandContext): string =>
  printAction(ctx.device.license({ type: 'license.deregister' }));
