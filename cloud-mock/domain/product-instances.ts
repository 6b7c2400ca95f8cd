/**
 * Product instances: what a device becomes in CSSM once it registers. Registration consumes a token
 * use and issues an ID certificate; authorization requests set the instance's entitlements in use and
 * answer per tag; removal or deregistration releases its licenses.
 */
import { randomUUID } from 'node:crypto';
import {
  findEntitlement,
  udiString,
  type AuthorizeResponse,
  type EntitlementRequest,
  type EntitlementStatus,
  type RegisterResponse,
  type RenewIdResponse,
  type Udi,
} from '#protocol';
import type { ProductInstance, SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { applyUsage, holdLicenses, summarizePool } from './pools.ts';
import { releaseAuthorization } from './slp-authorization.ts';
import { requireUsableToken } from './tokens.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export interface Registration {
  idToken: string;
  udi: Udi;
  hostname: string;
  /** base64 SPKI DER; the caller has checked the request is signed by its private key. */
  publicKey: string;
  force: boolean;
  softwareVersion?: string;
}

export async function registerInstance(tx: Tx, ctx: DomainContext, r: Registration): Promise<RegisterResponse> {
  const token = await requireUsableToken(tx, ctx, r.idToken);
  const account = (await tx.get('smartAccounts', token.accountId))!;
  const va = (await tx.get('virtualAccounts', token.vaId))!;
  const udiKey = udiString(r.udi);
  const existing = await tx.findOne('productInstances', { udi: udiKey });
  if (existing && existing.vaId !== va.id && !r.force) {
    const where = await tx.get('virtualAccounts', existing.vaId);
    const sameAccount = existing.accountId === account.id;
    fail(
      'UDI_REGISTERED_ELSEWHERE',
      `${udiKey} is already registered in ${sameAccount ? `virtual account ${where?.name}` : 'another smart account'}; register with force to move it`,
    );
  }
  if (existing)
    await releaseInstance(tx, ctx, existing, existing.vaId === va.id ? 'instance.reregistered' : 'instance.moved');

  const now = ctx.clock.now();
  const cert = ctx.ca.issueIdCertificate({
    publicKeyDer: Buffer.from(r.publicKey, 'base64'),
    udi: r.udi,
    hostname: r.hostname,
    now,
    validityMs: ctx.policy.idCertificateValidityMs,
    backdateMs: ctx.policy.backdateMs,
  });
  const instance: ProductInstance = {
    id: randomUUID(),
    accountId: account.id,
    vaId: va.id,
    udi: r.udi,
    udiKey,
    hostname: r.hostname,
    registeredAt: now,
    tokenId: token.id,
    exportControlled: token.exportControlled,
    certSerial: cert.serialHex,
    certNotAfter: cert.notAfter,
    publicKey: r.publicKey,
    lastContactAt: now,
    softwareVersion: r.softwareVersion ?? null,
    entitlements: {},
  };
  await tx.put('productInstances', instance);
  token.uses += 1;
  await tx.put('registrationTokens', token);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: va.id,
    kind: 'instance.registered',
    message: `${udiKey} (${r.hostname}) registered in ${va.name}`,
    data: { udi: udiKey, hostname: r.hostname, certSerial: cert.serialHex, force: r.force, tokenUses: token.uses },
  });
  return {
    status: 'REGISTERED',
    udi: r.udi,
    idCertificate: cert.certPem,
    certificateSerial: cert.serialHex,
    notBefore: iso(cert.notBefore),
    notAfter: iso(cert.notAfter),
    caCertificate: ctx.ca.certPem,
    smartAccount: { name: account.name, domain: account.domain },
    virtualAccount: va.name,
    exportControlled: token.exportControlled,
  };
}

/** Normalises a request list: tags summed, catalogue-unknown tags reported INVALID_TAG and not counted. */
function requestedUsage(entitlements: EntitlementRequest[]): {
  counts: Map<string, number>;
  invalid: Map<string, number>;
} {
  const counts = new Map<string, number>();
  const invalid = new Map<string, number>();
  for (const { tag, count } of entitlements) {
    const into = findEntitlement(tag) ? counts : invalid;
    into.set(tag, (into.get(tag) ?? 0) + count);
  }
  return { counts, invalid };
}

/** Sets the instance's usage to `counts` and returns the per-tag compliance. */
/** The instance's usage set to `counts`: the VA's pools moved by the difference (the caller stores the instance). */
export async function setUsage(tx: Tx, ctx: DomainContext, instance: ProductInstance, counts: Map<string, number>) {
  const va = (await tx.get('virtualAccounts', instance.vaId))!;
  const deltas = new Map<string, number>();
  for (const [tag, n] of Object.entries(instance.entitlements)) deltas.set(tag, -n);
  for (const [tag, n] of counts) deltas.set(tag, (deltas.get(tag) ?? 0) + n);
  const pools = await applyUsage(tx, ctx, va, deltas);
  instance.entitlements = Object.fromEntries([...counts].filter(([, n]) => n > 0));
  return { va, pools };
}

