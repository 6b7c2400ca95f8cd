/**
 * `license smart conversion start` (exec; seed 004, Device-Led Conversion): a registered device sends the
 * traditional licenses it holds to its virtual account. IOS prints nothing; `show license status` shows
 * the outcome under License Conversion.
 */
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';

export const licenseSmartConversionStart = (ctx: CommandContext): string =>
  printAction(ctx.device.license({ type: 'license.conversion.start' }));
