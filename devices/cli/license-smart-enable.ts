/** `license smart enable` / `no license smart enable` (config; smart-licensing.md §2.1). */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export const licenseSmartEnable = (ctx: CommandContext): string =>
  printAction(ctx.device.license({ type: 'license.enable' }));
export const noLicenseSmartEnable = (ctx: CommandContext): string =>
  printAction(ctx.device.license({ type: 'license.disable' }));
