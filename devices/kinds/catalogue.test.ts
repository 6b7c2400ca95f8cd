/** Every model is internally consistent and every tag it requests is one the cloud keeps pools of. */
import { describe, expect, it } from 'vitest';
import { findEntitlement } from '#protocol';
import type { PlatformModel } from './platform.ts';
import { allFamilies, allPlatforms, isSmartCapable } from './registry.ts';
import { SERIAL_PATTERN } from './udi.ts';

const names = (levels: readonly { name: string }[] | undefined) => (levels ?? []).map((l) => l.name);

describe('the catalogue', () => {
  it('has at least 20 PIDs, each unique (case-insensitively) and in the CSN PID format', () => {
    const pids = allPlatforms().map((m) => m.pid);
    expect(pids.length).toBeGreaterThanOrEqual(20);
    expect(new Set(pids.map((p) => p.toUpperCase())).size).toBe(pids.length);
    // S-ENTSW PID regex: ≤ 18 characters (we also allow the `/` real PIDs carry).
    for (const p of pids) expect(p).toMatch(/^[A-Z][A-Za-z0-9\-=+/]{2,17}$/);
  });

  it('covers the families of issue 4', () => {
    for (const pid of [
      'WS-C3750E-24TD-S',
      'WS-C3560E-24TD-S',
      'WS-C3850-24P',
      'WS-C3650-24TS',
      'C9200-24P',
      'C9200L-24T-4G',
      'C9300-48P',
      'C881-K9',
      'C887VA-K9',
      'CISCO1941/K9',
      'CISCO3945/K9',
      'ISR4321/K9',
      'ISR4451-X/K9',
      'ASR-903',
      'ASR-920-24SZ-M',
      'ASR1001-X',
      'ASR1002-X',
    ]) {
      expect(allPlatforms().map((m) => m.pid)).toContain(pid);
    }
  });

  it('registers each model under its own family', () => {
    for (const f of allFamilies()) for (const m of f.models) expect(m.family).toBe(f.id);
  });
});

describe.each(allPlatforms().map((m) => [m.pid, m] as [string, PlatformModel]))('%s', (_pid, m) => {
  it('defaults to one of its own levels, add-ons and releases', () => {
    expect(names(m.levels)).toContain(m.defaultLevel);
    if (m.defaultAddon !== undefined) expect(names(m.addons)).toContain(m.defaultAddon);
    expect(m.releases.map((r) => r.version)).toContain(m.defaultRelease);
  });

  it('has unique level, add-on and feature names; includes and addonFor name its own levels', () => {
    for (const list of [m.levels, m.addons ?? [], m.features]) expect(new Set(names(list)).size).toBe(list.length);
    for (const l of [...m.levels, ...(m.addons ?? [])]) {
      for (const inc of l.includes ?? []) expect([...names(m.levels), ...names(m.addons)]).toContain(inc);
      for (const base of l.addonFor ?? []) expect(names(m.levels)).toContain(base);
    }
  });

  it('has releases whose default mode is one of their modes, each with a .bin image', () => {
    for (const r of m.releases) {
      expect(r.modes).toContain(r.defaultMode);
      expect(r.image).toMatch(/\.bin$/);
    }
  });

  it('has a prompt, description, VID and serial prefixes in Cisco formats', () => {
    expect(m.defaultHostname).toBe(m.family.startsWith('catalyst') ? 'Switch' : 'Router');
    expect(m.description).toMatch(/^[Cc]isco /);
    expect(m.vid).toMatch(/^[A-HJ-NP-Z0-9]{2,3}$/);
    expect(m.serialPrefixes.length).toBeGreaterThan(0);
    for (const p of m.serialPrefixes) expect(`${p}22450000`).toMatch(SERIAL_PATTERN);
  });

  it('names its licence module when it uses technology packages (ISR G2)', () => {
    if (m.levelModel === 'technology-package') expect(m.licenseModule).toMatch(/^c\d/);
  });

  it('requests catalogue tags if smart-capable (every level above the base, add-on and feature), none otherwise', () => {
    const all = [...m.levels, ...(m.addons ?? []), ...m.features];
    if (!isSmartCapable(m)) {
      for (const l of all) expect(l.entitlementTag, l.name).toBeUndefined();
      return;
    }
    for (const l of all.filter((l) => l !== m.levels[0])) expect(l.entitlementTag, l.name).toBeDefined();
    for (const l of all)
      if (l.entitlementTag) expect(findEntitlement(l.entitlementTag), l.entitlementTag).toBeDefined();
  });
});
