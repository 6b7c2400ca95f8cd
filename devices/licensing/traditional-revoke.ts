/**
 * `license revoke <permission-ticket-url> <rehost-ticket-url>` (A.4, A.8 step 2): the portal's permission
 * ticket checked whole before anything changes (grammar, the signature of every grace line against the
 * trusted portal keys, the ticket's UDI this device's, every license it names installed and not yet
 * revoked here, every grace line locked here and of a feature the image knows), so a refused ticket
 * revokes nothing and leaves the storage bytes as they were. Then what the revoke installs (the ticket's
 * 60-day grace-period lines, seed 001 "A 60-day grace period license is also installed") and the rehost
 * ticket that proves it (the protocol's formatRehostTicket, an HMAC keyed by the ticket's secret).
 */
import {
  formatRehostTicket,
  parsePermissionTicket,
  type LicenseFileErrorCode,
  type LicenseTrust,
  type PermissionTicket,
  type Udi,
} from '#protocol';
import type { PlatformModel } from '../kinds/platform.ts';
import type { VerifiedInstall } from './traditional-context.ts';
import { featureNames, licenseFromLine, lockedHere, type License } from './traditional-licenses.ts';
import { revokedKeys, type InstalledLicense } from './traditional-record.ts';
import { TYPE_NAMES } from '../cli/csl-strings.ts';
import { refusalLine } from './traditional-install.ts';

/** What each refusal is called (lab wording in `license install`'s form: no capture of a refused ticket). */
const REFUSAL: Record<LicenseFileErrorCode | 'FOREIGN_TICKET' | 'NOT_INSTALLED' | 'REVOKED', string> = {
  TOO_LARGE: 'Permission ticket is too large',
  NOT_TEXT: 'Not a permission ticket',
  EMPTY: 'Permission ticket is empty',
  TRUNCATED: 'Permission ticket is truncated',
  MALFORMED_LINE: 'Invalid permission ticket',
  BAD_SIGNATURE: 'Permission ticket signature verification failed',
  FOREIGN_UDI: 'Grace-period license is not valid for this device (UDI mismatch)',
  FOREIGN_TICKET: 'Permission ticket is not valid for this device (UDI mismatch)',
  NOT_INSTALLED: 'License to revoke is not installed',
  REVOKED: 'License was already revoked',
};

export type RevokeCheck =
  | { ok: false; error: string }
  | {
      ok: true;
      ticket: PermissionTicket;
      /** The installed licenses the ticket names, in its order. */
      revoke: readonly License[];
      grace: readonly VerifiedInstall[];
      rehostTicket: string;
    };

function refuse(code: keyof typeof REFUSAL, message: string, line?: number): RevokeCheck {
  return { ok: false, error: refusalLine(REFUSAL[code], message, line, 'revoked') };
}

export function checkRevoke(
  text: string,
  input: {
    trust: LicenseTrust;
    platform: PlatformModel;
    udi: Udi;
    licenses: readonly License[];
    installed: readonly InstalledLicense[];
    nextStoreIndex: number;
    now: number;
  },
): RevokeCheck {
  const parsed = parsePermissionTicket(text, input.trust);
  if (!parsed.ok) return refuse(parsed.error.code, parsed.error.message, parsed.error.line);
  const ticket = parsed.value;
  const { platform, udi } = input;
  const here = `${platform.licenseUdiPid ?? udi.pid}:${udi.sn}`;
  if (!lockedHere(ticket.udi, platform, udi))
    return refuse('FOREIGN_TICKET', `ticket ${ticket.id} is for ${ticket.udi.pid}:${ticket.udi.sn}, not ${here}`);
  const revokedIds = revokedKeys({ installed: input.installed });
  const revoke: License[] = [];
  for (const id of ticket.revoke) {
    if (revokedIds.has(id)) return refuse('REVOKED', `license ${id} (permission ticket ${ticket.id})`);
    const l = input.licenses.find((x) => x.key === id && x.text !== undefined);
    if (!l) return refuse('NOT_INSTALLED', `license ${id} named by permission ticket ${ticket.id}`);
    revoke.push(l);
  }
  const foreign = ticket.graceLines.find((l) => !lockedHere(l.udi, platform, udi));
  if (foreign)
    return refuse('FOREIGN_UDI', `feature ${foreign.feature} is locked to ${foreign.udi?.pid}:${foreign.udi?.sn}`);
  const features = featureNames(platform);
  const have = new Set(input.licenses.map((l) => l.key));
  const grace: VerifiedInstall[] = [];
  for (const l of ticket.graceLines) {
    if (!features.includes(l.feature)) return refuse('MALFORMED_LINE', `feature ${l.feature} is not in this image`);
    if (have.has(l.id)) continue;
    have.add(l.id);
    const installed = {
      text: l.text,
      storeIndex: input.nextStoreIndex + grace.length,
      comment: '',
      installedAt: input.now,
    };
    grace.push({ installed, license: licenseFromLine(l, installed) });
  }
  return { ok: true, ticket, revoke, grace, rehostTicket: formatRehostTicket(ticket, ticket.revoke) };
}

/**
 * What IOS prints (recalled, unconfirmed: A.4 "shows licences to be revoked and the grace-period EULA, asks
 * to accept, revokes, writes rehost ticket"); the shell is not interactive and takes `yes`, as `license
 * clear` does. The EULA text itself is left out.
 */
export function revokeReport(url: string, check: Extract<RevokeCheck, { ok: true }>): string {
  const group = (ls: readonly License[], what: string) =>
    [...new Set(ls.map((l) => l.type))].flatMap((t) => [
      `Following ${TYPE_NAMES[t]} license(s) will be ${what} this device`,
      ...ls.filter((l) => l.type === t).map((l) => `       Feature Name: ${l.feature}`),
    ]);
  return [
    `Applying permission ticket "${url}" (${check.ticket.id})`,
    ...group(check.revoke, 'revoked from'),
    ...group(
      check.grace.map((g) => g.license),
      'installed on',
    ),
    'ACCEPT? [yes/no]: yes',
    'Issuing rehost ticket...',
    '',
  ].join('\n');
}
