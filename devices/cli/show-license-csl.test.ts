/**
 * Traditional `show license …` against the reference's captures (traditional-licensing-snmp-platforms.md
 * A.5): the lines a lab device can print the same, byte for byte, on a device in the captured situation.
 */
import { describe, expect, it } from 'vitest';
import { fileFor, install, reloadWith, traditionalLab } from '../licensing/traditional.test-support.ts';

describe('against the captures', () => {
  it('show license feature: the ASR-903 16.9 header and a row (S-ASR903, trailing blanks kept)', () => {
    const { device } = traditionalLab();
    const d = device({ pid: 'ASR-903', sn: 'FOX2245PFTF' });
    const out = d.exec('show license feature').split('\n');
    expect(out[0]).toBe('Feature name             Enforcement  Evaluation  Subscription   Enabled  RightToUse ');
    expect(out).toContain('oc12                     yes          yes         no             no       no         ');
  });

  it('show license feature: the ISR G2 15.x header without RightToUse (S-CCNA60)', () => {
    const { device } = traditionalLab();
    const out = device().exec('show license feature').split('\n');
    expect(out[0]).toBe('Feature name        Enforcement  Evaluation  Subscription   Enabled');
  });

  it('show license: a permanent package in use on an ISR 4000 16.9 (S-NTC, GENIE golden_output1 Index 1)', async () => {
    const { clock, device } = traditionalLab();
    const d = device({ pid: 'ISR4331/K9', release: '16.9.6', sn: 'FDO2141A0AB' });
    install(d, fileFor(d, ['appxk9']));
    await reloadWith(clock, d, ['license boot level appxk9']);
    expect(d.exec('show license')).toContain(
      [
        'Index 2 Feature: appxk9                         ',
        '        Period left: Life time',
        '        License Type: Permanent',
        '        License State: Active, In Use',
        '        License Count: Non-Counted',
        '        License Priority: Medium',
        'Index 3 Feature: uck9                           ',
        '        Period left: Not Activated',
        '        Period Used: 0  minute  0  second',
      ].join('\n'),
    );
    // The IOS XE string of an evaluation not accepted (the capture's type is EvalRightToUse: later slice).
    expect(d.exec('show license')).toContain('        License State: Active, Not in Use, EULA not accepted\n');
  });

  it('show license detail: the ASR-903 built-in evaluation and permanent blocks (S-ASR903)', () => {
    const { device } = traditionalLab();
    const d = device({ pid: 'ASR-903', sn: 'FOX2245PFTF' });
    install(d, fileFor(d, ['metroaggrservices']));
    const out = d.exec('show license detail');
    expect(out).toContain(
      [
        '\tLicense State: Active, Not in Use, EULA not accepted',
        '\t    Evaluation total period: 8  weeks 4  days ',
        '\t    Evaluation period left: 8  weeks 4  days ',
        '\t    Period used: 0  minute  0  second  ',
        '\tLock type: Non Node locked',
        '\tVendor info: <UDI><PID>NOTLOCKED</PID><SN>NOTLOCKED</SN></UDI>',
        '\tLicense Addition: Additive',
        '\tLicense Generation version: 0x8200000',
        '\tLicense Count: Non-Counted',
        '\tLicense Priority: None',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        'Index: 2 \tFeature: metroaggrservices                 Version: 1.0',
        '\tLicense Type: Permanent',
        '\tLicense State: Active, Not in Use',
        '\tLock type: Node locked',
        '\tVendor info: <UDI><PID>ASR-903</PID><SN>FOX2245PFTF</SN></UDI>',
        '\tLicense Addition: Exclusive',
        '\tLicense Generation version: 0x8100000',
        '\tLicense Count: Non-Counted',
        '\tLicense Priority: Medium',
        '\tStore Index: 1',
        '\tStore Name: Primary License Storage',
      ].join('\n'),
    );
  });

  it('show license udi and the show version module table of an ISR G2 on an evaluation (GENIE c1900)', async () => {
    const { clock, device } = traditionalLab();
    const d = device();
    expect(d.exec('show license udi')).toContain(
      '*0        CISCO2911/K9          FTX1524ABCD     CISCO2911/K9:FTX1524ABCD\n',
    );
    await reloadWith(clock, d, [
      'license accept end user agreement',
      'license boot module c2900 technology-package securityk9',
    ]);
    expect(d.exec('show version')).toContain('security      securityk9    Evaluation     securityk9\n');
  });
});
