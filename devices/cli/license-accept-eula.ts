/**
 * `license accept end user agreement` (config, A.4): accepts the EULA of every evaluation license at once
 * (%LICENSE-6-EULA_ACCEPT_ALL). IOS shows the agreement and asks `ACCEPT? (yes/[no]):`; this shell prints
 * the question with the answer it takes (`yes`). The agreement's opening words are recalled, not captured.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

/** The agreement and the answer the shell takes (also `license right-to-use activate` without acceptEULA). */
export const EULA = [
  'PLEASE  READ THE  FOLLOWING TERMS  CAREFULLY. INSTALLING THE LICENSE OR',
  'LICENSE  KEY  PROVIDED FOR  ANY CISCO  PRODUCT  FEATURE  OR  USING SUCH',
  'PRODUCT  FEATURE  CONSTITUTES  YOUR  FULL ACCEPTANCE  OF  THE FOLLOWING',
  'TERMS. YOU MUST NOT PROCEED FURTHER IF YOU ARE NOT WILLING TO  BE BOUND',
  'BY ALL THE TERMS SET FORTH HEREIN.',
  '',
  'ACCEPT? (yes/[no]): yes',
  '',
].join('\n');

export function licenseAcceptEula(ctx: CommandContext): string {
  if (ctx.view.traditional?.eulaAccepted) return '';
  const r = ctx.device.licenseRequest({ type: 'license.acceptEula' });
  return r.ok ? EULA + printAction(r) : printAction(r);
}
