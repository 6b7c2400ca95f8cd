/**
 * Moving node-locked licenses (traditional-licensing-snmp-platforms.md §A.8, S-CSAOV "License Transfer"):
 * rehost between two working devices (permission ticket ⇒ the source revokes and installs 60-day grace
 * lines ⇒ its rehost ticket ⇒ licenses for the target), the online `license call-home revoke`, and RMA
 * (a failed device cannot revoke: its licenses are reissued to the replacement and the old ones marked).
 */
import { randomBytes } from 'node:crypto';
import { checkRehostProof, formatPermissionTicket, parseRehostTicket, udiString, type Udi } from '#protocol';
import type { PermissionTicketRecord, PortalLicense, SmartAccount, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { issueLicense, licenseFile, requireActiveLicenses, signLicense, type IssuedFile } from './portal-licenses.ts';
import { appliesTo, traditionalSkus } from './traditional-skus.ts';

/** Temporary licenses stay on their device: only these move. */
const TRANSFERABLE = new Set(['permanent', 'paidSubscription', 'rightToUse', 'permanentRightToUse']);

async function transferable(tx: Tx, account: SmartAccount, udi: Udi, features?: string[]): Promise<PortalLicense[]> {
  const active = (await requireActiveLicenses(tx, account, udi)).filter((l) => TRANSFERABLE.has(l.type));
  const chosen = features?.length ? active.filter((l) => features.includes(l.feature)) : active;
  if (chosen.length === 0)
    fail(
      'LICENSE_NOT_FOUND',
      `${udiString(udi)} holds no transferable license${features?.length ? ` for ${features.join(', ')}` : ''}; it holds: ${active.map((l) => l.feature).join(', ') || 'temporary licenses only'}`,
    );
  return chosen;
}

/** The target must be a device the licenses' SKUs apply to, and another device. */
function checkTarget(source: Udi, target: Udi, licenses: PortalLicense[]): void {
  if (udiString(source) === udiString(target)) fail('INVALID_VALUE', `source and target are both ${udiString(target)}`);
  for (const l of licenses) {
    const sku = traditionalSkus.find((s) => s.sku === l.sku);
    const fits = sku ? appliesTo(sku, target.pid) : target.pid === source.pid;
    if (!fits)
      fail('SKU_NOT_FOR_PLATFORM', `the ${l.feature} license of ${udiString(source)} cannot move to a ${target.pid}`);
  }
}

/** Marks `licenses` moved and issues their successors (same feature, type, count) on `target`. */
async function reissue(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  licenses: PortalLicense[],
  target: Udi,
  status: 'REHOSTED' | 'RMA_REPLACED',
): Promise<PortalLicense[]> {
  const now = ctx.clock.now();
  const issued: PortalLicense[] = [];
  for (const l of licenses) {
    await tx.put('portalLicenses', { ...l, status, statusAt: now, movedTo: udiString(target) });
    issued.push(
      await issueLicense(tx, ctx, account, {
        udi: target,
        feature: l.feature,
        type: l.type,
        count: l.count,
        pakId: l.pakId,
        sku: l.sku,
      }),
    );
  }
  return issued;
}

/** 60-day grace-period lines for the source, one per license it gives up; not stored. */
function graceFor(ctx: DomainContext, account: SmartAccount, udi: Udi, licenses: PortalLicense[]): PortalLicense[] {
  const days = ctx.policy.temporaryLicenseDays;
  return licenses.map((l) =>
    signLicense(ctx, account, { udi, feature: l.feature, type: 'gracePeriod', count: l.count, periodDays: days }),
  );
}

export interface IssuedPermissionTicket {
  id: string;
  permissionTicket: string;
  revoke: PortalLicense[];
}

/**
 * Step 1 of a rehost: the licenses the source must revoke, and grace lines for it. The grace lines are
 * signed now (the device installs them from the ticket) but recorded as the source's licenses only once
 * its rehost ticket comes back.
 */
export async function createPermissionTicket(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  udi: Udi,
  features?: string[],
): Promise<IssuedPermissionTicket> {
  const revoke = await transferable(tx, account, udi, features);
  const ticket: PermissionTicketRecord = {
    id: randomBytes(8).toString('hex'),
    accountId: account.id,
    udi,
    udiKey: udiString(udi),
    licenseIds: revoke.map((l) => l.id),
    secret: randomBytes(32).toString('base64url'),
    grace: graceFor(ctx, account, udi, revoke),
    createdAt: ctx.clock.now(),
    usedAt: null,
    targetUdiKey: null,
  };
  await tx.put('permissionTickets', ticket);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'rehost.permission-issued',
    message: `Permission ticket ${ticket.id} to rehost ${revoke.map((l) => l.feature).join(', ')} from ${ticket.udiKey}`,
    data: { ticket: ticket.id, udi: ticket.udiKey, licenses: ticket.licenseIds },
  });
  const text = formatPermissionTicket(
    {
      id: ticket.id,
      udi,
      revoke: ticket.licenseIds,
      secret: ticket.secret,
      graceLines: ticket.grace.map((g) => g.line),
    },
    ['License Lab portal permission ticket', `Apply on ${udi.pid}:${udi.sn} with license revoke`],
  );
  return { id: ticket.id, permissionTicket: text, revoke };
}

