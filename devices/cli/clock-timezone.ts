/**
 * `clock timezone <name> <hours> [<minutes>]` (config). Minutes follow the sign of the hours
 * (`clock timezone NST -3 30` is 3 h 30 min west of UTC).
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function clockTimezone(ctx: CommandContext): string {
  const { zone = '', hours = '0', minutes = '0' } = ctx.args;
  const h = Number(hours);
  const sign = hours.startsWith('-') ? -1 : 1;
  return printAction(ctx.device.setTimezone(zone, h * 60 + sign * Number(minutes)));
}
