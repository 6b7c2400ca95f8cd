/**
 * What a lab (tests, scenarios) asks of the license registration portal, by smart account domain: add a PAK
 * as an order would, fulfil it, resend, evaluation and extension licenses, RMA, rehost, conversion, and the
 * license files manufacturing preinstalls on an order's devices. Each call
 * is one transaction, acting as `lab`; the answers are the domain's (license files as text).
 */
import { udiString, type Udi } from '#protocol';
import type { Pak, PortalLicense, SmartAccount, Tx } from '../store/index.ts';
import { requireAccount, requireVirtualAccount } from './accounts.ts';
import type { CloudService } from './cloud-service.ts';
import { preinstallOrder, type ManufacturingOrder } from './manufacturing.ts';
import { convertPak, type Converted } from './pak-conversion.ts';
import { createPak, fulfilPak, requirePak, type NewPak, type SkuPick } from './paks.ts';
import { issueEvaluation, issueExtension, resendLicenses, type IssuedFile } from './portal-licenses.ts';
import {
  completeRehost,
  createPermissionTicket,
  replaceForRma,
  type IssuedPermissionTicket,
  type RehostResult,
} from './rehost.ts';
import type { DomainContext } from './context.ts';

export class PortalOperations {
  readonly #service: CloudService;

  constructor(service: CloudService) {
    this.#service = service;
  }

  /** The PEM public key devices verify license lines with. */
  get signingKeyPem(): string {
    return this.#service.licenseKey.publicKeyPem;
  }

  #in<T>(domain: string, work: (tx: Tx, ctx: DomainContext, account: SmartAccount) => Promise<T>): Promise<T> {
    return this.#service.run('lab', async (tx, ctx) => work(tx, ctx, await requireAccount(tx, domain)));
  }

  addPak(account: string, pak: NewPak): Promise<Pak> {
    return this.#in(account, (tx, ctx, a) => createPak(tx, ctx, a, pak));
  }

  pak(account: string, pak: string): Promise<Pak> {
    return this.#in(account, (tx, _ctx, a) => requirePak(tx, a, pak));
  }

  fulfil(account: string, pak: string, udi: Udi, skus: SkuPick[]): Promise<IssuedFile> {
    return this.#in(account, (tx, ctx, a) => fulfilPak(tx, ctx, a, pak, udi, skus));
  }

  /** Every line the account was issued for the UDI, whatever its status. */
  licenses(account: string, udi: Udi): Promise<PortalLicense[]> {
    return this.#in(account, (tx, _ctx, a) => tx.list('portalLicenses', { udi: udiString(udi), account_id: a.id }));
  }

  resend(account: string, udi: Udi): Promise<IssuedFile> {
    return this.#in(account, (tx, ctx, a) => resendLicenses(tx, ctx, a, udi));
  }

  evaluation(account: string, udi: Udi, feature: string): Promise<IssuedFile> {
    return this.#in(account, (tx, ctx, a) => issueEvaluation(tx, ctx, a, udi, feature));
  }

  extension(account: string, r: { udi: Udi; feature: string; approved: boolean; days?: number }): Promise<IssuedFile> {
    return this.#in(account, (tx, ctx, a) => issueExtension(tx, ctx, a, r));
  }

  rma(account: string, r: { failed: Udi; replacement: Udi; rmaNumber?: string }): Promise<IssuedFile> {
    return this.#in(account, (tx, ctx, a) => replaceForRma(tx, ctx, a, r));
  }

  permissionTicket(account: string, udi: Udi, features?: string[]): Promise<IssuedPermissionTicket> {
    return this.#in(account, (tx, ctx, a) => createPermissionTicket(tx, ctx, a, udi, features));
  }

  rehost(account: string, rehostTicket: string, target: Udi): Promise<RehostResult> {
    return this.#in(account, (tx, ctx, a) => completeRehost(tx, ctx, a, rehostTicket, target));
  }

  convertPak(account: string, virtualAccount: string, pak: string, skus?: string[]): Promise<Converted[]> {
    return this.#in(account, async (tx, ctx, a) =>
      convertPak(tx, ctx, a, await requireVirtualAccount(tx, a, virtualAccount), pak, skus),
    );
  }

  /** One license file per device of a manufacturing order (no PAK): what the lab installs before first boot. */
  preinstall(account: string, order: ManufacturingOrder): Promise<IssuedFile[]> {
    return this.#in(account, (tx, ctx, a) => preinstallOrder(tx, ctx, a, order));
  }
}
