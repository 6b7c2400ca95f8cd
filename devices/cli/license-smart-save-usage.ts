/**
 * `license smart save usage {all|unreported|rum-Id <id>} file <path>` (exec, SLP; §9.6): the reports as a
 * `<smartLicense>` file on the device's file system (`flash:`, `usbflash0:`). Every report in storage is
 * unacknowledged (ACKed ones are deleted), so `all` and `unreported` write the same reports.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSmartSaveUsage(ctx: CommandContext): string {
  const path = ctx.args.path ?? '';
  const which = ctx.args.rumId !== undefined ? Number(ctx.args.rumId) : ctx.args.which === 'all' ? 'all' : 'unreported';
  const write = (text: string) => ctx.device.putFile(path, text);
  return printAction(ctx.device.slpLicense({ type: 'license.saveUsage', which, write }));
}
