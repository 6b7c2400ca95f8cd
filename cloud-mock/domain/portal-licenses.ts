/**
 * License lines the portal issues (fulfilment, evaluation, extension, rehost, RMA) and what it sends back:
 * a license file. Every issued line is kept, byte for byte, so a resend returns exactly what was issued.
 */
import { randomBytes } from 'node:crypto';
import {
  formatLicenseFile,
  formatLicenseLine,
  licenseFileName,
  NOT_LOCKED,
  udiString,
  DAY,
  type LicenseFields,
  type LicenseLineType,
  type Udi,
} from '#protocol';
import type { PortalLicense, SmartAccount, Tx } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { fail } from './domain-error.ts';
import { logEvent } from './event-log.ts';
import { featuresFor } from './traditional-skus.ts';

export interface NewLicense {
  udi: Udi;
  feature: string;
  type: LicenseLineType;
  count: number | null;
  periodDays?: number;
  termDays?: number;
  pakId?: string | null;
  sku?: string | null;
}

/** What a portal operation answers: the file to install and the licenses in it. */
export interface IssuedFile {
  licenseFile: string;
  fileName: string;
  licenses: PortalLicense[];
}

const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/** A signed license line and its record, not stored yet. */
export function signLicense(ctx: DomainContext, account: SmartAccount, n: NewLicense): PortalLicense {
  // NOTLOCKED is the license line's word for "any device": no real UDI is named so.
  if (n.udi.pid === NOT_LOCKED || n.udi.sn === NOT_LOCKED)
    fail('INVALID_VALUE', `${udiString(n.udi)} is not a device: ${NOT_LOCKED} means not node-locked`);
  const now = seconds(ctx.clock.now());
  const temporary = n.periodDays !== undefined;
  const fields: LicenseFields = {
    id: randomBytes(8).toString('hex'),
    feature: n.feature,
    version: '1.0',
    type: n.type,
    udi: n.udi,
    count: n.count,
    priority: temporary ? 'low' : 'medium',
    periodSeconds: temporary ? n.periodDays! * 86_400 : null,
    startAt: n.termDays !== undefined ? now : null,
    endAt: n.termDays !== undefined ? now + n.termDays * DAY : null,
    issuedAt: now,
  };
  const license: PortalLicense = {
    id: fields.id,
    accountId: account.id,
    udi: n.udi,
    udiKey: udiString(n.udi),
    pakId: n.pakId ?? null,
    sku: n.sku ?? null,
    feature: n.feature,
    type: n.type,
    count: n.count,
    line: formatLicenseLine(fields, ctx.licenseKey),
    issuedAt: now,
    status: 'ACTIVE',
    statusAt: null,
    movedTo: null,
  };
  return license;
}

export async function issueLicense(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  n: NewLicense,
): Promise<PortalLicense> {
  const license = signLicense(ctx, account, n);
  await tx.put('portalLicenses', license);
  return license;
}

/** The license file of these lines, named `<SN>_<timestamp>.lic` like the portal's. */
export function licenseFile(ctx: DomainContext, udi: Udi, licenses: PortalLicense[], what: string): IssuedFile {
  const now = ctx.clock.now();
  const comments = [
    'License Lab portal license file',
    `${what} for ${udi.pid}:${udi.sn}, ${new Date(now).toISOString()}`,
    `Signing key ${ctx.licenseKey.keyId}`,
  ];
  return {
    licenseFile: formatLicenseFile(
      licenses.map((l) => l.line),
      comments,
    ),
    fileName: licenseFileName(udi.sn, now),
    licenses,
  };
}

/** The active licenses of the account locked to this UDI, oldest first (then by feature). */
export async function activeLicensesOf(tx: Tx, account: SmartAccount, udi: Udi): Promise<PortalLicense[]> {
  return (await tx.list('portalLicenses', { udi: udiString(udi), account_id: account.id }))
    .filter((l) => l.status === 'ACTIVE')
    .sort((a, b) => a.issuedAt - b.issuedAt || a.feature.localeCompare(b.feature));
}

export async function requireActiveLicenses(tx: Tx, account: SmartAccount, udi: Udi): Promise<PortalLicense[]> {
  const active = await activeLicensesOf(tx, account, udi);
  if (active.length === 0)
    fail('LICENSE_NOT_FOUND', `smart account ${account.domain} holds no active license for ${udiString(udi)}`);
  return active;
}

/** `license call-home resend` and the portal's resend: every active license of the UDI, as issued. */
export async function resendLicenses(tx: Tx, ctx: DomainContext, account: SmartAccount, udi: Udi): Promise<IssuedFile> {
  const active = await requireActiveLicenses(tx, account, udi);
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'licenses.resent',
    message: `${active.length} license(s) of ${udiString(udi)} resent`,
    data: { udi: udiString(udi), licenses: active.map((l) => l.id) },
  });
  return licenseFile(ctx, udi, active, 'Resent licenses');
}

function requireFeature(udi: Udi, feature: string): void {
  const known = featuresFor(udi.pid);
  if (!known.includes(feature))
    fail(
      'INVALID_VALUE',
      `feature ${JSON.stringify(feature.slice(0, 64))} is not licensed on ${udi.pid}; features: ${known.join(', ') || 'none'}`,
    );
}

/** A portal evaluation (demo) license: node-locked, metered 60 days, once per UDI and feature. */
export async function issueEvaluation(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  udi: Udi,
  feature: string,
): Promise<IssuedFile> {
  requireFeature(udi, feature);
  const before = await tx.list('portalLicenses', { udi: udiString(udi) });
  if (before.some((l) => l.type === 'demo' && l.feature === feature))
    fail('EVALUATION_ALREADY_ISSUED', `an evaluation license for ${feature} on ${udiString(udi)} was issued before`);
  const days = ctx.policy.temporaryLicenseDays;
  const license = await issueLicense(tx, ctx, account, { udi, feature, type: 'demo', count: null, periodDays: days });
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'license.evaluation-issued',
    message: `${days}-day evaluation license for ${feature} issued to ${udiString(udi)}`,
    data: { udi: udiString(udi), feature, license: license.id },
  });
  return licenseFile(ctx, udi, [license], 'Evaluation license');
}

/** An extension license (TAC): needs its approval flag; node-locked, metered, 1–60 days (default 60). */
export async function issueExtension(
  tx: Tx,
  ctx: DomainContext,
  account: SmartAccount,
  r: { udi: Udi; feature: string; approved: boolean; days?: number },
): Promise<IssuedFile> {
  requireFeature(r.udi, r.feature);
  if (!r.approved)
    fail('EXTENSION_NOT_APPROVED', `an extension license for ${r.feature} on ${udiString(r.udi)} needs approval`);
  const max = ctx.policy.temporaryLicenseDays;
  const days = r.days ?? max;
  if (!Number.isInteger(days) || days < 1 || days > max)
    fail('INVALID_VALUE', `extension days must be a whole number from 1 to ${max}, got ${JSON.stringify(r.days)}`);
  const license = await issueLicense(tx, ctx, account, {
    udi: r.udi,
    feature: r.feature,
    type: 'extension',
    count: null,
    periodDays: days,
  });
  await logEvent(tx, ctx, {
    accountId: account.id,
    vaId: null,
    kind: 'license.extension-issued',
    message: `${days}-day extension license for ${r.feature} issued to ${udiString(r.udi)}`,
    data: { udi: udiString(r.udi), feature: r.feature, license: license.id, days },
  });
  return licenseFile(ctx, r.udi, [license], 'Extension license');
}
