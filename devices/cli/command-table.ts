/**
 * The one command table: exec and global-configuration trees as data. Keywords, abbreviations and `?`
 * help all come from here; each `run` is a command file's function.
 */
import type { DeviceView } from './cli-device.ts';
import { intRange, keyword, param, word, type CommandContext, type CommandNode } from './command-node.ts';
import { acceptMonth, acceptTime, clockSet } from './clock-set.ts';
import { clockTimezone } from './clock-timezone.ts';
import { dir } from './dir.ts';
import { hostname } from './hostname.ts';
import { licenseAcceptEula } from './license-accept-eula.ts';
import { licenseBootModule } from './license-boot-module.ts';
import { licenseClear, licenseCommentAdd, licenseModifyPriority } from './license-clear.ts';
import { licenseInstall } from './license-install.ts';
import { licenseRevoke } from './license-revoke.ts';
import { RIGHT_TO_USE_EXEC, rightToUse } from './license-right-to-use.ts';
import { CALL_HOME_EXEC } from './license-call-home.ts';
import { showLicenseCallHome } from './show-license-call-home.ts';
import { licenseSave } from './license-save.ts';
import { levelChoices, licenseBootLevel } from './license-boot-level.ts';
import { licenseSmartDeregister } from './license-smart-deregister.ts';
import { licenseSmartEnable, noLicenseSmartEnable } from './license-smart-enable.ts';
import { licenseSmartRegister } from './license-smart-register.ts';
import { licenseSmartConversionStart } from './license-smart-conversion.ts';
import { licenseSmartRenewAuth, licenseSmartRenewId } from './license-smart-renew.ts';
import { ACCESS_CONFIG, NO_ACCESS_CONFIG } from './access-commands.ts';
import { LOGGING_CONFIG, NO_LOGGING_CONFIG } from './logging-commands.ts';
import { NO_SNMP_CONFIG, SNMP_CONFIG } from './snmp-commands.ts';
import { reload } from './reload.ts';
import { NO_RESERVATION_CONFIG, RESERVATION_CONFIG, RESERVATION_EXEC } from './reservation-commands.ts';
import { showLicenseReservation } from './show-license-reservation.ts';
import { showClock } from './show-clock.ts';
import { showLicenseAll } from './show-license-all.ts';
import { showLicenseCsl, showLicenseDetail } from './show-license-csl.ts';
import { showLicenseCslStatus } from './show-license-csl-status.ts';
import { showLicenseFeature } from './show-license-feature.ts';
import { showLicenseFile } from './show-license-file.ts';
import {
  showLicenseRightToUse,
  showLicenseRightToUseDefault,
  showLicenseRightToUseDetail,
  showLicenseRightToUseSummary,
  showLicenseRightToUseUsage,
} from './show-license-right-to-use.ts';
import { showLicenseStatus } from './show-license-status.ts';
import { showLicenseSummary } from './show-license-summary.ts';
import { showLicenseTechSupport } from './show-license-tech-support.ts';
import { showLicenseUdi } from './show-license-udi.ts';
import { showLicenseUsage } from './show-license-usage.ts';
import { showLogging } from './show-logging.ts';
import { SLP_CONFIG, SLP_EXEC, SLP_NO_CONFIG, SLP_SHOW_LICENSE, slpMode } from './slp-commands.ts';
import { showVersion } from './show-version.ts';
import { copyRunningStartup, writeMemory } from './write-memory.ts';

const smartRelease = (v: DeviceView): boolean => v.release.modes.includes('smart');
const imageLevels = (v: DeviceView): boolean => v.platform.levelModel === 'image-level';
const techPackages = (v: DeviceView): boolean => v.platform.levelModel === 'technology-package';
/** Traditional (CSL) licensing runs this boot. */
const csl = (v: DeviceView): boolean => v.licensingMode === 'traditional';
const smartMode = (v: DeviceView): boolean => v.licensingMode === 'smart';
const hasAddons = (v: DeviceView): boolean => (v.platform.addons?.length ?? 0) > 0;

/** A show command: a pure function of the view. */
const show = (fn: (v: DeviceView) => string) => (ctx: CommandContext) => fn(ctx.view);

