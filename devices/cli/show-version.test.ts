import { describe, expect, it } from 'vitest';
import type { PlatformModel } from '../kinds/platform.ts';
import { C9300, makeView, UNREGISTERED_SMART } from './fake-cli-device.test-support.ts';
import { imageId, paddedXeVersion, showVersion } from './show-version.ts';
import { formatUptime } from './uptime.ts';
import { MINUTE, DAY } from '#protocol';

const WS_C3750E: PlatformModel = {
  ...C9300,
  pid: 'WS-C3750E-24TD-S',
  family: 'catalyst-3k-e',
  description: 'cisco WS-C3750E-24TD (PowerPC405) processor (revision G0)',
  levels: [{ name: 'ipbase' }, { name: 'ipservices', includes: ['ipbase'] }],
  defaultLevel: 'ipbase',
  releases: [
    {
      version: '12.2(55)SE12',
      os: 'IOS',
      image: 'c3750e-universalk9-mz.122-55.SE12.bin',
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
  ],
  defaultRelease: '12.2(55)SE12',
};
delete (WS_C3750E as { addons?: unknown }).addons;

const CISCO2911: PlatformModel = {
  ...WS_C3750E,
  pid: 'CISCO2911/K9',
  family: 'isr-g2',
  description: 'Cisco CISCO2911/K9 (revision 1.0)',
  defaultHostname: 'Router',
  levelModel: 'technology-package',
  levels: [{ name: 'ipbasek9' }, { name: 'securityk9' }, { name: 'uck9' }, { name: 'datak9' }],
  defaultLevel: 'ipbasek9',
  releases: [
    {
      version: '15.7(3)M5',
      os: 'IOS',
      image: 'c2900-universalk9-mz.SPA.157-3.M5.bin',
      modes: ['traditional'],
      defaultMode: 'traditional',
    },
  ],
  licenseModule: 'c2900',
};

describe('show version', () => {
  it('prints the Catalyst 9300 technology package table, AIR level and Smart Licensing status (real C9300 16.12.3)', () => {
    const out = showVersion(
      makeView({
        bootLevel: {
          current: 'network-essentials',
          currentAddon: 'dna-essentials',
          nextReload: 'network-essentials',
          nextReloadAddon: 'dna-essentials',
        },
      }),
    );
    expect(out).toContain(`Technology Package License Information: 

------------------------------------------------------------------------------
Technology-package                                     Technology-package
Current                        Type                       Next reboot  
------------------------------------------------------------------------------
network-essentials  \tSmart License                 \t network-essentials  
dna-essentials      \tSubscription Smart License    \t dna-essentials                
AIR License Level: AIR DNA Advantage
Next reload AIR license Level: AIR DNA Advantage


Smart Licensing Status: UNREGISTERED/EVAL MODE

cisco C9300-24P (X86) processor with 2097152K/6147K bytes of memory.
Processor board ID FCW2144L045
`);
    expect(
      out.startsWith(
        'Cisco IOS XE Software, Version 16.12.04\nCisco IOS Software, Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.12.4, RELEASE SOFTWARE\n',
      ),
    ).toBe(true);
    expect(out).toContain('Switch uptime is 0 minutes\nUptime for this control processor is 0 minutes\n');
    expect(out).toContain(
      'System image file is "flash:cat9k_iosxe.16.12.04.SPA.bin"\nLast reload reason: Reload Command\n',
    );
    expect(out.endsWith('Configuration register is 0x102\n')).toBe(true);
  });

  it('prints None for a missing add-on and the registered status without dates', () => {
    const out = showVersion(
      makeView({
        bootLevel: { current: 'network-advantage', nextReload: 'network-essentials' },
        smart: {
          ...UNREGISTERED_SMART,
          registration: { status: 'registered', exportControlled: false },
          authorization: { status: 'authorized', since: 0, evaluationRemainingMs: 0 },
        },
      }),
    );
    expect(out).toContain(
      'network-advantage   \tSmart License                 \t network-essentials  \nNone                \tSubscription Smart License    \t None                          \n',
    );
    expect(out).toContain('Smart Licensing Status: REGISTERED/AUTHORIZED\n');
  });

  it('prints the image-level lines of a traditional Catalyst 3750-E', () => {
    const view = makeView({
      platform: WS_C3750E,
      release: WS_C3750E.releases[0]!,
      licensingMode: 'traditional',
      bootLevel: { current: 'ipbase', nextReload: 'ipservices' },
      uptimeMs: (((9 * 24 + 3) * 60 + 1) * 60 + 5) * 1000,
    });
    const out = showVersion(view);
    expect(
      out.startsWith(
        'Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE\n',
      ),
    ).toBe(true);
    expect(out).toContain('Switch uptime is 1 week, 2 days, 3 hours, 1 minute\nSystem returned to ROM');
    expect(out).toContain(
      '\nLicense Level: ipbase\nLicense Type: Permanent\nNext reload license Level: ipservices\n\ncisco WS-C3750E-24TD',
    );
    expect(out).not.toContain('Smart Licensing Status');
    expect(out.endsWith('Configuration register is 0xF\n')).toBe(true);
  });

  it('prints Smart License as the type on smart image-level platforms without add-ons', () => {
    const out = showVersion(makeView({ platform: WS_C3750E, bootLevel: { current: 'ipbase', nextReload: 'ipbase' } }));
    expect(out).toContain(
      'License Level: ipbase\nLicense Type: Smart License\nNext reload license Level: ipbase\n\nSmart Licensing Status: UNREGISTERED/EVAL MODE\n',
    );
  });

  it('prints the ISR G2 module table after the hardware lines (GENIE c3900 layout)', () => {
    const view = makeView({
      hostname: 'Router',
      platform: CISCO2911,
      release: CISCO2911.releases[0]!,
      licensingMode: 'traditional',
      bootLevel: { current: 'securityk9', nextReload: 'datak9' },
    });
    const out = showVersion(view);
    expect(out).toContain(`Processor board ID FCW2144L045

Technology Package License Information for Module:'c2900' 

-----------------------------------------------------------------
Technology    Technology-package           Technology-package
              Current       Type           Next reboot  
------------------------------------------------------------------
ipbase        ipbasek9      Permanent      ipbasek9
security      securityk9    Permanent      None
uc            None          None           None
data          None          None           datak9

Configuration register is 0x2102
`);
    expect(out).toContain('Router uptime is 0 minutes\nSystem returned');
    expect(out).toContain('Last reload reason: Reload Command\n\nCisco CISCO2911/K9 (revision 1.0) with');
  });
});

describe('show version helpers', () => {
  it('pads IOS XE versions and derives image ids', () => {
    expect(paddedXeVersion('16.9.1a')).toBe('16.09.01a');
    expect(paddedXeVersion('03.16.10.S')).toBe('03.16.10.S');
    expect(imageId('c2900-universalk9-mz.SPA.157-3.M5.bin')).toBe('C2900-UNIVERSALK9-M');
    expect(imageId('cat9k_iosxe.16.12.04.SPA.bin')).toBe('CAT9K_IOSXE');
  });

  it('formats uptime as IOS does', () => {
    expect(formatUptime(59_000)).toBe('0 minutes');
    expect(formatUptime(366 * DAY + MINUTE)).toBe('1 year, 1 day, 1 minute');
    expect(formatUptime(((5 * 7 * 24 + 18) * 60 + 5) * MINUTE)).toBe('5 weeks, 18 hours, 5 minutes');
  });
});
