/**
 * The domain bound to its store, clock and CA: every call runs in one transaction and commits before
 * it resolves. The CA key, the license signing key and the lab's extra SKUs live in the store, so a
 * restarted cloud keeps trusting the ID certificates it issued and its license lines stay valid.
 */
import type { Clock } from '#protocol';
import { LicenseSigningKey, MockCa } from '../ca/index.ts';
import type { Store, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { defaultPolicy, type CloudPolicy } from './policy.ts';
import { SkuCatalog, type SkuDefinition } from './sku-catalog.ts';

const CA_META = 'ca';
const LICENSE_KEY_META = 'license-signing-key';
const SKU_META = 'skus';

export interface CloudServiceOptions {
  store: Store;
  clock: Clock;
  policy?: Partial<CloudPolicy>;
}

export class CloudService {
  readonly store: Store;
  readonly clock: Clock;
  readonly ca: MockCa;
  /** Signs traditional license lines; devices are given its public half. */
  readonly licenseKey: LicenseSigningKey;
  readonly policy: CloudPolicy;
  readonly skus: SkuCatalog;
  /** In-memory changes of the transaction running now, undone if it does not commit. */
  private undoLog: (() => void)[] | null = null;

  private constructor(
    store: Store,
    clock: Clock,
    ca: MockCa,
    licenseKey: LicenseSigningKey,
    policy: CloudPolicy,
    skus: SkuCatalog,
  ) {
    this.store = store;
    this.clock = clock;
    this.ca = ca;
    this.licenseKey = licenseKey;
    this.policy = policy;
    this.skus = skus;
  }

  static async open(options: CloudServiceOptions): Promise<CloudService> {
    const { store, clock } = options;
    const { ca, licenseKey, extraSkus } = await store.tx(async (tx) => {
      const saved = await tx.getMeta(CA_META);
      let ca: MockCa;
      if (saved) {
        ca = MockCa.load(JSON.parse(saved) as { keyPem: string; certPem: string });
      } else {
        ca = MockCa.generate(clock.now());
        await tx.putMeta(CA_META, JSON.stringify(ca.export()));
      }
      const savedKey = await tx.getMeta(LICENSE_KEY_META);
      const licenseKey = savedKey
        ? LicenseSigningKey.load(JSON.parse(savedKey) as { keyPem: string })
        : LicenseSigningKey.generate();
      if (!savedKey) await tx.putMeta(LICENSE_KEY_META, JSON.stringify(licenseKey.export()));
      const skus = await tx.getMeta(SKU_META);
      return { ca, licenseKey, extraSkus: skus ? (JSON.parse(skus) as SkuDefinition[]) : [] };
    });
    const catalog = new SkuCatalog();
    for (const s of extraSkus) catalog.add(s);
    return new CloudService(store, clock, ca, licenseKey, { ...defaultPolicy, ...options.policy }, catalog);
  }

  /** Runs one unit of work as `actor` (written into every event it logs). */
  run<T>(actor: string, work: (tx: Tx, ctx: DomainContext) => Promise<T>): Promise<T> {
    const ctx: DomainContext = {
      clock: this.clock,
      ca: this.ca,
      licenseKey: this.licenseKey,
      policy: this.policy,
      actor,
    };
    let undo: (() => void)[] = [];
    return this.store
      .tx(async (tx) => {
        this.undoLog = undo = [];
        try {
          return await work(tx, ctx);
        } finally {
          this.undoLog = null;
        }
      })
      .catch((err: unknown) => {
        for (const step of undo.reverse()) step();
        throw err;
      });
  }

  /** Adds SKUs to the catalogue (orderable at once in this transaction, forgotten if it fails) and persists them. */
  async addSkus(tx: Tx, skus: SkuDefinition[]): Promise<void> {
    for (const s of skus) {
      const previous = this.skus.get(s.sku);
      this.undoLog?.push(() => (previous ? this.skus.add(previous) : this.skus.delete(s.sku)));
      this.skus.add(s);
    }
    const saved = await tx.getMeta(SKU_META);
    const merged = new Map((saved ? (JSON.parse(saved) as SkuDefinition[]) : []).map((s) => [s.sku, s]));
    for (const s of skus) merged.set(s.sku, s);
    await tx.putMeta(SKU_META, JSON.stringify([...merged.values()]));
  }

  /** Lab reset: accounts, tokens, pools, instances, PAKs and events go; the CA and license key stay. */
  async reset(): Promise<void> {
    await this.store.truncate();
  }
}
