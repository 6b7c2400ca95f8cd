/** `license smart usage interval <1-365>` (config, SLP; §9.3): days between usage report pushes. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';
import { slpOf } from './slp-blocks.ts';

export function licenseSmartUsageInterval(ctx: CommandContext): string {
  const days = Number(ctx.args.days);
  return printAction(ctx.device.setSlpConfig({ ...slpOf(ctx.view).config, usageIntervalDays: days }));
}