const url = (help: string, run: (ctx: CommandContext) => string) => param('url', 'WORD', help, { accept: word, run });
const feature = (children: Omit<Parameters<typeof param>[3], 'accept'>) =>
  param('feature', 'WORD', 'Feature name', { accept: word, ...children });

/** The traditional `license …` exec commands (A.4). */
const CSL_EXEC: CommandNode[] = [
  keyword('clear', 'Clear a license', { available: csl, children: [feature({ run: licenseClear })] }),
  keyword('comment', 'Add or delete a license comment', {
    available: csl,
    children: [
      keyword('add', 'Add a comment', {
        children: [
          feature({ children: [param('comment', 'LINE', 'Comment', { rest: true, run: licenseCommentAdd })] }),
        ],
      }),
    ],
  }),
  keyword('modify', 'Modify a license', {
    available: csl,
    children: [
      keyword('priority', "Modify the priority of a feature's installed licenses", {
        children: [
          feature({
            children: [
              param('priority', 'WORD', 'Priority', {
                choices: () => [
                  { word: 'high', help: 'High priority' },
                  { word: 'low', help: 'Low priority' },
                ],
                run: licenseModifyPriority,
              }),
            ],
          }),
        ],
      }),
    ],
  }),
  keyword('install', 'Install a license', {
    available: csl,
    children: [url('URL of the license file (flash:, usbflash0:)', licenseInstall)],
  }),
  keyword('revoke', 'Revoke licenses with a permission ticket (rehost)', {
    available: csl,
    children: [
      param('url', 'WORD', 'URL of the permission ticket (flash:, usbflash0:)', {
        accept: word,
        children: [
          param('rehostUrl', 'WORD', 'URL to write the rehost ticket to (flash:, usbflash0:)', {
            accept: word,
            run: licenseRevoke,
          }),
        ],
      }),
    ],
  }),
  keyword('save', 'Save licenses to a file', {
    available: csl,
    children: [url('URL to save the licenses to (flash:, usbflash0:)', licenseSave)],
  }),
  RIGHT_TO_USE_EXEC,
  CALL_HOME_EXEC,
];

/** `show license right-to-use [default | summary | usage | detail]` (Catalyst 3650 / 3850 RTU images, A.5.7). */
const SHOW_RIGHT_TO_USE = keyword('right-to-use', 'Show right-to-use license information', {
  available: rightToUse,
  run: show(showLicenseRightToUse),
  children: [
    keyword('default', 'Show the default right-to-use license', { run: show(showLicenseRightToUseDefault) }),
    keyword('detail', 'Show right-to-use license detail', { run: show(showLicenseRightToUseDetail) }),
    keyword('summary', 'Show right-to-use license summary', { run: show(showLicenseRightToUseSummary) }),
    keyword('usage', 'Show right-to-use license usage', { run: show(showLicenseRightToUseUsage) }),
  ],
});

/**
 * `show license …` children both modes have: udi, and the Smart ones every Smart-capable release offers
 * (a dual-mode image running traditional licensing too).
 */
const SHOW_LICENSE_ALL = keyword('all', 'Show license all information', {
  run: show(showLicenseAll),
  available: smartRelease,
});
const SHOW_LICENSE_COMMON: CommandNode[] = [
  keyword('summary', 'Show license summary', { run: show(showLicenseSummary), available: smartRelease }),
  keyword('tech-support', 'Show license tech support information', {
    run: show(showLicenseTechSupport),
    available: smartRelease,
  }),
  keyword('udi', 'Show license UDI information', { run: show(showLicenseUdi) }),
  keyword('usage', 'Show license usage information', { run: show(showLicenseUsage), available: smartRelease }),
];

const year = param('year', '<1993-2035>', 'Year', { ...intRange(1993, 2035), run: clockSet });
const day = (children: CommandNode[]) => param('day', '<1-31>', 'Day of the month', { ...intRange(1, 31), children });
const month = (children: CommandNode[]) =>
  param('month', 'MONTH', 'Month of the year', { accept: acceptMonth, children });

