/**
 * `license boot module <module> technology-package <package> [disable]` (config, ISR G2; A.4: `license boot
 * module c2900 technology-package securityk9`): the package the next boot runs, like `license boot level`
 * on image-level platforms (the lab runs one package above ipbasek9 at a time); `disable` goes back to the
 * base package. The module must be the platform's (`c1900`, `c2900`, `c2951`, `c3900`).
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';
import { BOOT_LEVEL_NOTE } from './refusal.ts';

export function licenseBootModule(ctx: CommandContext): string {
  const { module = '', pkg = '', disable } = ctx.args;
  const p = ctx.view.platform;
  if (module.toLowerCase() !== (p.licenseModule ?? '').toLowerCase())
    return printAction({ ok: false, error: `% Invalid module name "${module}"; valid: ${p.licenseModule ?? 'none'}` });
  const level = disable !== undefined ? p.defaultLevel : pkg;
  const changed = ctx.view.bootLevel.nextReload !== level;
  return printAction(ctx.device.setBootLevel(level), changed ? BOOT_LEVEL_NOTE : '');
}
