/**
 * `license smart reservation …` (smart-licensing.md §8.2). Classic Smart images: exec `request local`,
 * `cancel local`, `install <code>`, `install file <path>`, `return local`; config `[no] license smart
 * reservation`. SLP images (17.x keeps SLR / PLR, §9.1) as IOS XE 17.x offers them: `request {local|all}`,
 * `cancel [local|all]`, `install [file <path>] | <code>`, `return [local|all] [authorization {<code> |
 * file <path>}]`; `all` acts as `local` (stacks and HA pairs are not modelled: the device is its own
 * active). The agent checks and carries them out (licensing/reservation-command.ts).
 */
import type { ReservationCommand } from '../licensing/smart-events.ts';
import { printAction } from './action-output.ts';
import { keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';

/** Which agent takes the command: the classic one (`license`) or SLP's (`slpLicense`). */
type Send = (ctx: CommandContext, command: ReservationCommand) => string;
const classic: Send = (ctx, command) => printAction(ctx.device.license(command));
const slp: Send = (ctx, command) => printAction(ctx.device.slpLicense(command));

/** `<code>` (the rest of the line) or `file <path>` (the file's text), for `install` and `return authorization`. */
function codeOrFile(
  send: Send,
  fileHelp: string,
  make: (text: string, file: boolean) => ReservationCommand,
): CommandNode[] {
  const fromFile = (ctx: CommandContext): string => {
    const file = ctx.device.readFile(ctx.args.path ?? '');
    if (!file.ok) return printAction(file);
    return send(ctx, make(file.output, true));
  };
  return [
    keyword('file', fileHelp, {
      children: [param('path', 'WORD', 'File (flash:, usbflash0:)', { accept: word, run: fromFile })],
    }),
    // The code is the portal's one-line text, spaces and all (`<?xml version="1.0" …`): the rest of the line.
    param('code', 'LINE', 'Reservation authorization code', {
      rest: true,
      run: (ctx) => send(ctx, make(ctx.args.code ?? '', false)),
    }),
  ];
}

const install = (send: Send): CommandNode =>
  keyword('install', 'Install a reservation authorization code', {
    children: codeOrFile(send, 'Install from a file', (text, file) => ({
      type: 'license.reservation.install',
      text,
      file,
    })),
  });

const scoped = (run: (ctx: CommandContext) => string, children: CommandNode[] = []): CommandNode[] => [
  keyword('all', 'All devices in the HA setup (this device: stacks are not modelled)', { run, children }),
  keyword('local', 'This device', { run, children }),
];

const cancel = (send: Send) => (ctx: CommandContext) => send(ctx, { type: 'license.reservation.cancel' });
const request = (send: Send) => (ctx: CommandContext) => send(ctx, { type: 'license.reservation.request' });
const giveBack = (send: Send) => (ctx: CommandContext) => send(ctx, { type: 'license.reservation.return' });

export const RESERVATION_EXEC: CommandNode = keyword('reservation', 'Smart License Reservation', {
  children: [
    keyword('cancel', 'Cancel a reservation request', {
      children: [keyword('local', 'This device', { run: cancel(classic) })],
    }),
    install(classic),
    keyword('request', 'Request a reservation', {
      children: [keyword('local', 'This device', { run: request(classic) })],
    }),
    keyword('return', 'Return the installed reservation', {
      children: [keyword('local', 'This device', { run: giveBack(classic) })],
    }),
  ],
});

const returnAuthorization = keyword('authorization', 'Return a reservation authorization code', {
  children: codeOrFile(slp, 'Return the code in a file', (text, file) => ({
    type: 'license.reservation.return',
    authorization: { text, file },
  })),
});

export const SLP_RESERVATION_EXEC: CommandNode = keyword('reservation', 'Smart License Reservation', {
  children: [
    keyword('cancel', 'Cancel a reservation request', { run: cancel(slp), children: scoped(cancel(slp)) }),
    install(slp),
    keyword('request', 'Request a reservation', { children: scoped(request(slp)) }),
    keyword('return', 'Return a reservation', {
      run: giveBack(slp),
      children: [...scoped(giveBack(slp), [returnAuthorization]), returnAuthorization],
    }),
  ],
});

const enable = (send: Send, enabled: boolean) => (ctx: CommandContext) =>
  send(ctx, { type: 'license.reservation.enable', enabled });

export const RESERVATION_CONFIG: CommandNode = keyword('reservation', 'Enable Smart License Reservation', {
  run: enable(classic, true),
});
export const NO_RESERVATION_CONFIG: CommandNode = keyword('reservation', 'Disable Smart License Reservation', {
  run: enable(classic, false),
});
export const SLP_RESERVATION_CONFIG: CommandNode = keyword('reservation', 'Enable Smart License Reservation', {
  run: enable(slp, true),
});
export const SLP_NO_RESERVATION_CONFIG: CommandNode = keyword('reservation', 'Disable Smart License Reservation', {
  run: enable(slp, false),
});
