/**
 * `license clear <feature>`, `license comment add <feature> <comment>` and `license modify priority <feature>
 * {high|low}` (exec, A.4). IOS lists the
 * feature's licenses and asks; this shell is not interactive: it prints the question with the answer it
 * takes (`yes`), as `reload` does. The dialog's wording is unconfirmed (A.4: "dialog unconfirmed").
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';
import { TYPE_NAMES } from './csl-strings.ts';

export function licenseClear(ctx: CommandContext): string {
  const feature = ctx.args.feature ?? '';
  const shown = ctx.view.traditional?.licenses.filter(
    (l) => l.feature.toLowerCase() === feature.toLowerCase() && l.text !== undefined,
  );
  const r = ctx.device.licenseRequest({ type: 'license.clear', feature });
  if (!r.ok || !shown) return printAction(r);
  const listing = shown.flatMap((l, i) => [
    `${String(i + 1).padEnd(8)}License Type: ${TYPE_NAMES[l.type]}`,
    `        Store Index: ${l.storeIndex}`,
  ]);
  return [
    `Feature: ${shown[0]?.feature ?? feature}`,
    ...listing,
    'Are you sure you want to clear? (yes/[no]): yes',
    '',
  ].join('\n');
}

export function licenseCommentAdd(ctx: CommandContext): string {
  const r = ctx.device.licenseRequest({
    type: 'license.comment',
    feature: ctx.args.feature ?? '',
    comment: ctx.args.comment ?? '',
  });
  return printAction(r);
}

/** `license modify priority <feature> {high|low}` (A.4; syntax unconfirmed): from the next reload. */
export function licenseModifyPriority(ctx: CommandContext): string {
  const priority = ctx.args.priority === 'high' ? 'high' : 'low';
  return printAction(
    ctx.device.licenseRequest({ type: 'license.priority', feature: ctx.args.feature ?? '', priority }),
  );
}
