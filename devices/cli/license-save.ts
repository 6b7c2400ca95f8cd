/**
 * `license save <url>` (exec, A.4: "saves copies of all installed licences to a file"): the installed lines
 * as a license file the device itself can install again. The confirmation line is recalled from ISR G2
 * (`license lines saved ..... to flash:all_licenses.lic`), unconfirmed.
 */
import { formatLicenseFile } from '#protocol';
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export function licenseSave(ctx: CommandContext): string {
  const url = ctx.args.url ?? '';
  const t = ctx.view.traditional;
  const lines = t?.licenses.flatMap((l) => (l.text === undefined ? [] : [l.text])) ?? [];
  if (lines.length === 0) return printAction({ ok: false, error: '% No installed licenses to save' });
  const comments = [`Licenses saved from ${ctx.view.udi.pid}:${ctx.view.udi.sn}`];
  const r = ctx.device.putFile(url, formatLicenseFile(lines, comments));
  return printAction(r.ok ? { ok: true, output: `license lines saved ..... to ${url}` } : r);
}
