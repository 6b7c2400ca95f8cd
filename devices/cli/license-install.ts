/**
 * `license install <url>` (exec, traditional-licensing-snmp-platforms.md A.4): reads the file from the
 * device's file system and hands it to the agent, which installs every line or, for a bad file, nothing.
 * IOS prints `Installing licenses from "<url>"` before anything else (S-ESCCNA); a file that cannot be
 * opened gets IOS's `%Error opening <url> (<reason>)` alone.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseInstall(ctx: CommandContext): string {
  const url = ctx.args.url ?? '';
  const file = ctx.device.readFile(url);
  if (!file.ok) return printAction(file);
  const r = ctx.device.licenseRequest({ type: 'license.install', url, text: file.output });
  return r.ok ? printAction(r) : `Installing licenses from "${url}"\n${printAction(r)}`;
}
