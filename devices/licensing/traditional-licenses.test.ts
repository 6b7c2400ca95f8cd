/** License priority and which license serves a level (traditional-licenses.ts). */
import { describe, expect, it } from 'vitest';
import { findPlatform } from '../kinds/registry.ts';
import { byPreference, licenseForLevel, type License } from './traditional-licenses.ts';
import { newTraditionalRecord } from './traditional-record.ts';

const platform = findPlatform('WS-C3750E-24TD-S');
const lic = (key: string, feature: string, patch: Partial<License> = {}): License => ({
  key,
  feature,
  version: '1.0',
  type: 'permanent',
  store: 'primary',
  storeIndex: 1,
  lock: { pid: platform.pid, sn: 'FDO1307R0W9' },
  count: null,
  priority: 'medium',
  eulaRequired: false,
  comment: '',
  ...patch,
});
const metered = (p: Partial<License> = {}): Partial<License> => ({ type: 'extension', periodMs: 1000, ...p });

describe('license priority', () => {
  it('prefers unmetered, then higher priority, then installed over built-in', () => {
    const builtin = lic('b', 'ipservices', { ...metered({ type: 'demo' }), store: 'builtin', priority: 'none' });
    const ext = lic('e', 'ipservices', metered({ priority: 'high' }));
    const lowExt = lic('l', 'ipservices', metered({ priority: 'low' }));
    const perm = lic('p', 'ipservices', { priority: 'low' });
    expect([builtin, lowExt, ext, perm].sort(byPreference).map((l) => l.key)).toEqual(['p', 'e', 'l', 'b']);
  });

  it('serves a level from its own licenses or a higher level’s; skips expired and unaccepted ones', () => {
    const record = { ...newTraditionalRecord(), usedMs: { used: 1000 } };
    const expired = lic('used', 'ipservices', metered());
    const eval_ = lic('eval', 'ipservices', { ...metered({ type: 'demo' }), eulaRequired: true });
    const adv = lic('adv', 'advipservices', metered());
    expect(licenseForLevel(platform, [expired, eval_, adv], record, 0, 'ipservices')?.key).toBe('adv');
    expect(licenseForLevel(platform, [expired, eval_], record, 0, 'ipservices')).toBeUndefined();
    const accepted = { ...record, eulaAccepted: true };
    expect(licenseForLevel(platform, [expired, eval_], accepted, 0, 'ipservices')?.key).toBe('eval');
    // A subscription serves only between its dates (device time).
    const sub = lic('sub', 'ipservices', { type: 'paidSubscription', startAt: 100, endAt: 200 });
    expect(licenseForLevel(platform, [sub], record, 150, 'ipservices')?.key).toBe('sub');
    expect(licenseForLevel(platform, [sub], record, 250, 'ipservices')).toBeUndefined();
  });
});
