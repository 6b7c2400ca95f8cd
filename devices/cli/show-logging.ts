/**
 * `show logging`: the IOS XE layout (public captures of 16.x/17.x devices): the counters, the trap level
 * and one block per `logging host`, then the log buffer. Console, monitor and buffer logging stay at their
 * IOS defaults (the lab has no terminal monitor); the counts are the device's own.
 */
import type { DeviceView } from './cli-device.ts';
import { SEVERITY_NAMES } from '../syslog/logging-config.ts';

export function showLogging(v: DeviceView): string {
  const { output, messagesLogged, buffer, bufferSize } = v.logging;
  const { config } = output;
  const hosts = config.hosts.map((h, i) => {
    const count = output.hosts[i]!;
    return [
      `        Logging to ${h.address}  (${h.transport} port ${h.port}, audit disabled,`,
      '              link up),',
      `              ${count.logged} message lines logged,`,
      `              ${count.rateLimited} message lines rate-limited,`,
      '              0 message lines dropped-by-MD,',
      `              xml disabled, sequence number ${v.logging.sequenceNumbers ? 'enabled' : 'disabled'}`,
      '              filtering disabled',
    ].join('\n');
  });
  return [
    `Syslog logging: enabled (0 messages dropped, ${output.rateLimited} messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)`,
    '',
    'No Active Message Discriminator.',
    '',
    '',
    '',
    'No Inactive Message Discriminator.',
    '',
    '',
    `    Console logging: level debugging, ${messagesLogged} messages logged, xml disabled,`,
    '                     filtering disabled',
    '    Monitor logging: level debugging, 0 messages logged, xml disabled,',
    '                     filtering disabled',
    `    Buffer logging:  level debugging, ${messagesLogged} messages logged, xml disabled,`,
    '                    filtering disabled',
    '    Exception Logging: size (4096 bytes)',
    '    Count and timestamp logging messages: disabled',
    '    Persistent logging: disabled',
    '',
    'No active filter modules.',
    '',
    `    Trap logging: level ${SEVERITY_NAMES[config.trap]}, ${output.trapLogged} message lines logged`,
    ...hosts,
    '        Logging Source-Interface:       VRF Name:',
    '',
    `Log Buffer (${bufferSize} bytes):`,
    '',
    ...buffer,
    '',
  ].join('\n');
}
