/** `license smart import <path>` (exec, SLP; §9.6): an ACK, policy, trust code or SLAC file, checked whole. */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartImport(ctx: CommandContext): string {
  const path = ctx.args.path ?? '';
  const read = ctx.device.readFile(path);
  if (!read.ok) return printAction(read);
  return printAction(ctx.device.slpLicense({ type: 'license.import', path, text: read.output }));
}
