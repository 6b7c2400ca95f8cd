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
  PortalOperations,
  SlpOperations,
  type CloudApp,
  type CloudPolicy,
  type FaultInjector,
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
  /** The portal's license signing key, public half (PEM): traditional devices verify license lines with it. */
  readonly licenseKeyPem: string;
  close(): Promise<void>;
}

/** What a start of the cloud builds on its store; a restart builds it again. */
interface Running {
  store: Store;
  service: CloudService;
  app: CloudApp;
  operations: CloudOperations;
  portal: PortalOperations;
  slp: SlpOperations;
}

export async function openInProcessCloud(
  clock: LabClock,
  options: InProcessCloudOptions = {},
): Promise<InProcessCloud> {
  // Parsed first: a bad seed is refused before anything is created.
  const seed = options.seed !== undefined ? parseSeed(options.seed, options.seedSource) : undefined;
  const scratch = options.db === undefined ? mkdtempSync(join(tmpdir(), 'lab-cloud-')) : undefined;
  const location = scratch !== undefined ? join(scratch, 'cloud.db') : options.db;
  const start = async (store: Store, faults?: FaultInjector): Promise<Running> => {
    const service = await CloudService.open({ store, clock, ...(options.policy ? { policy: options.policy } : {}) });
    const app = createCloudApp({
      service,
      clock,
      clockControl: clock.mode === 'stepped' ? clock : undefined,
      labKey: options.labKey ?? null,
      log: options.log ?? (() => {}),
      ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      ...(faults ? { faults } : {}),
    });
    return {
      store,
      service,
      app,
      operations: new CloudOperations(service),
      portal: new PortalOperations(service),
      slp: new SlpOperations(service),
    };
  };
  let store = await openStore(location);
  let running: Running | undefined;
  let restarting: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await restarting?.catch(() => undefined);
    await store.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    running = await start(store);
    const seeded = seed ? await applySeed(running.service, seed) : undefined;
    // Work in the cloud waits out a restart, and a restart waits for the work under way to finish.
    let inFlight = 0;
    let drained: (() => void) | undefined;
    const use = async <T>(work: (r: Running) => Promise<T>): Promise<T> => {
      while (restarting) await restarting.catch(() => undefined);
      inFlight++;
      try {
        return await work(running!);
      } finally {
        if (--inFlight === 0) drained?.();
      }
    };
    const restart = async (): Promise<void> => {
      if (inFlight > 0) await new Promise<void>((done) => (drained = done));
      drained = undefined;
      await store.close();
      store = await openStore(location);
      running = await start(store, running!.app.context.faults);
    };
    const app: CloudApp = {
      get routes() {
        return running!.app.routes;
      },
      get context() {
        return running!.app.context;
      },
      handle: (req) => use((r) => r.app.handle(req)),
      sign: (res) => running!.app.sign(res),
    };
    const faults = () => running!.app.context.faults;
    return {
      location: 'in process',
      get service() {
        return running!.service;
      },
      app,
      get store() {
        return running!.store;
      },
      get operations() {
        return running!.operations;
      },
      seeded,
      caPem: running.service.ca.certPem,
      // Persisted beside the CA, so a restart keeps the same key.
      licenseKeyPem: running.service.licenseKey.publicKeyPem,
      faults: {
        add: async (rule) => faults().add(rule),
        remove: async (id) => void faults().remove(id),
        clear: async () => faults().clear(),
      },
      instance: (udi) => use((r) => r.operations.instance(udi)),
      instances: () => use((r) => r.operations.instances()),
      events: (query) => use((r) => r.operations.events(query)),
      pools: (va) => use((r) => r.operations.pools(va)),
      depositLicenses: (deposit) => use((r) => r.operations.depositLicenses(deposit)),
      transferLicenses: (move) => use((r) => r.operations.transferLicenses(move)),
      removeInstance: (udi) => use((r) => r.operations.removeInstance(udi)),
      revokeToken: (token) => use((r) => r.operations.revokeTokenValue(token)),
      removeLicenses: (udis, quantity) => use((r) => r.operations.removeLicensesOf(udis, quantity)),
      portal: {
        addPak: (account, pak) => use((r) => r.portal.addPak(account, pak)),
        pak: (account, pak) => use((r) => r.portal.pak(account, pak)),
        fulfil: (account, pak, udi, skus) => use((r) => r.portal.fulfil(account, pak, udi, skus)),
        licenses: (account, udi) => use((r) => r.portal.licenses(account, udi)),
        resend: (account, udi) => use((r) => r.portal.resend(account, udi)),
        rma: (account, rma) => use((r) => r.portal.rma(account, rma)),
        permissionTicket: (account, udi, features) => use((r) => r.portal.permissionTicket(account, udi, features)),
        rehost: (account, ticket, target) => use((r) => r.portal.rehost(account, ticket, target)),
      },
      slp: {
        usageFile: (va, file) => use((r) => r.slp.usageFile(va, file)),
        setPolicy: (va, policy) => use((r) => r.slp.setPolicy(va, policy)),
        reserve: (va, requests) => use((r) => r.slp.reserve(va, requests)),
        returnReservation: (va, code) => use((r) => r.slp.returnReservation(va, code)),
        satelliteSyncFile: (account, file) => use((r) => r.slp.satelliteSyncFile(account, file)),
      },
      restart: () => (restarting ??= restart().finally(() => (restarting = undefined))),
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
