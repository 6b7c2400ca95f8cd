import { describe, expect, it } from 'vitest';
import { FakeCliDevice, makeView } from './fake-cli-device.test-support.ts';
import { IosShell } from './shell.ts';

const INVALID = "% Invalid input detected at '^' marker.\n\n";

function setup(view = makeView()) {
  const device = new FakeCliDevice(view);
  return { device, shell: new IosShell(device) };
}

describe('IosShell parsing', () => {
  it('prints nothing for an empty line', () => {
    expect(setup().shell.execute('   ')).toBe('');
  });

  it('accepts unique-prefix abbreviations in any case', () => {
    const { shell } = setup();
    expect(shell.execute('sh lic stat')).toBe(shell.execute('show license status'));
    expect(shell.execute('SH CLO')).toBe('08:09:30.000 UTC Wed Mar 13 2024\n');
  });

  it('answers an ambiguous prefix with the input as typed', () => {
    const { shell } = setup();
    expect(shell.execute('sh lic s')).toBe('% Ambiguous command:  "sh lic s"\n');
    expect(shell.execute('c')).toBe('% Ambiguous command:  "c"\n');
  });

  it('puts the caret under the first bad character, counting the prompt', () => {
    const { shell } = setup();
    // `Switch#` is 7 columns; `show versoin`: `vers` matches, the `o` at column 9 does not.
    expect(shell.execute('show versoin')).toBe(`${' '.repeat(7 + 9)}^\n${INVALID}`);
    expect(shell.execute('show clock extra')).toBe(`${' '.repeat(7 + 11)}^\n${INVALID}`);
    expect(shell.execute('  xyz')).toBe(`${' '.repeat(7 + 2)}^\n${INVALID}`);
  });

  it('counts the config prompt for the caret', () => {
    const { shell } = setup();
    shell.execute('conf t');
    // `s` is still `snmp-server`'s: the caret stands under the `h`.
    expect(shell.execute('show version')).toBe(`${' '.repeat('Switch(config)#'.length + 1)}^\n${INVALID}`);
  });

  it('says a command is incomplete', () => {
    const { shell } = setup();
    expect(shell.execute('show')).toBe('% Incomplete command.\n\n');
    expect(shell.execute('show license')).toBe('% Incomplete command.\n\n');
    expect(shell.execute('license smart register idtoken')).toBe('% Incomplete command.\n\n');
  });

  it('never throws: an internal error is one % line', () => {
    const { device, shell } = setup();
    device.view = () => {
      throw new Error('storage gone');
    };
    expect(shell.execute('show clock')).toBe('% Internal error: storage gone\n');
  });

  it('hides license smart commands on a release without Smart Licensing', () => {
    const traditional = makeView({
      release: {
        version: '12.2(55)SE12',
        os: 'IOS',
        image: 'c3750e-universalk9-mz.122-55.SE12.bin',
        modes: ['traditional'],
        defaultMode: 'traditional',
      },
      licensingMode: 'traditional',
    });
    const { shell } = setup(traditional);
    // `license` is the traditional one's (install, clear, …): the caret stands under `smart`.
    expect(shell.execute('license smart deregister')).toBe(`${' '.repeat(7 + 9)}^\n${INVALID}`);
    expect(shell.execute('show license status')).toMatch(/^License Type Supported\n/);
  });
});

