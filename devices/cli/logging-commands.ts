/**
 * `logging host <ip> [transport udp|tcp|tls [port N]]`, `logging trap <level>`, `logging facility <f>`,
 * `logging origin-id hostname|ip|string <text>` and their `no` forms (config). Each builds the next
 * logging configuration from the one the view shows; the device keeps it in its running config.
 */
import { SYSLOG_FACILITIES, type SyslogFacility } from '../syslog/ios-syslog-line.ts';
import {
  DEFAULT_LOGGING,
  DEFAULT_PORTS,
  parseSeverity,
  SEVERITY_NAMES,
  type LoggingConfig,
  type OriginId,
} from '../syslog/logging-config.ts';
import type { SyslogTransport } from '../syslog/syslog-sender.ts';
import { ipv4 } from '../ipv4.ts';
import { printAction } from './action-output.ts';
import { intRange, keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';

const SEVERITY_HELP = [
  'Immediate action needed           (severity=0)',
  'Immediate action needed           (severity=1)',
  'Critical conditions               (severity=2)',
  'Error conditions                  (severity=3)',
  'Warning conditions                (severity=4)',
  'Normal but significant conditions (severity=5)',
  'Informational messages            (severity=6)',
  'Debugging messages                (severity=7)',
];

const apply = (ctx: CommandContext, change: (c: LoggingConfig) => LoggingConfig): string =>
  printAction(ctx.device.setLogging(change(ctx.view.logging.output.config)));

function addHost(ctx: CommandContext): string {
  const address = ctx.args.address!;
  const transport = (ctx.args.transport ?? 'udp') as SyslogTransport;
  const port = ctx.args.port === undefined ? DEFAULT_PORTS[transport] : Number(ctx.args.port);
  // One entry per address, as IOS keeps it: a second `logging host` for the address replaces the first.
  return apply(ctx, (c) => ({
    ...c,
    hosts: [...c.hosts.filter((h) => h.address !== address), { address, transport, port }],
  }));
}

const removeHost = (ctx: CommandContext): string =>
  apply(ctx, (c) => ({ ...c, hosts: c.hosts.filter((h) => h.address !== ctx.args.address) }));

function setOrigin(ctx: CommandContext): string {
  const kind = ctx.args.origin!;
  const originId: OriginId =
    kind === 'string' ? { type: 'string', text: ctx.args.text! } : { type: kind as 'hostname' | 'ip' };
  return apply(ctx, (c) => ({ ...c, originId }));
}

function withoutOrigin(c: LoggingConfig): LoggingConfig {
  const { originId: _, ...rest } = c;
  return rest;
}

const withTransport = (t: SyslogTransport) => (ctx: CommandContext) =>
  addHost({ ...ctx, args: { ...ctx.args, transport: t } });

const host: CommandNode = param('address', 'Hostname or A.B.C.D', 'IP address of the syslog server', {
  accept: ipv4,
  run: addHost,
  children: [
    keyword('transport', 'Specify the transport protocol (default=UDP)', {
      children: (['udp', 'tcp', 'tls'] as const).map((t) =>
        keyword(t, `Use ${t.toUpperCase()} as transport protocol`, {
          run: withTransport(t),
          children: [
            keyword('port', 'Specify the port', {
              children: [
                param('port', '<1-65535>', 'Port number', {
                  ...intRange(1, 65535),
                  run: withTransport(t),
                }),
              ],
            }),
          ],
        }),
      ),
    }),
  ],
});

export const LOGGING_CONFIG: CommandNode = keyword('logging', 'Modify message logging facilities', {
  children: [
    keyword('facility', 'Facility parameter for syslog messages', {
      children: [
        param('facility', 'WORD', 'Facility', {
          choices: () => Object.keys(SYSLOG_FACILITIES).map((f) => ({ word: f, help: `Facility ${f}` })),
          run: (ctx) => apply(ctx, (c) => ({ ...c, facility: ctx.args.facility as SyslogFacility })),
        }),
      ],
    }),
    keyword('host', 'Set syslog server IP address and parameters', { children: [host] }),
    // `logging 10.1.1.1`, the older form IOS still takes.
    host,
    keyword('origin-id', 'Add origin ID to syslog messages', {
      children: [
        param('origin', 'WORD', 'Origin ID', {
          choices: () => [
            { word: 'hostname', help: 'Use origin hostname as ID' },
            { word: 'ip', help: 'Use origin IP address as ID' },
            { word: 'string', help: 'Define a unique text string as ID' },
          ],
          run: (ctx) => (ctx.args.origin === 'string' ? '% Incomplete command.\n' : setOrigin(ctx)),
          children: [param('text', 'WORD', 'Text string', { accept: word, run: setOrigin })],
        }),
      ],
    }),
    keyword('trap', 'Set syslog server logging level', {
      children: [
        param('level', '<0-7>', 'Logging severity level', {
          accept: (t) => (/^[0-7]$/.test(t) ? t : undefined),
          run: (ctx) => apply(ctx, (c) => ({ ...c, trap: parseSeverity(ctx.args.level!) })),
        }),
        param('level', 'WORD', 'Logging severity level', {
          choices: () => SEVERITY_NAMES.map((word, i) => ({ word, help: SEVERITY_HELP[i]! })),
          run: (ctx) => apply(ctx, (c) => ({ ...c, trap: parseSeverity(ctx.args.level!) })),
        }),
      ],
    }),
  ],
});

export const NO_LOGGING_CONFIG: CommandNode = keyword('logging', 'Modify message logging facilities', {
  children: [
    keyword('facility', 'Facility parameter for syslog messages', {
      run: (ctx) => apply(ctx, (c) => ({ ...c, facility: DEFAULT_LOGGING.facility })),
    }),
    keyword('host', 'Set syslog server IP address and parameters', {
      children: [
        param('address', 'Hostname or A.B.C.D', 'IP address of the syslog server', { accept: ipv4, run: removeHost }),
      ],
    }),
    keyword('origin-id', 'Add origin ID to syslog messages', { run: (ctx) => apply(ctx, withoutOrigin) }),
  ],
});
