/**
 * The lab most device tests run in: the real cloud in process (SQLite, seeded with LAB_SEED) on a stepped
 * lab clock that starts at the registration time of the captures (golden_output2, 2026-03-13 08:09:24).
 */
import { createLab, type LabOptions, type LocalLab } from '#lab';

/** Tokens of LAB_SEED: `east` has licences for every C9300-24P factory entitlement, `short` has none. */
export const EAST_TOKEN = 'LAB-EAST-TOKEN%0AexportAllowed%3D';
export const SHORT_TOKEN = 'LAB-SHORT-TOKEN%0AnotExport%3D';
export const LAB_DOMAIN = 'lab.example.com';

export const LAB_SEED = `
accounts:
  - name: Lab Corp
    domain: ${LAB_DOMAIN}
    virtualAccounts:
      - name: east
        licenses: [{ sku: C9300-NW-A-24, quantity: 200 }, { sku: C9300-DNA-A-24-3Y, quantity: 200 }, { sku: C9300-NW-E-24, quantity: 200 }]
        tokens: [{ value: "${EAST_TOKEN}", expiresAfterDays: 365, exportControlled: true }]
      - name: short
        tokens: [{ value: "${SHORT_TOKEN}", expiresAfterDays: 365 }]
`;

export const LAB_START = Date.parse('2026-03-13T08:09:24Z');

export function openDeviceLab(
  options: { start?: number; seed?: string; syslog?: LabOptions['syslog'] } = {},
): Promise<LocalLab> {
  return createLab({
    clock: { mode: 'stepped', start: options.start ?? LAB_START },
    cloud: { seed: options.seed ?? LAB_SEED },
    ...(options.syslog ? { syslog: options.syslog } : {}),
  });
}
