/**
 * `ip http server`, `ip http authentication local|enable`, `username <name> [privilege <0-15>]
 * secret|password [0] <text>` and their `no` forms (config): what a CSLU in pull mode needs to reach the
 * on-box REST API (Cisco's CSLU pull-mode setup; http/access-config.ts). Each builds the next access
 * configuration from the one the view shows.
 */
import type { AccessConfig } from '../http/access-config.ts';
import { printAction } from './action-output.ts';
import { intRange, keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';

const apply = (ctx: CommandContext, change: (c: AccessConfig) => AccessConfig): string =>
  printAction(ctx.device.setAccess(change(ctx.view.access)));

function addUser(ctx: CommandContext): string {
  const name = ctx.args.name!;
  const privilege = ctx.args.privilege === undefined ? 1 : Number(ctx.args.privilege);
  // One entry per name, as IOS keeps it: a second `username` for the name replaces the first.
  return apply(ctx, (c) => ({
    ...c,
    users: [...c.users.filter((u) => u.name !== name), { name, privilege, secret: ctx.args.secret! }],
  }));
}

/** `secret|password [0] <text>`: the text typed in clear (encryption type 0). */
const secretWords: CommandNode[] = (['secret', 'password'] as const).map((kind) =>
  keyword(kind, kind === 'secret' ? 'Specify the secret for the user' : 'Specify the password for the user', {
    children: [
      keyword('0', 'Specifies an UNENCRYPTED password will follow', {
        children: [
          param('secret', 'LINE', 'The UNENCRYPTED (cleartext) user password', { accept: word, run: addUser }),
        ],
      }),
      param('secret', 'LINE', 'The UNENCRYPTED (cleartext) user password', { accept: word, run: addUser }),
    ],
  }),
);

const http = (authentication: AccessConfig['httpAuthentication'] | undefined, server: boolean | undefined) =>
  keyword('http', 'HTTP server configuration', {
    children: [
      keyword('server', 'Enable HTTP server', {
        run: (ctx) => apply(ctx, (c) => ({ ...c, httpServer: server ?? true })),
      }),
      keyword('authentication', 'Set HTTP server authentication method', {
        ...(authentication
          ? { run: (ctx: CommandContext) => apply(ctx, (c) => ({ ...c, httpAuthentication: authentication })) }
          : {}),
        children: (['enable', 'local'] as const).map((a) =>
          keyword(a, a === 'local' ? 'Use local username and passwords' : 'Use enable passwords', {
            run: (ctx) => apply(ctx, (c) => ({ ...c, httpAuthentication: authentication ?? a })),
          }),
        ),
      }),
    ],
  });

export const ACCESS_CONFIG: CommandNode[] = [
  keyword('ip', 'Global IP configuration subcommands', { children: [http(undefined, undefined)] }),
  keyword('username', 'Establish User Name Authentication', {
    children: [
      param('name', 'WORD', 'User name', {
        accept: word,
        children: [
          keyword('privilege', 'Set user privilege level', {
            children: [
              param('privilege', intRange(0, 15).label, 'User privilege level', {
                ...intRange(0, 15),
                children: secretWords,
              }),
            ],
          }),
          ...secretWords,
        ],
      }),
    ],
  }),
];

/** `no ip http server`, `no ip http authentication` (back to `enable`), `no username <name>`. */
export const NO_ACCESS_CONFIG: CommandNode[] = [
  keyword('ip', 'Global IP configuration subcommands', { children: [http('enable', false)] }),
  keyword('username', 'Establish User Name Authentication', {
    children: [
      param('name', 'WORD', 'User name', {
        accept: word,
        run: (ctx) => apply(ctx, (c) => ({ ...c, users: c.users.filter((u) => u.name !== ctx.args.name) })),
      }),
    ],
  }),
];