export const EXEC_COMMANDS: readonly CommandNode[] = [
  keyword('clock', 'Manage the system clock', {
    children: [
      keyword('set', 'Set the time and date', {
        children: [
          param('time', 'hh:mm:ss', 'Current Time', {
            accept: acceptTime,
            children: [day([month([year])]), month([day([year])])],
          }),
        ],
      }),
    ],
  }),
  keyword('configure', 'Enter configuration mode', {
    children: [
      keyword('terminal', 'Configure from the terminal', {
        run: (ctx) => {
          ctx.setMode('config');
          return 'Enter configuration commands, one per line.  End with CNTL/Z.\n';
        },
      }),
    ],
  }),
  keyword('copy', 'Copy from one file to another', {
    children: [
      keyword('running-config', 'Copy from current system configuration', {
        children: [keyword('startup-config', 'Copy to startup configuration', { run: copyRunningStartup })],
      }),
    ],
  }),
  keyword('dir', 'List files on a filesystem', {
    run: dir,
    children: [
      param('fs', 'WORD', 'File system', {
        choices: () => [
          { word: 'flash:', help: 'Directory or file name' },
          { word: 'usbflash0:', help: 'Directory or file name' },
        ],
        run: dir,
      }),
    ],
  }),
  keyword('license', 'License Commands', {
    available: (v) => smartRelease(v) || csl(v) || slpMode(v),
    children: [
      ...CSL_EXEC,
      SLP_EXEC,
      keyword('smart', 'Smart licensing Commands', {
        available: smartRelease,
        children: [
          keyword('conversion', 'Convert traditional licenses to Smart Licensing', {
            children: [keyword('start', 'Start the conversion', { run: licenseSmartConversionStart })],
          }),
          keyword('deregister', 'Deregister from Cisco', { run: licenseSmartDeregister }),
          keyword('register', 'Register with Cisco', {
            children: [
              keyword('idtoken', 'Id Token', {
                children: [
                  param('idToken', 'WORD', 'Id Token', {
                    accept: word,
                    run: licenseSmartRegister,
                    children: [
                      param('force', 'force', 'Forcefully register', {
                        choices: () => [{ word: 'force', help: 'Forcefully register' }],
                        run: licenseSmartRegister,
                      }),
                    ],
                  }),
                ],
              }),
            ],
          }),
          keyword('renew', 'Renew registration or authorization', {
            children: [
              keyword('auth', 'Renew the authorization', { run: licenseSmartRenewAuth }),
              keyword('id', 'Renew the ID certificate', { run: licenseSmartRenewId }),
            ],
          }),
          { ...RESERVATION_EXEC, available: smartMode },
        ],
      }),
    ],
  }),
  keyword('reload', 'Halt and perform a cold restart', { run: reload }),
  keyword('show', 'Show running system information', {
    children: [
      keyword('clock', 'Display the system clock', { run: show(showClock) }),
      // Traditional images: `show license` itself lists the features (A.5.1).
      keyword('license', 'Show license information', {
        available: csl,
        run: show(showLicenseCsl),
        children: [
          SHOW_LICENSE_ALL,
          keyword('call-home', 'Show license call-home information', { run: show(showLicenseCallHome) }),
          keyword('detail', 'Show license detail information', { run: show(showLicenseDetail) }),
          keyword('feature', 'Show license feature information', { run: show(showLicenseFeature) }),
          keyword('file', 'Show license file information', { run: show(showLicenseFile) }),
          SHOW_RIGHT_TO_USE,
          keyword('status', 'Show license status information', { run: show(showLicenseCslStatus) }),
          ...SHOW_LICENSE_COMMON,
        ],
      }),
      keyword('license', 'Show license information', {
        available: smartMode,
        children: [
          SHOW_LICENSE_ALL,
          keyword('reservation', 'Show license reservation information', { run: show(showLicenseReservation) }),
          keyword('status', 'Show license status information', { run: show(showLicenseStatus) }),
          ...SHOW_LICENSE_COMMON,
        ],
      }),
      SLP_SHOW_LICENSE,
      keyword('logging', 'Show the contents of logging buffers', { run: show(showLogging) }),
      keyword('version', 'System hardware and software status', { run: show(showVersion) }),
    ],
  }),
  keyword('write', 'Write running configuration to memory, network, or terminal', {
    run: writeMemory,
    children: [keyword('memory', 'Write to NV memory', { run: writeMemory })],
  }),
];

