/** `logging …` config commands and `show logging`: the configuration each line leaves, and how IOS prints it. */
import { describe, expect, it } from 'vitest';
import { FakeCliDevice, makeView } from './fake-cli-device.test-support.ts';
import { IosShell } from './shell.ts';

function configMode() {
  const device = new FakeCliDevice(makeView());
  const shell = new IosShell(device);
  shell.execute('configure terminal');
  return { device, shell, config: () => device.current.logging.output.config };
}

describe('logging configuration', () => {
  it('adds hosts with transport and port, replaces a host given again, and removes one with no', () => {
    const { shell, config } = configMode();
    expect(shell.execute('logging host 10.1.1.1')).toBe('');
    expect(shell.execute('logging host 10.1.1.2 transport tcp')).toBe('');
    expect(shell.execute('logging 10.1.1.3')).toBe('');
    expect(shell.execute('logg host 10.1.1.1 trans tls port 7514')).toBe('');
    expect(config().hosts).toEqual([
      { address: '10.1.1.2', transport: 'tcp', port: 601 },
      { address: '10.1.1.3', transport: 'udp', port: 514 },
      { address: '10.1.1.1', transport: 'tls', port: 7514 },
    ]);
    expect(shell.execute('no logging host 10.1.1.2')).toBe('');
    expect(config().hosts.map((h) => h.address)).toEqual(['10.1.1.3', '10.1.1.1']);
  });

  it('sets the trap level by name or number, the facility and the origin-id, and resets them', () => {
    const { shell, config } = configMode();
    shell.execute('logging trap warnings');
    expect(config().trap).toBe(4);
    shell.execute('logging trap 7');
    expect(config().trap).toBe(7);
    shell.execute('logging facility local3');
    shell.execute('logging origin-id string site-A');
    expect(config()).toMatchObject({ facility: 'local3', originId: { type: 'string', text: 'site-A' } });
    shell.execute('logging origin-id hostname');
    expect(config().originId).toEqual({ type: 'hostname' });
    shell.execute('no logging origin-id');
    shell.execute('no logging facility');
    expect(config()).toEqual({ hosts: [], trap: 7, facility: 'local7' });
  });

  it('refuses bad addresses, ports and levels with the IOS marker, changing nothing', () => {
    const { device, shell, config } = configMode();
    expect(shell.execute('logging host 10.1.1.300')).toMatch(/\^\n% Invalid input detected at '\^' marker\.\n\n$/);
    expect(shell.execute('logging host 10.1.1.1 transport tcp port 70000')).toMatch(/% Invalid input/);
    expect(shell.execute('logging trap 8')).toMatch(/% Invalid input/);
    expect(shell.execute('logging origin-id string')).toBe('% Incomplete command.\n');
    expect(device.calls).toEqual([]);
    expect(config().hosts).toEqual([]);
  });
});

describe('show logging', () => {
  it('prints the trap level, each host with its counts, and the buffer', () => {
    const view = makeView();
    const device = new FakeCliDevice({
      ...view,
      logging: {
        output: {
          config: { hosts: [{ address: '10.0.0.9', transport: 'tcp', port: 601 }], trap: 4, facility: 'local7' },
          trapLogged: 12,
          rateLimited: 3,
          hosts: [{ logged: 9, rateLimited: 3 }],
        },
        messagesLogged: 41,
        buffer: ['*Mar  1 00:00:42.133: %SMART_LIC-6-AGENT_READY: Smart Agent for Licensing is initialized'],
        bufferSize: 4096,
        sequenceNumbers: false,
      },
    });
    const out = new IosShell(device).execute('show logging');
    expect(out).toMatch(/^Syslog logging: enabled \(0 messages dropped, 3 messages rate-limited, /);
    expect(out).toContain('    Console logging: level debugging, 41 messages logged, xml disabled,\n');
    expect(out).toContain(
      [
        '    Trap logging: level warnings, 12 message lines logged',
        '        Logging to 10.0.0.9  (tcp port 601, audit disabled,',
        '              link up),',
        '              9 message lines logged,',
        '              3 message lines rate-limited,',
      ].join('\n'),
    );
    expect(out).toMatch(/Log Buffer \(4096 bytes\):\n\n\*Mar {2}1 00:00:42\.133: %SMART_LIC-6-AGENT_READY: .*\n$/);
  });
});
