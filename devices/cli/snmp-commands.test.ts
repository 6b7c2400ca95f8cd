/** `snmp-server …` config commands: the configuration each line leaves, and the refusals. */
import { describe, expect, it } from 'vitest';
import { FakeCliDevice, makeView } from './fake-cli-device.test-support.ts';
import { IosShell } from './shell.ts';

function configMode() {
  const device = new FakeCliDevice(makeView());
  const shell = new IosShell(device);
  shell.execute('configure terminal');
  return { device, shell, config: () => device.current.snmp.config };
}

describe('snmp-server configuration', () => {
  it('enables notification types, all or one, and disables them with no', () => {
    const { shell, config } = configMode();
    expect(shell.execute('snmp-server enable traps smart-license')).toBe('');
    expect(config().enabled).toEqual(['smart-license']);
    shell.execute('snmp-server enable traps');
    expect(config().enabled).toEqual(['smart-license', 'license']);
    shell.execute('no snmp-server enable traps smart-license');
    expect(config().enabled).toEqual(['license']);
  });

  it('takes v2c trap and inform hosts with ports, v3 hosts of a configured user, and communities', () => {
    const { shell, config } = configMode();
    shell.execute('snmp-server community lab-ro RO');
    shell.execute('snmp-server host 10.0.0.5 public');
    shell.execute('snmp-server host 10.0.0.6 informs version 2c ops udp-port 1162');
    expect(shell.execute('snmp-server host 10.0.0.7 informs version 3 priv monitor')).toBe(
      '% User monitor is not configured (snmp-server user monitor <group> v3 …)\n',
    );
    expect(shell.execute('snmp-server user monitor ops v3 auth sha authpass1 priv aes 128 privpass1')).toBe('');
    shell.execute('snmp-server host 10.0.0.7 informs version 3 priv monitor');
    expect(config()).toMatchObject({
      communities: [{ name: 'lab-ro', access: 'RO' }],
      users: [
        {
          name: 'monitor',
          group: 'ops',
          auth: { protocol: 'sha', key: 'authpass1' },
          priv: { protocol: 'aes', key: 'privpass1' },
        },
      ],
      hosts: [
        { address: '10.0.0.5', port: 162, kind: 'traps', version: '2c', securityName: 'public' },
        { address: '10.0.0.6', port: 1162, kind: 'informs', version: '2c', securityName: 'ops' },
        { address: '10.0.0.7', port: 162, kind: 'informs', version: '3', securityName: 'monitor', level: 'priv' },
      ],
    });
    shell.execute('no snmp-server host 10.0.0.6');
    expect(config().hosts.map((h) => h.address)).toEqual(['10.0.0.5', '10.0.0.7']);
  });

  it('keeps contact and location as the rest of the line, removes them and communities with no', () => {
    const { shell, config } = configMode();
    shell.execute('snmp-server community lab-ro RO');
    shell.execute('snmp-server community ops RO');
    expect(shell.execute('snmp-server contact NOC  +33 4 72 00 00 00')).toBe('');
    shell.execute('snmp-server location Lyon, bldg 2, rack 7');
    expect(config()).toMatchObject({ contact: 'NOC  +33 4 72 00 00 00', location: 'Lyon, bldg 2, rack 7' });
    shell.execute('no snmp-server contact');
    shell.execute('no snmp-server community lab-ro');
    expect(config().contact).toBeUndefined();
    expect(config().location).toBe('Lyon, bldg 2, rack 7');
    expect(config().communities).toEqual([{ name: 'ops', access: 'RO' }]);
    expect(shell.execute('snmp-server contact')).toBe('% Incomplete command.\n\n');
  });

  it('refuses incomplete and bad lines with one line, changing nothing', () => {
    const { device, shell } = configMode();
    expect(shell.execute('snmp-server host 10.0.0.5 informs version 3')).toBe('% Incomplete command.\n');
    expect(shell.execute('snmp-server host 10.0.0.5 public udp-port 99999')).toBe('% Invalid UDP port\n');
    expect(shell.execute('snmp-server host 10.0.0.5 public extra')).toBe('% Invalid input "extra"\n');
    expect(shell.execute('snmp-server user u g v3 auth sha short')).toBe(
      '% Password too short: 8 characters at least\n',
    );
    expect(shell.execute('snmp-server user u g v3 auth sha longenough priv aes 256 x')).toBe('% Incomplete command.\n');
    expect(shell.execute('snmp-server host 10.0.0.300 public')).toMatch(/% Invalid input detected at '\^' marker/);
    expect(device.calls).toEqual([]);
  });
});
