/**
 * `license install` and the commands around it on a traditional device: a portal-signed file installs
 * with IOS's report, %LICENSE-6-INSTALL and clmgmtLicenseInstalled; every bad file (tampered, re-signed,
 * foreign UDI, truncated, malformed, too large, not text, missing) is refused with nothing installed and
 * the stored bytes unchanged; a permanent license runs its level after a reload; clear, save, comment.
 */
import { describe, expect, it } from 'vitest';
import { DAY } from '#protocol';
import { licenseFile, licenseLine } from '#test-support/license-files.ts';
import type { VirtualDevice } from '../device.ts';
import { MemoryBackend } from '../storage/memory-backend.ts';
import { fileFor, install, linesOf, reloadWith, signer, stranger, traditionalLab } from './traditional.test-support.ts';

const REPORT = [
  'Installing licenses from "flash:lic.lic"',
  'Installing...Feature:securityk9...Successful:Supported',
  '1/1 licenses were successfully installed',
  '0/1 licenses were existing licenses',
  '0/1 licenses were failed to install',
  '',
].join('\n');

describe('license install', () => {
  it('installs a portal-signed file: report, syslog, trap, show license', () => {
    const { device } = traditionalLab();
    const d = device();
    expect(install(d, fileFor(d, ['securityk9']))).toBe(REPORT);
    const [installed] = d.events().filter((e) => e.syslog.mnemonic === 'INSTALL');
    expect(installed!.line).toMatch(
      /%LICENSE-6-INSTALL: Feature securityk9 1.0 was installed in this device. UDI=CISCO2911\/K9:FTX1524ABCD; StoreIndex=1:Primary License Storage$/,
    );
    expect(installed!.trap).toMatchObject({
      name: 'clmgmtLicenseInstalled',
      trapOid: '1.3.6.1.4.1.9.9.543.0.5',
      varbinds: [
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.3.1.1.2', value: 'securityk9' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.4.1.1.2', value: '1.0' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.5.1.1.2', value: 4 },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.13.1.1.2', value: '' },
      ],
    });
    expect(d.exec('show license')).toContain(
      [
        'Index 2 Feature: securityk9                     ',
        '        Period left: Life time',
        '        License Type: Permanent',
        '        License State: Active, Not in Use',
        '        License Count: Non-Counted',
        '        License Priority: Medium',
      ].join('\n'),
    );
    // The built-in evaluation beside a permanent license is Inactive (S-ASR903).
    expect(d.traditional()!.licenses.find((l) => l.key === 'builtin:securityk9')!.status).toBe('inactive');
    expect(d.traditional()!.history).toMatchObject([{ action: 'install', feature: 'securityk9', type: 'permanent' }]);
  });

  it('counts a line already installed as existing and installs nothing twice', () => {
    const { device } = traditionalLab();
    const d = device();
    const file = fileFor(d, ['securityk9']);
    install(d, file);
    expect(install(d, file)).toContain(
      'Installing...Feature:securityk9...Skipped:Existing\n0/1 licenses were successfully installed\n1/1 licenses were existing licenses\n',
    );
    expect(linesOf(d, 'INSTALL')).toHaveLength(1);
  });

  it('runs the licensed level after a reload, on the permanent license (no countdown)', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    install(d, fileFor(d, ['datak9']));
    await reloadWith(clock, d, ['license boot module c2900 technology-package datak9']);
    expect(d.view().bootLevel.current).toBe('datak9');
    expect(d.agentState()?.value).toBe('permanent');
    await clock.advance(90 * DAY);
    expect(d.view().bootLevel.current).toBe('datak9');
    expect(d.exec('show version')).toContain('data          datak9        Permanent      datak9\n');
  });

  it('says what the next reboot runs after installing a package license (S-CCNA60 LICENSE_LEVEL)', () => {
    const { device } = traditionalLab();
    const d = device();
    d.exec('configure terminal');
    d.exec('license boot module c2900 technology-package datak9');
    d.exec('end');
    install(d, fileFor(d, ['datak9']));
    expect(linesOf(d, 'LICENSE_LEVEL').at(-1)).toMatch(
      /%IOS_LICENSE_IMAGE_APPLICATION-6-LICENSE_LEVEL: Module name = c2900 Next reboot level = datak9 and License = datak9$/,
    );
  });

  it('accepts a line locked to the chassis PID of a device whose licensing PID differs (3925: C3900-SPE100/K9)', () => {
    const { device } = traditionalLab();
    const d = device({ pid: 'CISCO3925/K9', sn: 'FHH13030044' });
    expect(install(d, fileFor(d, ['securityk9']))).toContain('1/1 licenses were successfully installed');
    expect(linesOf(d, 'INSTALL')[0]).toContain('UDI=C3900-SPE100/K9:FHH13030044;');
  });
});

