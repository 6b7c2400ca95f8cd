/**
 * Boot-level selection at reload (boot-level.ts) for both agents: Smart runs any valid saved level;
 * traditional needs a license for it, where a higher level's license runs the levels it includes, and
 * falls back to the highest licensed level below, then the default.
 */
import { describe, expect, it } from 'vitest';
import { findPlatform } from '../kinds/registry.ts';
import { enforceBootLevel } from './boot-level.ts';
import { fileFor, install, reloadWith, traditionalLab } from './traditional.test-support.ts';

const startup = (bootLevel: string) => ({ hostname: 'Switch', bootLevel, timezone: { name: 'UTC', offsetMinutes: 0 } });
const switchE = findPlatform('WS-C3750E-24TD-S');

describe('enforceBootLevel', () => {
  it('without a licenser (Smart Licensing) runs the saved level, or the default for one the model lacks', () => {
    expect(enforceBootLevel(switchE, startup('advipservices'))).toEqual({ level: 'advipservices' });
    expect(enforceBootLevel(switchE, startup('metroaccess'))).toEqual({ level: 'ipbase' });
  });

  it('runs a level on the license of a higher level that includes it', () => {
    const licensed = (level: string) => (level === 'advipservices' ? 'adv-key' : undefined);
    expect(enforceBootLevel(switchE, startup('advipservices'), licensed)).toEqual({
      level: 'advipservices',
      license: 'adv-key',
    });
  });

  it('falls back to the highest licensed level below the saved one, then the default', () => {
    const only = (ok: string[]) => (level: string) => (ok.includes(level) ? `key:${level}` : undefined);
    expect(enforceBootLevel(switchE, startup('advipservices'), only(['ipservices', 'ipbase']))).toEqual({
      level: 'ipservices',
      license: 'key:ipservices',
    });
    expect(enforceBootLevel(switchE, startup('advipservices'), only([]))).toEqual({ level: 'ipbase' });
  });
});

describe('a 3750-E at reload', () => {
  it('runs ipservices on an installed advipservices license; clearing that license is refused while in use', async () => {
    const { clock, device } = traditionalLab();
    const d = device({ pid: 'WS-C3750E-24TD-S', sn: 'FDO1307R0W9' });
    expect(d.view().bootLevel.current).toBe('ipbase');
    install(d, fileFor(d, ['advipservices']));
    await reloadWith(clock, d, ['license boot level ipservices']);
    expect(d.view().bootLevel.current).toBe('ipservices');
    expect(d.traditional()!.running.license).toMatch(/^[0-9a-f]{16}$/);
    expect(d.exec('show version')).toContain(
      'License Level: ipservices\nLicense Type: Permanent\nNext reload license Level: ipservices\n',
    );
    expect(d.exec('license clear advipservices')).toMatch(/is in use/);
  });

  it('a 3750-E ordered with ipservices (-E) boots it on its factory license', () => {
    const { device } = traditionalLab();
    const d = device({ pid: 'WS-C3750E-48PD-E', sn: 'FDO1307R0W8' });
    expect(d.view().bootLevel.current).toBe('ipservices');
    expect(d.traditional()!.running.license).toBe('factory:ipservices');
  });

  it('boots an evaluation level only with the EULA accepted, and says so in show version', async () => {
    const { clock, device } = traditionalLab();
    const d = device({ pid: 'WS-C3750E-24TD-S', sn: 'FDO1307R0W9' });
    await reloadWith(clock, d, ['license boot level ipservices']);
    expect(d.view().bootLevel.current).toBe('ipbase');
    await reloadWith(clock, d, ['license accept end user agreement']);
    expect(d.view().bootLevel.current).toBe('ipservices');
    expect(d.exec('show version')).toContain('License Level: ipservices\nLicense Type: Evaluation\n');
  });
});
