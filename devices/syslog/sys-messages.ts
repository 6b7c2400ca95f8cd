/**
 * The %SYS messages real devices print around licensing events: a reload asked for, a configuration
 * session ended, a `logging host` started or stopped (texts from public IOS/IOS XE captures).
 */
import { defineMessages } from './message-definition.ts';

export const sysMessages = defineMessages('SYS', {
  RELOAD: {
    severity: 5,
    text: (p: { reason: string }) => `Reload requested by console. Reload Reason: ${p.reason}.`,
    source: 'IOS XE captures: "%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command."',
  },
  CONFIG_I: {
    severity: 5,
    text: () => 'Configured from console by console',
    source: 'IOS captures: "%SYS-5-CONFIG_I: Configured from console by console"',
  },
  LOGGINGHOST_STARTSTOP: {
    severity: 6,
    text: (p: { address: string; port: number; started: boolean }) =>
      `Logging to host ${p.address} port ${p.port} ${p.started ? 'started' : 'stopped'} - CLI initiated`,
    source:
      'IOS captures: "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 192.168.99.50 port 514 started - CLI initiated"',
  },
});
