/** `license smart factory reset` (exec, SLP; §9.1, FN72578 workaround): the licensing data is wiped now. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartFactoryReset(ctx: CommandContext): string {
  return printAction(ctx.device.slpLicense({ type: 'license.factoryReset' }));
}
