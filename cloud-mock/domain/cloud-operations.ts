/**
 * What a lab (tests, scenarios, the dashboard) asks of the cloud besides the device protocol: what the
 * cloud holds for a UDI, its event log, and the operations a CSSM user performs in the portal (licenses
 * deposited into a virtual account, a product instance removed). Each call is one transaction.
 */
import { udiString, type Udi } from '#protocol';
import type { CloudEvent, LicenseType, ProductInstance, RegistrationToken } from '../store/index.ts';
import { requireAccount, requireVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import {
  depositLicenses,
  summarizePool,
  transferLicenses,
  withdrawLicenses,
  type LicenseTransfer,
  type PoolSummary,
} from './pools.ts';
import { releaseInstance } from './product-instances.ts';
import { createToken, revokeTokens, type NewToken } from './tokens.ts';
import { fail } from './domain-error.ts';

const key = (udi: Udi | string): string => (typeof udi === 'string' ? udi : udiString(udi));

export interface LicenseDeposit extends VaRef {
  tag: string;
  quantity: number;
  licenseType?: LicenseType;
  termDays?: number;
}

/** Licenses moved between two virtual accounts of one smart account (the portal's "Transfer…"). */
export interface LicenseMove extends LicenseTransfer {
  account: string;
  from: string;
  to: string;
}

/** Where a portal operation happens: a smart account (domain) and one of its virtual accounts. */
export interface VaRef {
  account: string;
  virtualAccount: string;
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

  /** A virtual account's license pools as the portal's Licenses tab sums them now, one per entitlement tag. */
  pools(va: VaRef): Promise<PoolSummary[]> {
    return this.#service.run('lab', async (tx, ctx) => {
      const found = await requireVirtualAccount(tx, await requireAccount(tx, va.account), va.virtualAccount);
      const now = ctx.clock.now();
      return (await tx.list('licensePools', { va_id: found.id })).map((pool) => summarizePool(pool, now));
    });
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

  /** Available licenses moved from one virtual account to another, longest term first; in-use ones stay. */
  async transferLicenses(m: LicenseMove): Promise<void> {
    await this.#service.run('lab', async (tx, ctx) => {
      const account = await requireAccount(tx, m.account);
      const from = await requireVirtualAccount(tx, account, m.from);
      const to = await requireVirtualAccount(tx, account, m.to);
      const type = m.licenseType !== undefined ? { licenseType: m.licenseType } : {};
      await transferLicenses(tx, ctx, account, from, to, { tag: m.tag, quantity: m.quantity, ...type });
    });
  }

  /** The portal's "New Token…" in a virtual account; the token's id is what a device registers with. */
  createToken(va: VaRef, input: NewToken = {}): Promise<RegistrationToken> {
    return this.#service.run('lab', async (tx, ctx) => {
      const account = await requireAccount(tx, va.account);
      return createToken(tx, ctx, account, await requireVirtualAccount(tx, account, va.virtualAccount), input);
    });
  }

  async revokeToken(va: VaRef, token: string): Promise<void> {
    await this.#service.run('lab', async (tx, ctx) => {
      const account = await requireAccount(tx, va.account);
      await revokeTokens(tx, ctx, await requireVirtualAccount(tx, account, va.virtualAccount), [token]);
    });
  }

  /** Revoke on a token known by its value alone (a lab fault), in whichever virtual account holds it. */
  async revokeTokenValue(token: string): Promise<void> {
    await this.#service.run('lab', async (tx, ctx) => {
      const found = await tx.get('registrationTokens', token);
      if (!found) fail('TOKEN_NOT_FOUND', `no registration token ${token.slice(0, 24)}…`);
      const va = await tx.get('virtualAccounts', found.vaId);
      await revokeTokens(tx, ctx, va!, [token]);
    });
  }

  /**
   * Licenses taken out of the pools the given product instances draw on: per virtual account and
   * entitlement tag, `quantity` of them, or by default as many as those instances use. UDIs the cloud
   * does not hold are skipped. Returns how many licenses left how many pools.
   */
  removeLicensesOf(udis: readonly string[], quantity?: number): Promise<{ licenses: number; pools: number }> {
    return this.#service.run('lab', async (tx, ctx) => {
      const wanted = new Map<string, Map<string, number>>();
      for (const udi of udis) {
        const instance = await tx.findOne('productInstances', { udi });
        if (!instance) continue;
        const tags = wanted.get(instance.vaId) ?? new Map<string, number>();
        for (const [tag, count] of Object.entries(instance.entitlements)) tags.set(tag, (tags.get(tag) ?? 0) + count);
        wanted.set(instance.vaId, tags);
      }
      let licenses = 0;
      let pools = 0;
      for (const [vaId, tags] of wanted) {
        const va = (await tx.get('virtualAccounts', vaId))!;
        for (const [tag, used] of tags) {
          if (used === 0 && quantity === undefined) continue;
          const removed = await withdrawLicenses(tx, ctx, va, tag, quantity ?? used);
          licenses += removed;
          if (removed > 0) pools++;
        }
      }
      return { licenses, pools };
    });
  }

  /** The portal's "Remove" on a product instance: licenses back to the pool; the device learns at next contact. */
  async removeInstance(udi: Udi | string): Promise<void> {
    await this.#service.run('lab', async (tx, ctx) => {
      const instance = await tx.findOne('productInstances', { udi: key(udi) });
      if (!instance) fail('INSTANCE_NOT_FOUND', `no product instance ${key(udi)}`);
      await releaseInstance(tx, ctx, instance, 'instance.removed');
    });
  }
}
