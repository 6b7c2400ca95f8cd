/** `hostname <name>` (config); the device validates the name. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export const hostname = (ctx: CommandContext): string => printAction(ctx.device.setHostname(ctx.args.name ?? ''));
