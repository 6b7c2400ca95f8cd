/**
 * The `license smart …` and `show license …` trees of SLP images (smart-licensing.md §9.7), offered only
 * while the SLP agent runs; command-table.ts puts them beside the classic and traditional trees.
 */
import type { DeviceView } from './cli-device.ts';
import { intRange, keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';
import { licenseSmartAuthorizationRequest } from './license-smart-authorization-request.ts';
import { licenseSmartAuthorizationReturn } from './license-smart-authorization-return.ts';
import { licenseSmartFactoryReset } from './license-smart-factory-reset.ts';
import { licenseSmartImport } from './license-smart-import.ts';
import { licenseSmartSaveUsage } from './license-smart-save-usage.ts';
import { licenseSmartSync } from './license-smart-sync.ts';
import { licenseSmartTransport, TRANSPORT_CHOICES } from './license-smart-transport.ts';
import { licenseSmartTrust } from './license-smart-trust.ts';
import { licenseSmartUrl } from './license-smart-url.ts';
import { licenseSmartUsageInterval } from './license-smart-usage-interval.ts';
import { SLP_NO_RESERVATION_CONFIG, SLP_RESERVATION_CONFIG, SLP_RESERVATION_EXEC } from './reservation-commands.ts';
import { showLicenseHistoryMessage } from './show-license-history-message.ts';
import { showLicenseReservation } from './show-license-reservation.ts';
import { showLicenseRumIdAll, showLicenseRumIdDetail } from './show-license-rum.ts';
import { showLicenseStatusSlp } from './show-license-status-slp.ts';
import { showLicenseSummarySlp } from './show-license-summary-slp.ts';
import { showLicenseTechSupportSlp } from './show-license-tech-support-slp.ts';
import { showLicenseUdi } from './show-license-udi.ts';
import { showLicenseUsageSlp } from './show-license-usage-slp.ts';

export const slpMode = (v: DeviceView): boolean => v.licensingMode === 'slp';

const show = (fn: (v: DeviceView) => string) => (ctx: CommandContext) => fn(ctx.view);
const choice = (
  name: string,
  label: string,
  help: string,
  words: readonly { word: string; help: string }[],
  rest: Omit<Parameters<typeof param>[3], 'choices'>,
) => param(name, label, help, { choices: () => words, ...rest });
const path = (help: string, run: (ctx: CommandContext) => string) => param('path', 'WORD', help, { accept: word, run });
const SCOPES = [
  { word: 'all', help: 'Apply to all devices in the HA setup' },
  { word: 'local', help: 'Apply to the active device only' },
];

export const SLP_EXEC: CommandNode = keyword('smart', 'Smart licensing Commands', {
  available: slpMode,
  children: [
    keyword('authorization', 'Smart Licensing Authorization Codes', {
      children: [
        keyword('request', 'Request an authorization code', {
          children: [
            keyword('add', 'Add a license to the authorization code', {
              children: [
                param('feature', 'WORD', 'License (feature) name', {
                  accept: word,
                  children: [
                    choice('scope', 'WORD', 'Which devices', SCOPES, { run: licenseSmartAuthorizationRequest }),
                  ],
                }),
              ],
            }),
          ],
        }),
        keyword('return', 'Return the authorization codes', {
          children: [
            choice('scope', 'WORD', 'Which devices', SCOPES, {
              children: [keyword('online', 'Return online', { run: licenseSmartAuthorizationReturn })],
            }),
          ],
        }),
      ],
    }),
    keyword('factory', 'Factory reset', {
      children: [keyword('reset', 'Wipe all licensing data', { run: licenseSmartFactoryReset })],
    }),
    keyword('import', 'Import an ACK, policy, trust code or authorization code file', {
      children: [path('File to import (flash:, usbflash0:)', licenseSmartImport)],
    }),
    SLP_RESERVATION_EXEC,
    keyword('save', 'Save licensing data', {
      children: [
        keyword('usage', 'Save usage reports', {
          children: [
            ...(['all', 'unreported'] as const).map((w) =>
              keyword(w, w === 'all' ? 'Save all usage reports' : 'Save the usage reports not yet acknowledged', {
                children: [
                  keyword('file', 'Save to a file', {
                    children: [
                      param('path', 'WORD', 'File (flash:, usbflash0:)', {
                        accept: word,
                        run: (ctx) => licenseSmartSaveUsage({ ...ctx, args: { ...ctx.args, which: w } }),
                      }),
                    ],
                  }),
                ],
              }),
            ),
            keyword('rum-Id', 'Save one usage report', {
              children: [
                param('rumId', '<0-18446744073709551615>', 'Report Id', {
                  accept: (t) => (/^\d{1,20}$/.test(t) ? t : undefined),
                  children: [
                    keyword('file', 'Save to a file', {
                      children: [path('File (flash:, usbflash0:)', licenseSmartSaveUsage)],
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
    keyword('sync', 'Synchronize usage with CSSM or CSLU', {
      children: [choice('scope', 'WORD', 'Which devices', SCOPES, { run: licenseSmartSync })],
    }),
    keyword('trust', 'Trust code commands', {
      children: [
        keyword('idtoken', 'Install a trust code with an ID token', {
          children: [
            param('idToken', 'WORD', 'Id Token', {
              accept: word,
              children: [
                choice('scope', 'WORD', 'Which devices', SCOPES, {
                  run: licenseSmartTrust,
                  children: [
                    choice(
                      'force',
                      'force',
                      'Replace an installed trust code',
                      [{ word: 'force', help: 'Replace an installed trust code' }],
                      {
                        run: licenseSmartTrust,
                      },
                    ),
                  ],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
  ],
});

export const SLP_SHOW_LICENSE: CommandNode = keyword('license', 'Show license information', {
  available: slpMode,
  children: [
    keyword('history', 'Show license history information', {
      children: [keyword('message', 'Message history', { run: show(showLicenseHistoryMessage) })],
    }),
    keyword('reservation', 'Show license reservation information', { run: show(showLicenseReservation) }),
    keyword('rum', 'Show license RUM reports', {
      children: [
        keyword('id', 'Report Id', {
          children: [
            keyword('all', 'All reports', { run: show(showLicenseRumIdAll) }),
            param('rumId', '<0-18446744073709551615>', 'Report Id', {
              accept: (t) => (/^\d{1,20}$/.test(t) ? t : undefined),
              children: [
                keyword('detail', 'Detailed report information', {
                  run: (ctx) => showLicenseRumIdDetail(ctx.view, ctx.args.rumId ?? ''),
                }),
              ],
            }),
          ],
        }),
      ],
    }),
    keyword('status', 'Show license status information', { run: show(showLicenseStatusSlp) }),
    keyword('summary', 'Show license summary', { run: show(showLicenseSummarySlp) }),
    keyword('tech-support', 'Show license tech support information', { run: show(showLicenseTechSupportSlp) }),
    keyword('udi', 'Show license UDI information', { run: show(showLicenseUdi) }),
    keyword('usage', 'Show license usage information', { run: show(showLicenseUsageSlp) }),
  ],
});

const URL_KINDS = [
  { word: 'cslu', help: 'CSLU URL' },
  { word: 'smart', help: 'Smart transport URL' },
];

export const SLP_CONFIG: CommandNode = keyword('smart', 'Smart license configuration', {
  available: slpMode,
  children: [
    // Accepted with no effect on SLP images (§9.1).
    keyword('enable', 'Enable Smart Licensing', { run: () => '' }),
    SLP_RESERVATION_CONFIG,
    keyword('transport', 'Transport type', {
      children: [choice('transport', 'WORD', 'Transport type', TRANSPORT_CHOICES, { run: licenseSmartTransport })],
    }),
    keyword('url', 'URL for the transport', {
      children: [
        keyword('default', 'The default Smart transport URL', {
          run: (ctx) => licenseSmartUrl({ ...ctx, args: { ...ctx.args, kind: 'default' } }),
        }),
        ...URL_KINDS.map(({ word: kind, help }) =>
          keyword(kind, help, {
            children: [
              param('url', 'WORD', 'URL (http:// or https://)', {
                accept: word,
                run: (ctx) => licenseSmartUrl({ ...ctx, args: { ...ctx.args, kind } }),
              }),
            ],
          }),
        ),
      ],
    }),
    keyword('usage', 'Usage reporting', {
      children: [
        keyword('interval', 'Days between usage reports', {
          children: [param('days', '<1-365>', 'Days', { ...intRange(1, 365), run: licenseSmartUsageInterval })],
        }),
      ],
    }),
  ],
});

/** `no license smart …` on SLP images: `no license smart reservation`. */
export const SLP_NO_CONFIG: CommandNode = keyword('smart', 'Smart license configuration', {
  available: slpMode,
  children: [SLP_NO_RESERVATION_CONFIG],
});
