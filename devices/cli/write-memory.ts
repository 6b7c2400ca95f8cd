/** `write memory` and `copy running-config startup-config`: IOS's `Building configuration...` / `[OK]`. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

const BUILT = 'Building configuration...\n[OK]\n';

export const writeMemory = (ctx: CommandContext): string => printAction(ctx.device.writeMemory(), BUILT);

/**
 * IOS asks `Destination filename [startup-config]? `; this shell is not interactive, so it prints the
 * question and takes the default, as pressing Enter does.
 */
export function copyRunningStartup(ctx: CommandContext): string {
  const r = ctx.device.writeMemory();
  return r.ok ? `Destination filename [startup-config]? \n${printAction(r, BUILT)}` : printAction(r);
}
