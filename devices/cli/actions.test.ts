/** Every command that calls a device action: the arguments it passes, what it prints, how errors print. */
import { describe, expect, it } from 'vitest';
import type { ActionResult } from './cli-device.ts';
import { FakeCliDevice, makeView } from './fake-cli-device.test-support.ts';
import { IosShell } from './shell.ts';

const fail = (error: string): ActionResult => ({ ok: false, error });

function setup(view = makeView()) {
  const device = new FakeCliDevice(view);
  return { device, shell: new IosShell(device) };
}

describe('exec actions', () => {
  it('registers, with and without force', () => {
    const { device, shell } = setup();
    const msg =
      "Registration process is in progress. Use the 'show license status' command to check the progress and result\n";
    expect(shell.execute('license smart register idtoken TOKEN%0AexportAllowed%3D')).toBe(msg);
    expect(shell.execute('lic sm reg idt Tok force')).toBe(msg);
    expect(device.calls).toEqual([
      { action: 'license.register', args: [{ idToken: 'TOKEN%0AexportAllowed%3D', force: false }] },
      { action: 'license.register', args: [{ idToken: 'Tok', force: true }] },
    ]);
  });

  it('prints each action error as its one line, adding % where missing', () => {
    const { device, shell } = setup();
    device.answers['license.register'] = fail('% Device is already registered. Use the force option to re-register');
    expect(shell.execute('license smart register idtoken T')).toBe(
      '% Device is already registered. Use the force option to re-register\n',
    );
    device.answers['license.deregister'] = fail('Smart Licensing is disabled');
    expect(shell.execute('license smart deregister')).toBe('% Smart Licensing is disabled\n');
    device.answers['license.renewId'] = fail('% Device is not registered');
    expect(shell.execute('license smart renew id')).toBe('% Device is not registered\n');
    device.answers['license.renewAuth'] = fail('% Device is not registered');
    expect(shell.execute('license smart renew auth')).toBe('% Device is not registered\n');
    device.answers.writeMemory = fail('% Error writing nvram:startup-config');
    expect(shell.execute('write memory')).toBe('% Error writing nvram:startup-config\n');
    expect(shell.execute('copy running-config startup-config')).toBe('% Error writing nvram:startup-config\n');
    device.answers.setClock = fail('% Clock not set');
    expect(shell.execute('clock set 10:00:00 1 Jan 2025')).toBe('% Clock not set\n');
    device.answers.reload = fail('% Reload in progress');
    expect(shell.execute('reload')).toBe('Proceed with reload? [confirm]\n% Reload in progress\n');
  });

  it('passes the action output through before what IOS adds', () => {
    const { device, shell } = setup();
    device.answers['license.renewAuth'] = { ok: true, output: 'line one' };
    expect(shell.execute('license smart renew auth')).toBe('line one\n');
    expect(shell.execute('license smart renew id')).toBe('');
    expect(device.calls.map((c) => c.action)).toEqual(['license.renewAuth', 'license.renewId']);
  });

  it('saves the configuration', () => {
    const { device, shell } = setup();
    expect(shell.execute('write memory')).toBe('Building configuration...\n[OK]\n');
    expect(shell.execute('wr')).toBe('Building configuration...\n[OK]\n');
    expect(shell.execute('copy run start')).toBe(
      'Destination filename [startup-config]? \nBuilding configuration...\n[OK]\n',
    );
    expect(device.calls.map((c) => c.action)).toEqual(['writeMemory', 'writeMemory', 'writeMemory']);
  });

  it('reloads, declining to save an unsaved configuration', () => {
    expect(setup().shell.execute('reload')).toBe('Proceed with reload? [confirm]\n');
    const { device, shell } = setup(makeView({ configDirty: true }));
    expect(shell.execute('reload')).toBe(
      'System configuration has been modified. Save? [yes/no]: no\nProceed with reload? [confirm]\n',
    );
    expect(device.calls.map((c) => c.action)).toEqual(['reload']);
  });

  it('sets the clock in the configured zone, day or month first', () => {
    const { device, shell } = setup(
      makeView({ clock: { now: 0, timezone: { name: 'EST', offsetMinutes: -300 }, authoritative: false } }),
    );
    expect(shell.execute('clock set 10:20:30 13 mar 2024')).toBe('');
    expect(shell.execute('clock set 10:20:30 March 13 2024')).toBe('');
    const expected = Date.UTC(2024, 2, 13, 15, 20, 30);
    expect(device.calls).toEqual([
      { action: 'setClock', args: [expected] },
      { action: 'setClock', args: [expected] },
    ]);
  });

  it('refuses impossible times and dates', () => {
    const { device, shell } = setup();
    expect(shell.execute('clock set 24:00:00 1 Jan 2024')).toContain(INVALID_MARK);
    expect(shell.execute('clock set 10:00:00 1 Ma 2024')).toContain(INVALID_MARK);
    expect(shell.execute('clock set 10:00:00 1 Jan 2036')).toContain(INVALID_MARK);
    expect(shell.execute('clock set 10:00:00 30 Feb 2024')).toBe(
      '% Invalid day 30 for February 2024: valid days are 1-29\n',
    );
    expect(device.calls).toEqual([]);
  });
});