export interface RehostResult extends IssuedFile {
  /** The grace licenses now recorded for the source. */
  grace: PortalLicense[];
}

/** Step 3: the source's rehost ticket and the target UDI ⇒ the target's license file. */
export async function completeRehost(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  rehostTicket: string,
  target: Udi,
): Promise<RehostResult> {
  const parsed = parseRehostTicket(rehostTicket);
  if (!parsed.ok) fail('REHOST_TICKET_INVALID', parsed.error.message);
  const t = parsed.value;
  const ticket = await tx.get('permissionTickets', t.permissionTicketId);
  if (!ticket || ticket.accountId !== account.id)
    fail(
      'PERMISSION_TICKET_NOT_FOUND',
      `smart account ${account.domain} issued no permission ticket ${t.permissionTicketId}`,
    );
  if (ticket.usedAt !== null)
    fail(
      'PERMISSION_TICKET_USED',
      `permission ticket ${ticket.id} was used on ${new Date(ticket.usedAt).toISOString()}`,
    );
  if (!checkRehostProof(t, ticket.secret) || udiString(t.udi) !== ticket.udiKey)
    fail(
      'REHOST_TICKET_INVALID',
      `the rehost ticket was not made with permission ticket ${ticket.id} on ${ticket.udiKey}`,
    );
  if ([...t.revoked].sort().join() !== [...ticket.licenseIds].sort().join())
    fail(
      'REHOST_TICKET_INVALID',
      `the rehost ticket revokes ${t.revoked.join(', ')}; ticket ${ticket.id} asked for ${ticket.licenseIds.join(', ')}`,
    );
  const revoked = (await Promise.all(ticket.licenseIds.map((id) => tx.get('portalLicenses', id)))).filter(
    (l): l is PortalLicense => l?.status === 'ACTIVE',
  );
  if (revoked.length !== ticket.licenseIds.length)
    fail('LICENSE_NOT_FOUND', `licenses of permission ticket ${ticket.id} moved since it was issued`);
  checkTarget(ticket.udi, target, revoked);
  for (const g of ticket.grace) await tx.put('portalLicenses', g);
  const issued = await reissue(tx, ctx, account, revoked, target, 'REHOSTED');
  await tx.put('permissionTickets', { ...ticket, usedAt: ctx.clock.now(), targetUdiKey: udiString(target) });
  await logRehost(tx, ctx, account, ticket.udi, target, issued);
  return { ...licenseFile(ctx, target, issued, `Rehost from ${ticket.udiKey}`), grace: ticket.grace };
}

function logRehost(tx: Tx, ctx: DomainContext, account: SmartAccount, from: Udi, to: Udi, issued: PortalLicense[]) {
  return logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'rehost.completed',
    message: `${issued.map((l) => l.feature).join(', ')} rehosted from ${udiString(from)} to ${udiString(to)}`,
    data: { from: udiString(from), to: udiString(to), licenses: issued.map((l) => l.id) },
  });
}

export interface OnlineRehost {
  /** For the target device: what `license call-home revoke` saves at its URL. */
  target: IssuedFile;
  /** For the source device: the grace lines it installs. */
  grace: IssuedFile;
  revoked: string[];
}

/** `license call-home revoke udi <target> <url>`: steps 1–3 in one request. */
export async function rehostOnline(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  source: Udi,
  target: Udi,
  features?: string[],
): Promise<OnlineRehost> {
  const revoke = await transferable(tx, account, source, features);
  checkTarget(source, target, revoke);
  const grace = graceFor(ctx, account, source, revoke);
  for (const g of grace) await tx.put('portalLicenses', g);
  const issued = await reissue(tx, ctx, account, revoke, target, 'REHOSTED');
  await logRehost(tx, ctx, account, source, target, issued);
  return {
    target: licenseFile(ctx, target, issued, `Rehost from ${udiString(source)}`),
    grace: licenseFile(ctx, source, grace, 'Rehost grace period'),
    revoked: revoke.map((l) => l.id),
  };
}

/** RMA: the failed device's licenses reissued to the replacement; the old ones marked RMA_REPLACED. */
export async function replaceForRma(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  r: { failed: Udi; replacement: Udi; rmaNumber?: string },
): Promise<IssuedFile> {
  const licenses = await transferable(tx, account, r.failed);
  checkTarget(r.failed, r.replacement, licenses);
  const issued = await reissue(tx, ctx, account, licenses, r.replacement, 'RMA_REPLACED');
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'rma.replaced',
    message: `RMA${r.rmaNumber ? ` ${r.rmaNumber}` : ''}: ${issued.map((l) => l.feature).join(', ')} of failed ${udiString(r.failed)} reissued to ${udiString(r.replacement)}`,
    data: {
      failed: udiString(r.failed),
      replacement: udiString(r.replacement),
      rmaNumber: r.rmaNumber ?? null,
      licenses: issued.map((l) => l.id),
    },
  });
  return licenseFile(ctx, r.replacement, issued, `RMA replacement for ${udiString(r.failed)}`);
}