describe('bad license files install nothing and leave the storage bytes as they were', () => {
  const good = (d: VirtualDevice) => licenseLine(signer, d.udi, 'securityk9');
  const cases: [string, (d: VirtualDevice) => string, RegExp][] = [
    [
      'one character of a line edited',
      (d) => licenseFile([good(d).replace('type=permanent', 'type=permanenT')]),
      /^% Invalid license line \(line 3\)/,
    ],
    [
      'a feature renamed (signature no longer verifies)',
      (d) => licenseFile([good(d).replace('feature=securityk9', 'feature=datak9')]),
      /^% License signature verification failed \(line 3\): feature datak9: the signature does not verify/,
    ],
    [
      're-signed with another key',
      (d) => licenseFile([licenseLine(stranger, d.udi, 'securityk9')]),
      /^% License signature verification failed \(line 3\): feature securityk9: signed by key [0-9a-f]{32}, which is not a trusted/,
    ],
    [
      'meant for another UDI',
      (d) => licenseFile([licenseLine(signer, { pid: d.udi.pid, sn: 'FTX1524ZZZZ' }, 'securityk9')]),
      /^% License is not valid for this device \(UDI mismatch\): feature securityk9 is locked to CISCO2911\/K9:FTX1524ZZZZ, not CISCO2911\/K9:FTX1524ABCD/,
    ],
    [
      'truncated (END line cut off)',
      (d) => licenseFile([good(d), licenseLine(signer, d.udi, 'datak9')]).replace(/END lines=2\n$/, ''),
      /^% License file is truncated/,
    ],
    [
      'malformed (a line that is no license line)',
      () => 'LICENSE-FILE v=1\nLIC feature=securityk9 sig=x\nEND lines=1\n',
      /^% Invalid license line \(line 2\)/,
    ],
    [
      'over 1 MiB',
      (d) => licenseFile([good(d)]).replace('# License', `# ${'x'.repeat(1024 * 1024)}\n# License`),
      /^% License file is too large: license file is \d+ bytes; at most 1048576/,
    ],
    ['not text (a zip)', () => 'PK\u0003\u0004binary', /^% Not a license file: license file is not ASCII text/],
    [
      'a feature the image does not have',
      (d) => licenseFile([licenseLine(signer, d.udi, 'metroaggrservices')]),
      /^% License feature is not supported by this image: metroaggrservices; features: ipbasek9, securityk9/,
    ],
  ];

  it.each(cases)('%s', (_what, make, error) => {
    const { device } = traditionalLab();
    const storage = new MemoryBackend();
    const d = device({ storage });
    d.putFile('flash:bad.lic', make(d));
    const before = Buffer.from(storage.read('FTX1524ABCD')!);
    const out = d.exec('license install flash:bad.lic');
    const [header, refusal] = out.split('\n');
    expect(header).toBe('Installing licenses from "flash:bad.lic"');
    expect(refusal).toMatch(error);
    expect(refusal).toMatch(/No license was installed\.$/);
    expect(storage.read('FTX1524ABCD')!.equals(before)).toBe(true);
    expect(linesOf(d, 'INSTALL')).toEqual([]);
    expect(d.traditional()!.licenses.filter((l) => l.text !== undefined)).toEqual([]);
  });

  it('a file that is not there: IOS’s %Error opening', () => {
    const { device } = traditionalLab();
    const d = device();
    expect(d.exec('license install flash:none.lic')).toBe(
      '%Error opening flash:none.lic (No such file or directory)\n',
    );
    expect(d.exec('license install tftp://10.0.0.1/a.lic')).toMatch(
      /^%Error opening tftp:\/\/10.0.0.1\/a.lic \(Invalid file system/,
    );
  });

  it('a stored line that no longer verifies (key not trusted any more) is left out at boot', () => {
    const { device } = traditionalLab();
    const storage = new MemoryBackend();
    const d = device({ storage });
    install(d, fileFor(d, ['securityk9']));
    d.stop();
    const other = traditionalLab({ licenseKeys: [stranger.publicKeyPem] });
    const untrusting = other.device({ storage });
    expect(untrusting.traditional()!.licenses.filter((l) => l.text !== undefined)).toEqual([]);
  });
});

describe('license clear, save, comment', () => {
  it('clears a license not in use (REMOVE, clmgmtLicenseCleared, history) and refuses the one in use', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    install(d, fileFor(d, ['securityk9', 'datak9']));
    await reloadWith(clock, d, ['license boot module c2900 technology-package datak9']);
    expect(d.exec('license clear datak9')).toBe(
      '% License of feature datak9 is in use; boot another level and reload before clearing it\n',
    );
    expect(d.exec('license clear securityk9')).toBe(
      'Feature: securityk9\n1       License Type: Permanent\n        Store Index: 1\nAre you sure you want to clear? (yes/[no]): yes\n',
    );
    const [removed] = d.events().filter((e) => e.syslog.mnemonic === 'REMOVE');
    expect(removed!.line).toContain(
      'Feature securityk9 1.0 was removed from this device. UDI=CISCO2911/K9:FTX1524ABCD; StoreIndex=1:Primary License Storage',
    );
    expect(removed!.trap).toMatchObject({ name: 'clmgmtLicenseCleared', trapOid: '1.3.6.1.4.1.9.9.543.0.6' });
    expect(d.exec('license clear securityk9')).toBe(
      '% No installed license of feature securityk9 (built-in licenses stay)\n',
    );
    expect(d.traditional()!.history.map((h) => h.action)).toEqual(['install', 'install', 'clear']);
  });

  it('saves the installed lines to a file the device installs again as existing; comments show in detail', () => {
    const { device } = traditionalLab();
    const d = device();
    install(d, fileFor(d, ['securityk9']));
    expect(d.exec('license comment add securityk9 bought on PAK 3A1B2C3D4E5')).toBe('');
    expect(d.exec('show license detail')).toContain('\tComment: bought on PAK 3A1B2C3D4E5\n\tStore Index: 1\n');
    expect(d.exec('license save usbflash0:all.lic')).toBe('license lines saved ..... to usbflash0:all.lic\n');
    expect(d.exec('license install usbflash0:all.lic')).toContain('1/1 licenses were existing licenses');
    expect(d.exec('dir usbflash0:')).toMatch(
      /^Directory of usbflash0:\/\n\n {4}1 {2}-rw- +\d+ {2}Mar 13 2026 08:00:00 \+00:00 {2}all.lic\n/,
    );
  });

  it('keeps installed licenses and the EULA across reload and power loss', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    install(d, fileFor(d, ['securityk9']));
    d.exec('configure terminal');
    d.exec('license accept end user agreement');
    d.exec('end');
    d.powerLoss();
    await clock.advance(60_000);
    expect(
      d
        .traditional()!
        .licenses.filter((l) => l.text !== undefined)
        .map((l) => l.feature),
    ).toEqual(['securityk9']);
    expect(d.traditional()!.eulaAccepted).toBe(true);
  });
});
