/**
 * `license call-home install pak <PAK>`, `license call-home resend <url>`, `license call-home revoke udi
 * <PID:SN> <url>` (exec, A.4): the device asks the licensing portal itself (licensing/traditional-call-home.ts).
 * The dialog is printed at once; the portal's answer is carried out when it comes and `show license
 * call-home` prints it. A destination that cannot take a file is refused before anything is sent.
 */
import { checkPath } from '../files/flash.ts';
import { printAction } from './action-output.ts';
import type { DeviceView } from './cli-device.ts';
import { keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';

/** Traditional (CSL) images offer call-home (the Catalyst 3650 / 3850 RTU images too: A.4 lists it). */
const csl = (v: DeviceView): boolean => v.licensingMode === 'traditional';

function withTarget(ctx: CommandContext, send: (path: string) => string): string {
  const target = checkPath(ctx.args.url ?? '');
  return target.ok ? send(target.path) : printAction(target);
}

const install = (ctx: CommandContext): string =>
  printAction(ctx.device.licenseRequest({ type: 'license.callHome', op: 'install', pak: ctx.args.pak ?? '' }));

const resend = (ctx: CommandContext): string =>
  withTarget(ctx, (path) =>
    printAction(
      ctx.device.licenseRequest({
        type: 'license.callHome',
        op: 'resend',
        url: path,
        write: (text) => ctx.device.putFile(path, text),
      }),
    ),
  );

const revoke = (ctx: CommandContext): string =>
  withTarget(ctx, (path) =>
    printAction(
      ctx.device.licenseRequest({
        type: 'license.callHome',
        op: 'revoke',
        targetUdi: ctx.args.targetUdi ?? '',
        url: path,
        write: (text) => ctx.device.putFile(path, text),
      }),
    ),
  );

const url = (help: string, run: (ctx: CommandContext) => string) => param('url', 'WORD', help, { accept: word, run });

/** `license call-home …` under exec `license`. */
export const CALL_HOME_EXEC: CommandNode = keyword('call-home', 'License call-home to the Cisco licensing portal', {
  available: csl,
  children: [
    keyword('install', 'Install licenses from the portal', {
      children: [
        keyword('pak', 'Product Authorization Key', {
          children: [param('pak', 'WORD', 'PAK number (11 characters)', { accept: word, run: install })],
        }),
      ],
    }),
    keyword('resend', 'Have the portal resend the licenses of this device', {
      children: [url('URL to save the license file to (flash:, usbflash0:)', resend)],
    }),
    keyword('revoke', 'Revoke licenses here and license another device (rehost)', {
      children: [
        keyword('udi', 'UDI of the target device', {
          children: [
            param('targetUdi', 'WORD', 'Target UDI (<PID>:<SN>)', {
              accept: word,
              children: [url("URL to save the target's license file to (flash:, usbflash0:)", revoke)],
            }),
          ],
        }),
      ],
    }),
  ],
});
