/** `license smart transport {smart|cslu|callhome|off}` (config, SLP; §9.6). */
import { SLP_TRANSPORTS, type SlpTransport } from '../licensing/slp-config.ts';
import { printAction } from './action-output.ts';
import type { CommandContext } from './command-node.ts';
import { slpOf } from './slp-blocks.ts';

export const TRANSPORT_CHOICES = [
  { word: 'callhome', help: 'Use Call Home for communication' },
  { word: 'cslu', help: 'Use CSLU (Cisco Smart License Utility) for communication' },
  { word: 'off', help: 'Disable all communication' },
  { word: 'smart', help: 'Use the Smart transport for communication' },
] as const;

export function licenseSmartTransport(ctx: CommandContext): string {
  const transport = SLP_TRANSPORTS.find((t) => t === ctx.args.transport) as SlpTransport;
  return printAction(ctx.device.setSlpConfig({ ...slpOf(ctx.view).config, transport }));
}
