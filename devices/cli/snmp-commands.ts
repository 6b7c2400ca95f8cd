/**
 * `snmp-server enable traps [license|smart-license]`, `snmp-server host <ip> [traps|informs] [version 2c |
 * version 3 noauth|auth|priv] <community-or-user> [udp-port N]`, `snmp-server community <name> [RO|RW]`,
 * `snmp-server user <name> <group> v3 [auth sha|md5 <key> [priv aes 128|des <key>]]`, `snmp-server contact|location
 * <text>`, and the `no` forms
 * (config). The words after the host address and the user name are read as IOS reads them, in order.
 */
import {
  DEFAULT_SNMP,
  TRAP_TYPES,
  type SnmpConfig,
  type SnmpHost,
  type SnmpUser,
  type TrapType,
} from '../snmp/snmp-config.ts';
import { ipv4 } from '../ipv4.ts';
import { printAction } from './action-output.ts';
import { keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';

const apply = (ctx: CommandContext, change: (c: SnmpConfig) => SnmpConfig | string): string => {
  const next = change(ctx.view.snmp.config);
  return typeof next === 'string' ? next : printAction(ctx.device.setSnmp(next));
};

/** The words after `snmp-server host <ip>`; an IOS-style error line when they do not fit. */
export function parseHostWords(
  address: string,
  words: readonly string[],
  users: readonly SnmpUser[],
): SnmpHost | string {
  let i = 0;
  let kind: SnmpHost['kind'] = 'traps';
  if (words[i] === 'traps' || words[i] === 'informs') kind = words[i++] as SnmpHost['kind'];
  let version: SnmpHost['version'] = '2c';
  let level: SnmpHost['level'];
  if (words[i] === 'version') {
    const v = words[++i];
    if (v === '2c') version = '2c';
    else if (v === '3') {
      version = '3';
      level = words[++i] as SnmpHost['level'];
      if (level !== 'noauth' && level !== 'auth' && level !== 'priv') return '% Incomplete command.\n';
    } else return '% Only versions 2c and 3 are supported here\n';
    i++;
  }
  const securityName = words[i++];
  if (securityName === undefined) return '% Incomplete command.\n';
  let port = 162;
  if (words[i] === 'udp-port') {
    port = Number(words[++i]);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return '% Invalid UDP port\n';
    i++;
  }
  if (i < words.length) return `% Invalid input "${words.slice(i).join(' ')}"\n`;
  if (version === '3' && !users.some((u) => u.name === securityName))
    return `% User ${securityName} is not configured (snmp-server user ${securityName} <group> v3 …)\n`;
  return { address, port, kind, version, securityName, ...(level ? { level } : {}) };
}

/** The words after `snmp-server user <name>`. */
export function parseUserWords(name: string, words: readonly string[]): SnmpUser | string {
  const [group, v3, ...rest] = words;
  if (group === undefined || v3 !== 'v3') return '% Incomplete command.\n';
  const user: SnmpUser = { name, group };
  let i = 0;
  if (rest[i] === 'auth') {
    const protocol = rest[i + 1];
    const key = rest[i + 2];
    if ((protocol !== 'sha' && protocol !== 'md5') || key === undefined) return '% Incomplete command.\n';
    if (key.length < 8) return '% Password too short: 8 characters at least\n';
    user.auth = { protocol, key };
    i += 3;
    if (rest[i] === 'priv') {
      const privProtocol = rest[i + 1];
      const step = privProtocol === 'aes' ? (rest[i + 2] === '128' ? 3 : -1) : privProtocol === 'des' ? 2 : -1;
      const privKey = step > 0 ? rest[i + step] : undefined;
      if (privKey === undefined) return '% Incomplete command.\n';
      if (privKey.length < 8) return '% Password too short: 8 characters at least\n';
      user.priv = { protocol: privProtocol as 'aes' | 'des', key: privKey };
      i += step + 1;
    }
  }
  if (i < rest.length) return `% Invalid input "${rest.slice(i).join(' ')}"\n`;
  return user;
}

const words = (ctx: CommandContext): string[] => (ctx.args.rest ?? '').split(/\s+/).filter(Boolean);
const restParam = (help: string, run: (ctx: CommandContext) => string) =>
  param('rest', 'LINE', help, { rest: true, run });

const enableTraps = (on: boolean) => (ctx: CommandContext) =>
  apply(ctx, (c) => {
    const types: readonly TrapType[] = ctx.args.type ? [ctx.args.type as TrapType] : TRAP_TYPES;
    const enabled = on ? [...new Set([...c.enabled, ...types])] : c.enabled.filter((t) => !types.includes(t));
    return { ...c, enabled };
  });

const trapsNode = (on: boolean): CommandNode =>
  keyword('enable', 'Enable SNMP Traps or Informs', {
    children: [
      keyword('traps', 'Enable SNMP Traps', {
        run: enableTraps(on),
        children: [
          param('type', 'WORD', 'Notification type', {
            choices: () => [
              { word: 'license', help: 'Enable license traps' },
              { word: 'smart-license', help: 'Enable smart license traps' },
            ],
            run: enableTraps(on),
          }),
        ],
      }),
    ],
  });

/** `snmp-server contact` and `location`: the text is the rest of the line, as IOS keeps it. */
const textNodes = (on: boolean): CommandNode[] =>
  (
    [
      ['contact', 'Text for mib object sysContact'],
      ['location', 'Text for mib object sysLocation'],
    ] as const
  ).map(([field, help]) =>
    keyword(field, help, {
      ...(on
        ? {
            children: [
              restParam('identification of the contact person or location', (ctx) =>
                apply(ctx, (c) => ({ ...c, [field]: ctx.args.rest!.trim() })),
              ),
            ],
          }
        : {
            run: (ctx: CommandContext) =>
              apply(ctx, (c) => {
                const { [field]: _, ...rest } = c;
                return rest;
              }),
          }),
    }),
  );

export const SNMP_CONFIG: CommandNode = keyword('snmp-server', 'Modify SNMP engine parameters', {
  children: [
    ...textNodes(true),
    keyword('community', 'Enable SNMP; set community string and access privs', {
      children: [
        param('name', 'WORD', 'SNMP community string', {
          accept: word,
          run: (ctx) => apply(ctx, (c) => withCommunity(c, ctx.args.name!, 'RO')),
          children: (['RO', 'RW'] as const).map((access) =>
            keyword(
              access,
              access === 'RO'
                ? 'Read-only access with this community string'
                : 'Read-write access with this community string',
              {
                run: (ctx) => apply(ctx, (c) => withCommunity(c, ctx.args.name!, access)),
              },
            ),
          ),
        }),
      ],
    }),
    trapsNode(true),
    keyword('host', 'Specify hosts to receive SNMP notifications', {
      children: [
        param('address', 'Hostname or A.B.C.D', 'IP address of SNMP notification host', {
          accept: ipv4,
          children: [
            restParam('[traps|informs] [version 2c|3 noauth|auth|priv] WORD [udp-port N]', (ctx) =>
              apply(ctx, (c) => {
                const host = parseHostWords(ctx.args.address!, words(ctx), c.users);
                if (typeof host === 'string') return host;
                return { ...c, hosts: [...c.hosts.filter((h) => h.address !== host.address), host] };
              }),
            ),
          ],
        }),
      ],
    }),
    keyword('user', 'Define a user who can access the SNMP engine', {
      children: [
        param('user', 'WORD', 'Name of the user', {
          accept: word,
          children: [
            restParam('<group> v3 [auth sha|md5 <key> [priv aes 128|des <key>]]', (ctx) =>
              apply(ctx, (c) => {
                const user = parseUserWords(ctx.args.user!, words(ctx));
                if (typeof user === 'string') return user;
                return { ...c, users: [...c.users.filter((u) => u.name !== user.name), user] };
              }),
            ),
          ],
        }),
      ],
    }),
  ],
});

function withCommunity(c: SnmpConfig, name: string, access: 'RO' | 'RW'): SnmpConfig {
  return { ...c, communities: [...c.communities.filter((x) => x.name !== name), { name, access }] };
}

export const NO_SNMP_CONFIG: CommandNode = keyword('snmp-server', 'Modify SNMP engine parameters', {
  run: (ctx) => apply(ctx, () => DEFAULT_SNMP),
  children: [
    ...textNodes(false),
    keyword('community', 'Enable SNMP; set community string and access privs', {
      children: [
        param('name', 'WORD', 'SNMP community string', {
          accept: word,
          run: (ctx) =>
            apply(ctx, (c) => ({ ...c, communities: c.communities.filter((x) => x.name !== ctx.args.name) })),
        }),
      ],
    }),
    trapsNode(false),
    keyword('host', 'Specify hosts to receive SNMP notifications', {
      children: [
        param('address', 'Hostname or A.B.C.D', 'IP address of SNMP notification host', {
          accept: ipv4,
          run: (ctx) => apply(ctx, (c) => ({ ...c, hosts: c.hosts.filter((h) => h.address !== ctx.args.address) })),
        }),
      ],
    }),
  ],
});
