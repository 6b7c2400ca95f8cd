/**
 * Golden tests of every `show version` licensing layout (traditional-licensing-snmp-platforms.md A.5.6),
 * from hand-built PlatformModel + view literals. Where the lab's state can hold what the capture shows the
 * text is the capture byte for byte; where a capture has two packages active at once (ISR G2 c3900, ISR4451-X)
 * the headers are the capture's and the rows follow the lab's one-level state.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformModel } from '../kinds/platform.ts';
import type { DeviceView } from './cli-device.ts';
import { C9300, makeView, UNREGISTERED_SMART } from './fake-cli-device.test-support.ts';
import { versionLicensing } from './version-licensing.ts';

const EVAL_EXPIRED = {
  ...UNREGISTERED_SMART,
  authorization: { status: 'evalExpired' as const, evaluationRemainingMs: 0 },
};

function model(family: string, levels: string[], extra: Partial<PlatformModel> = {}): PlatformModel {
  const base: PlatformModel = {
    ...C9300,
    family,
    levels: levels.map((name) => ({ name })),
    defaultLevel: levels[0]!,
    ...extra,
  };
  if (!('addons' in extra)) delete (base as { addons?: unknown }).addons;
  return base;
}

function section(platform: PlatformModel, overrides: Partial<DeviceView>): string {
  return versionLicensing(makeView({ platform, ...overrides })).lines.join('\n');
}

const traditional = (current: string, nextReload = current): Partial<DeviceView> => ({
  licensingMode: 'traditional',
  bootLevel: { current, nextReload },
});

describe('show version licensing: image-level lines', () => {
  it('Catalyst 3750-X: Level, Type, Next reload (GENIE golden_output_ios)', () => {
    expect(section(model('catalyst-3k-e', ['ipbase', 'ipservices']), traditional('ipservices')))
      .toBe(`License Level: ipservices
License Type: Permanent
Next reload license Level: ipservices
`);
  });

  it('ASR 903: Level, Type, Next reload (S-ASR903)', () => {
    expect(section(model('asr-900', ['metroservices', 'metroaggrservices']), traditional('metroaggrservices'))).toBe(
      'License Level: metroaggrservices\nLicense Type: Permanent\nNext reload license Level: metroaggrservices\n',
    );
  });

  it('ASR 920 smart image: License Type: Smart License, then the Smart Licensing status (GENIE asr920)', () => {
    expect(
      section(model('asr-900', ['metroaccess', 'advancedmetroipaccess']), {
        bootLevel: { current: 'advancedmetroipaccess', nextReload: 'advancedmetroipaccess' },
      }),
    ).toBe(
      `License Level: advancedmetroipaccess
License Type: Smart License
Next reload license Level: advancedmetroipaccess

Smart Licensing Status: UNREGISTERED/EVAL MODE
`,
    );
  });

  it('ASR 1000: License Type before License Level (GENIE golden_output_asr1k)', () => {
    expect(section(model('asr-1000', ['ipbase', 'advipservices']), traditional('advipservices')))
      .toBe(`License Type: RightToUse
License Level: advipservices
Next reload license Level: advipservices
`);
  });

  it('ASR 1000 smart image: Smart License is permanent (real ASR1002-HX)', () => {
    expect(
      section(model('asr-1000', ['ipbase', 'adventerprise']), {
        smart: EVAL_EXPIRED,
        bootLevel: { current: 'adventerprise', nextReload: 'adventerprise' },
      }),
    ).toBe(
      `License Type: Smart License is permanent
License Level: adventerprise
Next reload license Level: adventerprise

Smart Licensing Status: UNREGISTERED/EVAL EXPIRED
`,
    );
  });

  it('ISR 800: the License Information block of the module (real C881 15.x)', () => {
    const isr881 = model('isr-800', ['advsecurity', 'advipservices'], { licenseModule: 'c880-data' });
    expect(section(isr881, traditional('advipservices'))).toBe(`License Information for 'c880-data'
    License Level: advipservices   Type: Permanent
    Next reboot license Level: advipservices
`);
  });

  it('an unregistered family prints the generic image-level lines', () => {
    expect(section(model('some-new-family', ['base']), traditional('base'))).toBe(
      'License Level: base\nLicense Type: Permanent\nNext reload license Level: base\n',
    );
  });
});

describe('show version licensing: technology package tables', () => {
  it('ISR G2: the per-module table (GENIE ios c3900 headers, one package active)', () => {
    const c3900 = model('isr-g2', ['ipbasek9', 'securityk9', 'uck9', 'datak9'], {
      licenseModule: 'c3900',
      levelModel: 'technology-package',
    });
    expect(section(c3900, traditional('datak9', 'securityk9')))
      .toBe(`Technology Package License Information for Module:'c3900' 

-----------------------------------------------------------------
Technology    Technology-package           Technology-package
              Current       Type           Next reboot  
------------------------------------------------------------------
ipbase        ipbasek9      Permanent      ipbasek9
security      None          None           securityk9
uc            None          None           None
data          datak9        Permanent      None
`);
  });

  it('Catalyst 3850 16.x RTU image (GENIE golden_output_c3850)', () => {
    expect(section(model('catalyst-3650-3850', ['lanbasek9', 'ipbasek9', 'ipservicesk9']), traditional('ipservicesk9')))
      .toBe(`Technology Package License Information: 

-----------------------------------------------------------------
Technology-package                   Technology-package
Current             Type             Next reboot  
------------------------------------------------------------------
ipservicesk9        Permanent        ipservicesk9
`);
  });

  it('Catalyst 3850 16.12 smart image: the Catalyst 9000 table with None for the add-on (real WS-C3850-48P 16.12.5b)', () => {
    expect(
      section(model('catalyst-3650-3850', ['lanbasek9', 'ipbasek9']), {
        smart: EVAL_EXPIRED,
        bootLevel: { current: 'ipbasek9', nextReload: 'ipbasek9' },
      }),
    ).toBe(`Technology Package License Information: 

------------------------------------------------------------------------------
Technology-package                                     Technology-package
Current                        Type                       Next reboot  
------------------------------------------------------------------------------
ipbasek9            \tSmart License                 \t ipbasek9            
None                \tSubscription Smart License    \t None                          


Smart Licensing Status: UNREGISTERED/EVAL EXPIRED
`);
  });

  it('Catalyst 9300: the table, tabs included, and the AIR level lines (GENIE golden_output_c9300)', () => {
    expect(section(C9300, { smart: EVAL_EXPIRED })).toBe(`Technology Package License Information: 

------------------------------------------------------------------------------
Technology-package                                     Technology-package
Current                        Type                       Next reboot  
------------------------------------------------------------------------------
network-advantage   \tSmart License                 \t network-advantage   
dna-advantage       \tSubscription Smart License    \t dna-advantage                 
AIR License Level: AIR DNA Advantage
Next reload AIR license Level: AIR DNA Advantage


Smart Licensing Status: UNREGISTERED/EVAL EXPIRED
`);
  });

  it('Catalyst 9200: the Catalyst 9000 table without AIR lines', () => {
    const out = section(
      { ...C9300, family: 'catalyst-9200' },
      {
        bootLevel: {
          current: 'network-essentials',
          currentAddon: 'dna-essentials',
          nextReload: 'network-essentials',
          nextReloadAddon: 'dna-essentials',
        },
      },
    );
    expect(out).toContain(
      'network-essentials  \tSmart License                 \t network-essentials  \ndna-essentials      \tSubscription Smart License    \t dna-essentials                \n\n\nSmart Licensing Status: UNREGISTERED/EVAL MODE\n',
    );
    expect(out).not.toContain('AIR');
  });
});

describe('show version licensing: ISR 4000', () => {
  const isr = (pid: string): PlatformModel => model('isr-4000', ['ipbasek9', 'appxk9', 'uck9', 'securityk9'], { pid });

  it('traditional image: suite table and technology table (GENIE golden_output_isr4k headers, one package active)', () => {
    expect(section(isr('ISR4451-X/K9'), traditional('securityk9', 'appxk9')))
      .toBe(`Suite License Information for Module:'esg'

--------------------------------------------------------------------------------
Suite                 Suite Current         Type           Suite Next reboot
--------------------------------------------------------------------------------
FoundationSuiteK9     None                  None           None
securityk9
appxk9

AdvUCSuiteK9          None                  None           None
uck9
cme-srst
cube


Technology Package License Information:

-----------------------------------------------------------------
Technology    Technology-package           Technology-package
              Current       Type           Next reboot
------------------------------------------------------------------
appxk9           None             None             appxk9
uck9             None             None             None
securityk9       securityk9       RightToUse       None
ipbase           ipbasek9         Permanent        ipbasek9
`);
  });

  it('smart image: Smart License types, padded columns, the throughput line (real ISR4351 17.9 layout)', () => {
    const registered = {
      ...UNREGISTERED_SMART,
      registration: { status: 'registered' as const, exportControlled: false },
      authorization: { status: 'authorized' as const, since: 0, evaluationRemainingMs: 0 },
    };
    expect(section(isr('ISR4351/K9'), { smart: registered, bootLevel: { current: 'appxk9', nextReload: 'appxk9' } }))
      .toBe(`Suite License Information for Module:'esg' 

--------------------------------------------------------------------------------
Suite                 Suite Current         Type           Suite Next reboot     
--------------------------------------------------------------------------------
FoundationSuiteK9     None                  Smart License  None                  
securityk9
appxk9

AdvUCSuiteK9          None                  Smart License  None                  
uck9
cme-srst
cube


Technology Package License Information: 

-----------------------------------------------------------------
Technology    Technology-package           Technology-package
              Current       Type           Next reboot  
------------------------------------------------------------------
appxk9           appxk9           Smart License    appxk9
uck9             None             Smart License    None
securityk9       None             Smart License    None
ipbase           ipbasek9         Smart License    ipbasek9

The current throughput level is 200000 kbps 


Smart Licensing Status: REGISTERED/AUTHORIZED
`);
  });

  it('smart image of a model without a known base rate prints unthrottled (C1111 capture wording)', () => {
    expect(section(isr('ISR4999/K9'), { bootLevel: { current: 'ipbasek9', nextReload: 'ipbasek9' } })).toContain(
      '\nThe current throughput level is unthrottled \n\n\nSmart Licensing Status: UNREGISTERED/EVAL MODE\n',
    );
  });
});

describe('show version licensing placement', () => {
  it('classic-IOS ISRs print it after the hardware lines, the others before the model line', () => {
    expect(
      versionLicensing(
        makeView({ platform: model('isr-g2', ['ipbasek9'], { licenseModule: 'c2900' }), ...traditional('ipbasek9') }),
      ).afterHardware,
    ).toBe(true);
    expect(
      versionLicensing(
        makeView({
          platform: model('isr-800', ['advsecurity'], { licenseModule: 'c880-data' }),
          ...traditional('advsecurity'),
        }),
      ).afterHardware,
    ).toBe(true);
    expect(versionLicensing(makeView()).afterHardware).toBe(false);
  });
});
