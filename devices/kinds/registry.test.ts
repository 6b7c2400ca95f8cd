import { licensingModeAtBoot } from './licensing-mode.ts';
import { describe, expect, it } from 'vitest';
import { allFamilies, allPlatforms, findPlatform, findRelease, isSmartCapable, UnknownPidError } from './registry.ts';

describe('findPlatform', () => {
  it('finds a PID case-insensitively', () => {
    expect(findPlatform('c9300-24p').pid).toBe('C9300-24P');
    expect(findPlatform('Isr4451-x/k9').family).toBe('isr-4000');
  });

  it('matches the whole PID only', () => {
    expect(() => findPlatform('C9300')).toThrow(UnknownPidError);
    expect(() => findPlatform(' C9300-24P')).toThrow(UnknownPidError);
  });

  it('names the unknown PID and lists every known one', () => {
    let error: unknown;
    try {
      findPlatform('WS-C2960X-48TS-L');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownPidError);
    const e = error as UnknownPidError;
    expect(e.name).toBe('UnknownPidError');
    expect(e.pid).toBe('WS-C2960X-48TS-L');
    expect(e.message).toContain('"WS-C2960X-48TS-L"');
    for (const m of allPlatforms()) expect(e.message).toContain(m.pid);
  });
});

describe('allPlatforms / allFamilies', () => {
  it('lists the models of every family, once', () => {
    expect(allPlatforms()).toEqual(allFamilies().flatMap((f) => f.models));
    expect(allFamilies().map((f) => f.id)).toEqual([
      'catalyst-3k-e',
      'catalyst-3650-3850',
      'catalyst-9200',
      'catalyst-9300',
      'isr-800',
      'isr-g2',
      'isr-4000',
      'asr-900',
      'asr-1000',
    ]);
  });
});

describe('findRelease', () => {
  const c3850 = findPlatform('WS-C3850-24P');

  it('answers the default release without a version', () => {
    expect(findRelease(c3850)).toMatchObject({ version: '16.9.5', modes: ['smart'] });
  });

  it('finds a named release', () => {
    expect(findRelease(c3850, '03.06.08E')).toMatchObject({ os: 'IOS XE', modes: ['traditional'] });
  });

  it('names the unknown version and the valid ones', () => {
    expect(() => findRelease(c3850, '17.3.1')).toThrow(
      'software release "17.3.1" is not available for WS-C3850-24P; valid: 03.06.08E, 16.3.10, 16.9.5, 16.12.4',
    );
  });
});

describe('licensing modes per release (traditional-licensing-snmp-platforms.md §C.2)', () => {
  const modes = (pid: string) => Object.fromEntries(findPlatform(pid).releases.map((r) => [r.version, r.modes]));

  it('3750-E: traditional only', () => {
    expect(modes('WS-C3750E-24TD-S')['12.2(55)SE12']).toEqual(['traditional']);
    expect(isSmartCapable(findPlatform('WS-C3750E-24TD-S'))).toBe(false);
  });

  it('3850: RTU on 3.x, smart from 16.9', () => {
    expect(modes('WS-C3850-48P')).toMatchObject({ '03.06.08E': ['traditional'], '16.9.5': ['smart'] });
  });

  it('Catalyst 9000: classic smart on 16.x, SLP on 17.x', () => {
    for (const pid of ['C9200L-24T-4G', 'C9300-24UX'])
      for (const r of findPlatform(pid).releases)
        expect(r.modes, r.version).toEqual([r.version.startsWith('17.') ? 'slp' : 'smart']);
  });

  it('17.x releases of every IOS XE family run SLP, with real image names', () => {
    expect(findRelease(findPlatform('C9300-24P'), '17.9.4')).toMatchObject({
      image: 'cat9k_iosxe.17.09.04.SPA.bin',
      modes: ['slp'],
    });
    expect(findRelease(findPlatform('ISR4451-X/K9'), '17.12.4').image).toBe('isr4400-universalk9.17.12.04.SPA.bin');
    expect(findRelease(findPlatform('ASR1001-X'), '17.9.4a').image).toBe('asr1001x-universalk9.17.09.04a.SPA.bin');
    expect(licensingModeAtBoot(findRelease(findPlatform('ASR-920-24SZ-M'), '17.9.4'), false)).toBe('slp');
    expect(licensingModeAtBoot(findRelease(findPlatform('C9300-24P'), '16.12.4'), true)).toBe('smart');
  });

  it('ISR 4000: traditional on 16.9, smart from 16.10', () => {
    expect(modes('ISR4331/K9')).toMatchObject({ '16.9.6': ['traditional'], '16.12.5': ['smart'] });
  });

  it('ISR G2 and ISR 800: traditional only', () => {
    for (const pid of ['CISCO2911/K9', 'C881-K9']) expect(isSmartCapable(findPlatform(pid))).toBe(false);
  });

  it('ASR 900 / 1000: traditional, then both, then smart', () => {
    expect(findRelease(findPlatform('ASR-903'), '16.9.1a')).toMatchObject({
      modes: ['traditional', 'smart'],
      defaultMode: 'traditional',
    });
    expect(findRelease(findPlatform('ASR-920-24SZ-M'), '16.9.1a')).toMatchObject({ defaultMode: 'smart' });
    expect(modes('ASR1002-X')).toMatchObject({ '03.16.10.S': ['traditional'], '16.12.5': ['smart'] });
  });
});