export async function authorizeInstance(
  tx: Tx,
  ctx: DomainContext,
  instance: ProductInstance,
  entitlements: EntitlementRequest[],
): Promise<AuthorizeResponse> {
  const now = ctx.clock.now();
  const { counts, invalid } = requestedUsage(entitlements);
  const { va, pools } = await setUsage(tx, ctx, instance, counts);
  const results: AuthorizeResponse['entitlements'] = [];
  for (const [tag, count] of counts) {
    const pool = pools.get(tag)!;
    const status: EntitlementStatus =
      count === 0 || summarizePool(pool, now).balance >= 0 ? 'AUTHORIZED' : 'OUT_OF_COMPLIANCE';
    results.push({ tag, name: pool.licenseName, count, status });
  }
  for (const [tag, count] of invalid) results.push({ tag, name: tag, count, status: 'INVALID_TAG' });
  const overall = results.every((e) => e.status === 'AUTHORIZED') ? 'AUTHORIZED' : 'OUT_OF_COMPLIANCE';
  const changed = instance.lastAuthorization !== overall;
  instance.lastContactAt = now;
  instance.lastAuthorization = overall;
  await tx.put('productInstances', instance);
  if (changed) {
    await logEvent(tx, ctx, {
      accountId: instance.accountId,
      vaId: va.id,
      kind: 'instance.authorization',
      message: `${instance.udiKey} is ${overall === 'AUTHORIZED' ? 'authorized' : 'out of compliance'}`,
      data: { udi: instance.udiKey, status: overall, entitlements: results },
    });
  }
  const { authValidityMs, backdateMs } = ctx.policy;
  return {
    status: overall,
    entitlements: results,
    authorizedAt: iso(now),
    validUntil: iso(now - backdateMs + authValidityMs),
  };
}

/** A usage report updates what the instance uses without an authorization answer. */
export async function reportUsage(
  tx: Tx,
  ctx: DomainContext,
  instance: ProductInstance,
  entitlements: EntitlementRequest[],
): Promise<void> {
  const { counts } = requestedUsage(entitlements);
  await setUsage(tx, ctx, instance, counts);
  instance.lastContactAt = ctx.clock.now();
  await tx.put('productInstances', instance);
}

/** A new ID certificate for the same instance and key; the old serial stops working. */
export async function renewInstanceId(tx: Tx, ctx: DomainContext, instance: ProductInstance): Promise<RenewIdResponse> {
  const now = ctx.clock.now();
  const cert = ctx.ca.issueIdCertificate({
    publicKeyDer: Buffer.from(instance.publicKey, 'base64'),
    udi: instance.udi,
    hostname: instance.hostname,
    now,
    validityMs: ctx.policy.idCertificateValidityMs,
    backdateMs: ctx.policy.backdateMs,
  });
  const previous = instance.certSerial;
  Object.assign(instance, { certSerial: cert.serialHex, certNotAfter: cert.notAfter, lastContactAt: now });
  await tx.put('productInstances', instance);
  await logEvent(tx, ctx, {
    accountId: instance.accountId,
    vaId: instance.vaId,
    kind: 'instance.id-renewed',
    message: `${instance.udiKey} renewed its ID certificate`,
    data: { udi: instance.udiKey, previousSerial: previous, certSerial: cert.serialHex },
  });
  return {
    status: 'RENEWED',
    idCertificate: cert.certPem,
    certificateSerial: cert.serialHex,
    notBefore: iso(cert.notBefore),
    notAfter: iso(cert.notAfter),
  };
}

/** Releases the instance's licenses and deletes it; `kind` says why (deregistered, removed, moved…). */
export async function releaseInstance(
  tx: Tx,
  ctx: DomainContext,
  instance: ProductInstance,
  kind: string,
): Promise<number> {
  const released = Object.values(instance.entitlements).reduce((n, c) => n + c, 0);
  await setUsage(tx, ctx, instance, new Map());
  await releaseAuthorization(tx, ctx, instance);
  await tx.remove('productInstances', instance.id);
  await logEvent(tx, ctx, {
    accountId: instance.accountId,
    vaId: instance.vaId,
    kind,
    message: `${instance.udiKey} (${instance.hostname}) ${kind.split('.')[1]}; ${released} license(s) released`,
    data: { udi: instance.udiKey, released },
  });
  return released;
}

export async function requireInstance(tx: Tx, udi: Udi, va?: VirtualAccount): Promise<ProductInstance> {
  const instance = await tx.findOne('productInstances', { udi: udiString(udi) });
  if (!instance || (va && instance.vaId !== va.id))
    fail('INSTANCE_NOT_FOUND', `no product instance ${udiString(udi)}${va ? ` in ${va.name}` : ''}`);
  return instance;
}

/** Moves an instance and its usage to another VA of the same smart account. */
export async function transferInstance(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  instance: ProductInstance,
  to: VirtualAccount,
): Promise<void> {
  if (instance.accountId !== account.id || to.accountId !== account.id)
    fail('CROSS_ACCOUNT_TRANSFER', `product instances move only between virtual accounts of ${account.domain}`);
  if (instance.vaId === to.id) return;
  const counts = new Map(Object.entries(instance.entitlements));
  const slac = instance.slp?.authorization;
  await setUsage(tx, ctx, instance, new Map());
  await releaseAuthorization(tx, ctx, instance);
  const from = instance.vaId;
  instance.vaId = to.id;
  await setUsage(tx, ctx, instance, counts);
  // A SLAC moves with its instance: the target VA must have its licenses available.
  if (slac) {
    for (const k of slac.keys) await holdLicenses(tx, ctx, to, k.entitlement, k.count);
    instance.slp!.authorization = slac;
  }
  await tx.put('productInstances', instance);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: from,
    kind: 'instance.transferred',
    message: `${instance.udiKey} transferred to ${to.name}`,
    data: { udi: instance.udiKey, to: to.name },
  });
}
