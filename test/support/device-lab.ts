/**
 * A small lab for device tests: the real cloud (SQLite, seeded from scenarios/cloud-seed.example.yaml)
 * in process on a stepped lab clock, and a factory of virtual devices wired to it.
 */
import { readFileSync } from 'node:fs';
import { applySeed, CloudService, createCloudApp, parseSeed, type CloudApp } from '#cloud';
import { LabClock } from '#lab/clock/index.ts';
import { createDevice, createInProcessTransport, type DeviceOptions, type VirtualDevice } from '#devices';
import { openTestStore, type TestStore } from '../../cloud-mock/store/test-stores.ts';

export const EXAMPLE_TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export interface DeviceLab {
  clock: LabClock;
  app: CloudApp;
  service: CloudService;
  db: TestStore;
  device(options: Partial<DeviceOptions> & { pid?: string }): VirtualDevice;
  close(): Promise<void>;
}

let serial = 0;

export async function openDeviceLab(options: { start?: number; seed?: string } = {}): Promise<DeviceLab> {
  const db = await openTestStore('sqlite');
  const clock = LabClock.create({ mode: 'stepped', start: options.start ?? Date.parse('2026-03-13T08:09:24Z') });
  const service = await CloudService.open({ store: db.store, clock });
  await applySeed(service, parseSeed(options.seed ?? readFileSync('scenarios/cloud-seed.example.yaml', 'utf8')));
  const app = createCloudApp({ service, clock, clockControl: clock, log: () => {} });
  const transport = createInProcessTransport((r) => app.handle(r));
  const devices: VirtualDevice[] = [];
  return {
    clock,
    app,
    service,
    db,
    device(o) {
      const d = createDevice({
        pid: 'C9300-24P',
        serialSequence: ++serial,
        clock,
        cloud: { transport, trustAnchorPem: service.ca.certPem },
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
