/**
 * `license revoke <permission-ticket-url> <rehost-ticket-url>` (exec, A.4, A.8 step 2): reads the portal's
 * permission ticket from the device's file system, and has the agent check it, write the rehost ticket
 * (proof of revocation) to the second URL, then revoke and install the ticket's grace-period licenses.
 * A ticket that cannot be opened gets IOS's `%Error opening <url> (<reason>)` alone; the last line names
 * where the rehost ticket went (recalled form of `license save`'s `… saved ..... to <url>`).
 */
import { checkPath } from '../files/flash.ts';
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseRevoke(ctx: CommandContext): string {
  const url = ctx.args.url ?? '';
  const rehostUrl = ctx.args.rehostUrl ?? '';
  const file = ctx.device.readFile(url);
  if (!file.ok) return printAction(file);
  // A destination that cannot take a file is refused before the ticket is even looked at.
  const target = checkPath(rehostUrl);
  if (!target.ok) return printAction(target);
  const r = ctx.device.licenseRequest({
    type: 'license.revoke',
    url,
    text: file.output,
    write: (rehostTicket) => ctx.device.putFile(target.path, rehostTicket),
  });
  return printAction(r.ok ? { ok: true, output: `${r.output}Rehost ticket saved ..... to ${target.path}` } : r);
}