describe('IosShell ? help', () => {
  it('lists the next keywords padded to the longest + 2, then a blank line', () => {
    const { shell } = setup();
    expect(shell.execute('show license ?')).toBe(
      [
        '  all           Show license all information',
        '  reservation   Show license reservation information',
        '  status        Show license status information',
        '  summary       Show license summary',
        '  tech-support  Show license tech support information',
        '  udi           Show license UDI information',
        '  usage         Show license usage information',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows <cr> and parameters where the command may end', () => {
    const { shell } = setup();
    expect(shell.execute('license smart register idtoken ABC ?')).toBe('  force  Forcefully register\n  <cr>\n\n');
    expect(shell.execute('clock set 10:00:00 ?')).toBe('  <1-31>  Day of the month\n  MONTH   Month of the year\n\n');
  });

  it('completes a partial word', () => {
    const { shell } = setup();
    expect(shell.execute('show li?')).toBe('license  \n\n');
    expect(shell.execute('show lx?')).toBe('% Unrecognized command\n');
    expect(shell.execute('show clock ?')).toBe('  <cr>\n\n');
  });

  it('reports errors before the ?', () => {
    const { shell } = setup();
    expect(shell.execute('sh l s ?')).toBe('% Ambiguous command:  "sh l s ?"\n');
    expect(shell.execute('shw ?')).toBe(`${' '.repeat(7 + 2)}^\n${INVALID}`);
  });

  it('offers the platform boot levels and add-ons', () => {
    const { shell } = setup();
    shell.execute('configure terminal');
    expect(shell.execute('license boot level ?')).toBe(
      '  network-essentials  License Level Network Essentials\n  network-advantage   License Level Network Advantage\n\n',
    );
    expect(shell.execute('license boot level network-advantage addon ?')).toBe(
      '  dna-essentials  License Level DNA Essentials\n  dna-advantage   License Level DNA Advantage\n\n',
    );
  });
});

describe('IosShell modes', () => {
  it('enters and leaves global configuration', () => {
    const { shell } = setup();
    expect(shell.prompt()).toBe('Switch#');
    expect(shell.execute('configure terminal')).toBe('Enter configuration commands, one per line.  End with CNTL/Z.\n');
    expect(shell.prompt()).toBe('Switch(config)#');
    expect(shell.execute('end')).toBe('');
    expect(shell.prompt()).toBe('Switch#');
    shell.execute('conf t');
    expect(shell.execute('exit')).toBe('');
    expect(shell.mode).toBe('exec');
  });

  it('runs exec commands with do in config mode, caret placed under the typed command', () => {
    const { shell } = setup();
    shell.execute('conf t');
    expect(shell.execute('do sh clock')).toBe('08:09:30.000 UTC Wed Mar 13 2024\n');
    expect(shell.execute('do show versoin')).toBe(`${' '.repeat('Switch(config)#do show vers'.length)}^\n${INVALID}`);
    expect(shell.mode).toBe('config');
  });

  it('answers do <command> ? with the exec help (regression: it answered `<cr>`)', () => {
    const { shell } = setup();
    const execHelp = shell.execute('show license ?');
    shell.execute('conf t');
    expect(shell.execute('do show license ?')).toBe(execHelp);
    expect(shell.execute('do sh cl?')).toBe('clock  \n\n');
    expect(shell.execute('do ?')).toBe('  LINE  Exec Command\n\n');
    expect(shell.mode).toBe('config');
  });

  it('offers ISR G2 its own license commands in config mode: boot module, not boot level (issue 14)', () => {
    const isrG2 = makeView({
      platform: { ...makeView().platform, levelModel: 'technology-package', addons: [], licenseModule: 'c2900' },
      licensingMode: 'traditional',
      release: {
        version: '15.7(3)M5',
        os: 'IOS',
        image: 'c2900-universalk9-mz.SPA.157-3.M5.bin',
        modes: ['traditional'],
        defaultMode: 'traditional',
      },
    });
    const { shell } = setup(isrG2);
    shell.execute('conf t');
    expect(shell.execute('license ?')).toBe(
      '  accept  Accept a license agreement\n  boot    license boot config commands\n\n',
    );
    expect(shell.execute('license boot ?')).toBe('  module  Configure license module to boot with\n\n');
  });

  it('refuses config commands in exec mode', () => {
    const { shell } = setup();
    expect(shell.execute('hostname R1')).toBe(`${' '.repeat(7)}^\n${INVALID}`);
  });

  it('derives the prompt from the hostname', () => {
    const { shell } = setup();
    shell.execute('conf t');
    expect(shell.execute('hostname Core-1')).toBe('');
    expect(shell.prompt()).toBe('Core-1(config)#');
  });
});

describe('IosShell Tab completion', () => {
  it('completes a unique partial word to the keyword and a space, keeping what came before', () => {
    const { shell } = setup();
    expect(shell.complete('sh')).toEqual({ line: 'show ', candidates: ['show'] });
    expect(shell.complete('sh lic stat')).toEqual({ line: 'sh lic status ', candidates: ['status'] });
    expect(shell.complete('SHOW LIC')).toEqual({ line: 'SHOW license ', candidates: ['license'] });
  });

  it('leaves an ambiguous or unknown word as typed and names the candidates', () => {
    const { shell } = setup();
    const ambiguous = shell.complete('sh lic s');
    expect(ambiguous.line).toBe('sh lic s');
    expect(ambiguous.candidates.length).toBeGreaterThan(1);
    expect(ambiguous.candidates.every((w) => w.startsWith('s'))).toBe(true);
    expect(shell.complete('show xyz')).toEqual({ line: 'show xyz', candidates: [] });
    expect(shell.complete('bogus lic')).toEqual({ line: 'bogus lic', candidates: [] });
    expect(shell.complete('show ')).toEqual({ line: 'show ', candidates: [] });
  });

  it('completes from the current mode’s commands', () => {
    const { shell } = setup();
    shell.execute('conf t');
    expect(shell.complete('licen').line).toBe('license ');
    expect(shell.complete('sh').line).toBe('sh');
  });
});
