/**
 * A small lab for device tests: the real cloud (SQLite, seeded with LAB_SEED)
 * in process on a stepped lab clock, and a factory of virtual devices wired to it.
 */
import { applySeed, CloudService, createCloudApp, parseSeed, type CloudApp } from '#cloud';
import { LabClock } from '#lab/clock/index.ts';
import { createDevice, createInProcessTransport, type DeviceOptions, type VirtualDevice } from '#devices';
import { openTestStore, type TestStore } from '../../cloud-mock/store/test-stores.ts';

/** Tokens of LAB_SEED: `east` has licences for every C9300-24P factory entitlement, `short` has none. */
export const EAST_TOKEN = 'LAB-EAST-TOKEN%0AexportAllowed%3D';
export const SHORT_TOKEN = 'LAB-SHORT-TOKEN%0AnotExport%3D';

export const LAB_SEED = `
accounts:
  - name: Lab Corp
    domain: lab.example.com
    virtualAccounts:
      - name: east
        licenses: [{ sku: C9300-NW-A-24, quantity: 200 }, { sku: C9300-DNA-A-24-3Y, quantity: 200 }, { sku: C9300-NW-E-24, quantity: 200 }]
        tokens: [{ value: "${EAST_TOKEN}", expiresAfterDays: 365, exportControlled: true }]
      - name: short
        tokens: [{ value: "${SHORT_TOKEN}", expiresAfterDays: 365 }]
`;

/** Ids of the state nodes a snapshot value is in (`smart`, `smart.enabled`, …), for state coverage. */
export function stateIds(value: unknown, prefix = 'smart'): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`];
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => stateIds(v, `${prefix}.${k}`))];
}

export interface DeviceLab {
  clock: LabClock;
  app: CloudApp;
  service: CloudService;
  db: TestStore;
  device(options?: Partial<DeviceOptions> & { pid?: string }): VirtualDevice;
  /** Every state node any device of this lab has been in. */
  visited: Set<string>;
  close(): Promise<void>;
}

let serial = 0;

export async function openDeviceLab(options: { start?: number; seed?: string } = {}): Promise<DeviceLab> {
  const db = await openTestStore('sqlite');
  const clock = LabClock.create({ mode: 'stepped', start: options.start ?? Date.parse('2026-03-13T08:09:24Z') });
  const service = await CloudService.open({ store: db.store, clock });
  await applySeed(service, parseSeed(options.seed ?? LAB_SEED));
  const app = createCloudApp({ service, clock, clockControl: clock, log: () => {} });
  const transport = createInProcessTransport((r) => app.handle(r));
  const devices: VirtualDevice[] = [];
  const visited = new Set<string>();
  return {
    visited,
    clock,
    app,
    service,
    db,
    device(o = {}) {
      const d = createDevice({
        pid: 'C9300-24P',
        serialSequence: ++serial,
        clock,
        cloud: { transport, trustAnchorPem: service.ca.certPem },
        inspect: (e) => {
          if (e.type === '@xstate.snapshot' && 'value' in e.snapshot)
            for (const id of stateIds(e.snapshot.value)) visited.add(id);
        },
        ...o,
      });
      devices.push(d);
      return d;
    },
    async close() {
      for (const d of devices) d.stop();
      clock.dispose();
      await db.cleanup();
    },
  };
}