const INVALID_MARK = "% Invalid input detected at '^' marker.";

describe('config actions', () => {
  function config(view = makeView()) {
    const s = setup(view);
    s.shell.execute('configure terminal');
    return s;
  }

  it('enables and disables Smart Licensing', () => {
    const { device, shell } = config();
    expect(shell.execute('license smart enable')).toBe('');
    expect(shell.execute('no license smart enable')).toBe('');
    device.answers['license.disable'] = fail('% Smart Licensing cannot be disabled on this platform');
    expect(shell.execute('no lic sm en')).toBe('% Smart Licensing cannot be disabled on this platform\n');
    expect(device.calls.map((c) => c.action)).toEqual(['license.enable', 'license.disable', 'license.disable']);
  });

  it('sets the boot level and prints the reminder only on a change', () => {
    const { device, shell } = config();
    const note = "% use 'write' command to make license boot config take effect on next boot\n";
    expect(shell.execute('license boot level network-essentials')).toBe(note);
    expect(shell.execute('license boot level network-adv addon dna-adv')).toBe('');
    expect(shell.execute('license boot level network-advantage addon dna-essentials')).toBe(note);
    device.answers.setBootLevel = fail('% dna-advantage requires network-advantage');
    expect(shell.execute('license boot level network-essentials addon dna-advantage')).toBe(
      '% dna-advantage requires network-advantage\n',
    );
    expect(device.calls.map((c) => c.args)).toEqual([
      ['network-essentials', undefined],
      ['network-advantage', 'dna-advantage'],
      ['network-advantage', 'dna-essentials'],
      ['network-essentials', 'dna-advantage'],
    ]);
  });

  it('refuses a level the platform does not have', () => {
    const { device, shell } = config();
    expect(shell.execute('license boot level ipservices')).toBe(
      `${' '.repeat('Switch(config)#license boot level '.length)}^\n${INVALID_MARK}\n\n`,
    );
    expect(shell.execute('license boot level network')).toBe('% Ambiguous command:  "license boot level network"\n');
    expect(device.calls).toEqual([]);
  });

  it('sets the time zone, minutes following the sign of the hours', () => {
    const { device, shell } = config();
    shell.execute('clock timezone EST -5');
    shell.execute('clock timezone NST -3 30');
    shell.execute('clock timezone IST 5 30');
    expect(device.calls.map((c) => c.args)).toEqual([
      ['EST', -300],
      ['NST', -210],
      ['IST', 330],
    ]);
    expect(shell.execute('clock timezone X 24')).toContain(INVALID_MARK);
  });

  it('prints a refused hostname', () => {
    const { device, shell } = config();
    device.answers.setHostname = fail('% Hostname contains one or more illegal characters.');
    expect(shell.execute('hostname bad_name!')).toBe('% Hostname contains one or more illegal characters.\n');
    expect(shell.prompt()).toBe('Switch(config)#');
  });
});
