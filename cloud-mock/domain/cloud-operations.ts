/**
 * What a lab (tests, scenarios, the dashboard) asks of the cloud besides the device protocol: what the
 * cloud holds for a UDI, its event log, and the operations a CSSM user performs in the portal (licenses
 * deposited into a virtual account, a product instance removed). Each call is one transaction.
 */
import { udiString, type Udi } from '#protocol';
import type { CloudEvent, LicenseType, ProductInstance } from '../store/index.ts';
import { requireAccount, requireVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import { depositLicenses } from './pools.ts';
import { releaseInstance } from './product-instances.ts';
import { fail } from './domain-error.ts';

const key = (udi: Udi | string): string => (typeof udi === 'string' ? udi : udiString(udi));

export interface LicenseDeposit {
  /** Smart account domain (`lab.example.com`). */
  account: string;
  virtualAccount: string;
  tag: string;
  quantity: number;
  licenseType?: LicenseType;
  termDays?: number;
}

export class CloudOperations {
  readonly #service: CloudService;

  constructor(service: CloudService) {
    this.#service = service;
  }

  /** The product instance the cloud holds for `udi` (`PID:…,SN:…` or parts), if it is registered. */
  instance(udi: Udi | string): Promise<ProductInstance | undefined> {
    return this.#service.run('lab', (tx) => tx.findOne('productInstances', { udi: key(udi) }));
  }

  instances(): Promise<ProductInstance[]> {
    return this.#service.run('lab', (tx) => tx.list('productInstances'));
  }

  /** The event log, oldest first, after event `afterSeq` (default from the start), at most `limit` (1000). */
  events(query: { afterSeq?: number; limit?: number } = {}): Promise<CloudEvent[]> {
    return this.#service.run('lab', (tx) => tx.events({ afterSeq: query.afterSeq ?? 0, limit: query.limit ?? 1000 }));
  }

  /** Licenses bought into a virtual account (PERPETUAL unless a type is given). */
  async depositLicenses(d: LicenseDeposit): Promise<void> {
    await this.#service.run('lab', async (tx, ctx) => {
      const va = await requireVirtualAccount(tx, await requireAccount(tx, d.account), d.virtualAccount);
      const termDays = d.termDays !== undefined ? { termDays: d.termDays } : {};
      await depositLicenses(tx, ctx, va, {
        tag: d.tag,
        quantity: d.quantity,
        licenseType: d.licenseType ?? 'PERPETUAL',
        ...termDays,
      });
    });
  }

  /** The portal's "Remove" on a product instance: its licenses go back to the pool, the device learns at its next contact. */
  async removeInstance(udi: Udi | string): Promise<void> {
    await this.#service.run('lab', async (tx, ctx) => {
      const instance = await tx.findOne('productInstances', { udi: key(udi) });
      if (!instance) fail('INSTANCE_NOT_FOUND', `no product instance ${key(udi)}`);
      await releaseInstance(tx, ctx, instance, 'instance.removed');
    });
  }
}
