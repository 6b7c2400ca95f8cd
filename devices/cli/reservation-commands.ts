/**
 * `license smart reservation …` on classic Smart images (smart-licensing.md §8.2): exec `request local`,
 * `cancel local`, `install <code>`, `install file <path>`, `return local`; config `[no] license smart
 * reservation`. The agent checks and carries them out (licensing/reservation-command.ts).
 */
import { printAction } from './action-output.ts';
import { keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';

const local = (help: string, run: (ctx: CommandContext) => string): CommandNode => keyword('local', help, { run });

const license = (ctx: CommandContext, command: Parameters<CommandContext['device']['license']>[0]): string =>
  printAction(ctx.device.license(command));

function installFile(ctx: CommandContext): string {
  const path = ctx.args.path ?? '';
  const file = ctx.device.readFile(path);
  if (!file.ok) return printAction(file);
  return license(ctx, { type: 'license.reservation.install', text: file.output, file: true });
}

export const RESERVATION_EXEC: CommandNode = keyword('reservation', 'Smart License Reservation', {
  children: [
    keyword('cancel', 'Cancel a reservation request', {
      children: [local('This device', (ctx) => license(ctx, { type: 'license.reservation.cancel' }))],
    }),
    keyword('install', 'Install a reservation authorization code', {
      children: [
        keyword('file', 'Install from a file', {
          children: [param('path', 'WORD', 'File (flash:, usbflash0:)', { accept: word, run: installFile })],
        }),
        // The code is the portal's one-line text, spaces and all (`<?xml version="1.0" …`): the rest of the line.
        param('code', 'LINE', 'Reservation authorization code', {
          rest: true,
          run: (ctx) => license(ctx, { type: 'license.reservation.install', text: ctx.args.code ?? '', file: false }),
        }),
      ],
    }),
    keyword('request', 'Request a reservation', {
      children: [local('This device', (ctx) => license(ctx, { type: 'license.reservation.request' }))],
    }),
    keyword('return', 'Return the installed reservation', {
      children: [local('This device', (ctx) => license(ctx, { type: 'license.reservation.return' }))],
    }),
  ],
});

const enable = (enabled: boolean) => (ctx: CommandContext) =>
  license(ctx, { type: 'license.reservation.enable', enabled });

export const RESERVATION_CONFIG: CommandNode = keyword('reservation', 'Enable Smart License Reservation', {
  run: enable(true),
});
export const NO_RESERVATION_CONFIG: CommandNode = keyword('reservation', 'Disable Smart License Reservation', {
  run: enable(false),
});
