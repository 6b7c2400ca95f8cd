/**
 * `reload`. IOS asks `System configuration has been modified. Save? [yes/no]: ` when the running
 * configuration is unsaved, then `Proceed with reload? [confirm]`. This shell is not interactive: it
 * prints each question with the answer it takes. It answers `no` to saving, so the startup configuration
 * changes only through an explicit `write memory` (an unsaved `license boot level` is lost, as on a device
 * where the operator declines), and confirms the reload.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

const SAVE_QUESTION = 'System configuration has been modified. Save? [yes/no]: no\n';
const PROCEED_QUESTION = 'Proceed with reload? [confirm]\n';

export function reload(ctx: CommandContext): string {
  const asked = (ctx.view.configDirty ? SAVE_QUESTION : '') + PROCEED_QUESTION;
  const r = ctx.device.reload();
  return asked + printAction(r);
}