const toExec = (ctx: CommandContext): string => {
  ctx.setMode('exec');
  return '';
};

const bootLevel = keyword('boot', 'license boot config commands', {
  children: [
    keyword('module', 'Configure license module to boot with', {
      available: techPackages,
      children: [
        param('module', 'WORD', 'Module name', {
          accept: word,
          children: [
            keyword('technology-package', 'Technology package to boot with', {
              children: [
                param('pkg', 'WORD', 'Technology package', {
                  choices: (v) => levelChoices(v.platform.levels),
                  run: licenseBootModule,
                  children: [
                    param('disable', 'disable', 'Disable the technology package', {
                      choices: () => [{ word: 'disable', help: 'Disable the technology package' }],
                      run: licenseBootModule,
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
    keyword('level', 'License level to boot with', {
      available: imageLevels,
      children: [
        param('level', 'WORD', 'License level', {
          choices: (v) => levelChoices(v.platform.levels),
          run: licenseBootLevel,
          children: [
            keyword('addon', 'Add-on license', {
              available: hasAddons,
              children: [
                param('addon', 'WORD', 'Add-on license', {
                  choices: (v) => levelChoices(v.platform.addons),
                  run: licenseBootLevel,
                }),
              ],
            }),
          ],
        }),
      ],
    }),
  ],
});

const smartEnable = (run: (ctx: CommandContext) => string, reservation: CommandNode): CommandNode =>
  keyword('smart', 'Smart license configuration', {
    available: smartRelease,
    children: [keyword('enable', 'Enable Smart Licensing', { run }), { ...reservation, available: smartMode }],
  });

export const CONFIG_COMMANDS: readonly CommandNode[] = [
  keyword('clock', 'Configure time-of-day clock', {
    children: [
      keyword('timezone', 'Configure time zone', {
        children: [
          param('zone', 'WORD', 'name of time zone', {
            accept: word,
            children: [
              param('hours', '<-23 - 23>', 'Hours offset from UTC', {
                ...intRange(-23, 23),
                run: clockTimezone,
                children: [
                  param('minutes', '<0-59>', 'Minutes offset from UTC', { ...intRange(0, 59), run: clockTimezone }),
                ],
              }),
            ],
          }),
        ],
      }),
    ],
  }),
  keyword('do', 'To run exec commands in config mode', {
    children: [param('line', 'LINE', 'Exec Command', { rest: true, run: (ctx) => ctx.runExec(ctx.args.line ?? '') })],
  }),
  keyword('end', 'Exit from configure mode', { run: toExec }),
  keyword('exit', 'Exit from configure mode', { run: toExec }),
  keyword('hostname', "Set system's network name", {
    children: [param('name', 'WORD', "This system's network name", { accept: word, run: hostname })],
  }),
  keyword('license', 'Configure license features', {
    children: [
      keyword('accept', 'Accept a license agreement', {
        available: csl,
        children: [
          keyword('end', 'End user agreement', {
            children: [
              keyword('user', 'End user agreement', {
                children: [keyword('agreement', 'Accept the end user license agreement', { run: licenseAcceptEula })],
              }),
            ],
          }),
        ],
      }),
      bootLevel,
      smartEnable(licenseSmartEnable, RESERVATION_CONFIG),
      SLP_CONFIG,
    ],
  }),
  LOGGING_CONFIG,
  SNMP_CONFIG,
  ...ACCESS_CONFIG,
  keyword('no', 'Negate a command or set its defaults', {
    children: [
      keyword('license', 'Configure license features', {
        children: [smartEnable(noLicenseSmartEnable, NO_RESERVATION_CONFIG), SLP_NO_CONFIG],
      }),
      NO_LOGGING_CONFIG,
      NO_SNMP_CONFIG,
      ...NO_ACCESS_CONFIG,
    ],
  }),
];
