/**
 * The mock cloud in this process: a store (SQLite file or PostgreSQL), the cloud service on the lab clock,
 * a seed applied at start, and the HTTP app that `lab cloud` serves and in-process devices call directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applySeed,
  CloudOperations,
  CloudService,
  createCloudApp,
  openStore,
  parseSeed,
  type CloudApp,
  type CloudPolicy,
  type LabKey,
  type RateLimit,
  type SeedResult,
  type Store,
} from '#cloud';
import type { LabClock } from './clock/index.ts';
import type { LabCloud } from './lab-cloud.ts';

export interface InProcessCloudOptions {
  /** SQLite file or postgres://… URL; default a SQLite file in a temporary directory, removed at close. */
  db?: string;
  /** A seed document (YAML or JSON text) applied at start; `seedSource` names it in errors. */
  seed?: string;
  seedSource?: string;
  /** Overrides of the timers the cloud owns (authorization validity, certificate backdate, …). */
  policy?: Partial<CloudPolicy>;
  /** Per API client on the management API; default 10/s, burst 100; null: unlimited. */
  rateLimit?: RateLimit | null;
  /** Required on /lab/ routes when the app is served (`lab cloud`); default none, for devices in this process. */
  labKey?: LabKey | null;
  log?: (line: string) => void;
}

export interface InProcessCloud extends LabCloud {
  readonly service: CloudService;
  readonly app: CloudApp;
  readonly store: Store;
  readonly operations: CloudOperations;
  readonly seeded: SeedResult | undefined;
  /** The CA devices trust: it signs their ID certificates and every answer. */
  readonly caPem: string;
  close(): Promise<void>;
}

export async function openInProcessCloud(
  clock: LabClock,
  options: InProcessCloudOptions = {},
): Promise<InProcessCloud> {
  // Parsed first: a bad seed is refused before anything is created.
  const seed = options.seed !== undefined ? parseSeed(options.seed, options.seedSource) : undefined;
  const scratch = options.db === undefined ? mkdtempSync(join(tmpdir(), 'lab-cloud-')) : undefined;
  const store = await openStore(scratch !== undefined ? join(scratch, 'cloud.db') : options.db);
  const close = async (): Promise<void> => {
    await store.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const service = await CloudService.open({ store, clock, ...(options.policy ? { policy: options.policy } : {}) });
    const seeded = seed ? await applySeed(service, seed) : undefined;
    const app = createCloudApp({
      service,
      clock,
      clockControl: clock.mode === 'stepped' ? clock : undefined,
      labKey: options.labKey ?? null,
      log: options.log ?? (() => {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
    });
    const operations = new CloudOperations(service);
    const { faults } = app.context;
    return {
      location: 'in process',
      service,
      app,
      store,
      operations,
      seeded,
      caPem: service.ca.certPem,
      faults: {
        add: async (rule) => faults.add(rule),
        remove: async (id) => void faults.remove(id),
        clear: async () => faults.clear(),
      },
      instance: (udi) => operations.instance(udi),
      instances: () => operations.instances(),
      events: (query) => operations.events(query),
      depositLicenses: (deposit) => operations.depositLicenses(deposit),
      removeInstance: (udi) => operations.removeInstance(udi),
      revokeToken: (token) => operations.revokeTokenValue(token),
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
