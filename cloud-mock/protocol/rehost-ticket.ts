/**
 * The two documents of a rehost (traditional-licensing-snmp-platforms.md §A.1, §A.8): the portal's
 * permission ticket tells the source device which licenses to revoke and carries the grace-period lines
 * it installs meanwhile; the device's rehost ticket proves it revoked them. Real devices sign the rehost
 * ticket with their own credentials; a lab device has none the portal knows, so the proof is an
 * HMAC-SHA256 keyed by the permission ticket's secret: only the holder of that ticket can make it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readEnvelope } from './license-file.ts';
import {
  LICENSE_FORMAT_VERSION,
  licenseError,
  parseLicenseLine,
  PID_RE,
  readOrderedFields,
  SN_RE,
  type LicenseLine,
  type LicenseResult,
  type LicenseTrust,
} from './license-line.ts';

export interface PermissionTicket {
  id: string;
  udi: { pid: string; sn: string };
  /** License ids (`id=` of their lines) the device must revoke. */
  revoke: string[];
  /** base64url HMAC key of the rehost ticket's proof. */
  secret: string;
  /** gracePeriod lines for the source device, installed by the revoke. */
  graceLines: LicenseLine[];
}

const ID_RE = /^[0-9a-f]{16}$/;
const B64URL_RE = /^[A-Za-z0-9_-]{20,128}$/;

const malformed = (message: string, line?: number) => licenseError('MALFORMED_LINE', message, line);

/** The fields, or undefined when the line does not have them in this order. */
function fieldsOf(text: string, tag: string, names: readonly string[]): Record<string, string> | undefined {
  const f = readOrderedFields(text, tag, names);
  return 'problem' in f ? undefined : f.fields;
}

const ticketHeader = ['v', 'id', 'pid', 'sn', 'revoke', 'secret'] as const;

export function formatPermissionTicket(
  t: Omit<PermissionTicket, 'graceLines'> & { graceLines: readonly string[] },
  comments: readonly string[] = [],
): string {
  const header = `PERMISSION-TICKET v=${LICENSE_FORMAT_VERSION} id=${t.id} pid=${t.udi.pid} sn=${t.udi.sn} revoke=${t.revoke.join(',')} secret=${t.secret}`;
  return `${[...comments.map((c) => `# ${c}`), header, ...t.graceLines, `END lines=${t.graceLines.length}`].join('\n')}\n`;
}

/** The device side of `license revoke <permission-ticket-url> …`: the ticket and its grace lines, verified. */
export function parsePermissionTicket(
  input: string | Uint8Array,
  trust: LicenseTrust,
): LicenseResult<PermissionTicket> {
  const env = readEnvelope(input, 'permission ticket');
  if (!env.ok) return env;
  const f = fieldsOf(env.value.header, 'PERMISSION-TICKET', ticketHeader);
  if (
    !f ||
    f.v !== LICENSE_FORMAT_VERSION ||
    !ID_RE.test(f.id!) ||
    !PID_RE.test(f.pid!) ||
    !SN_RE.test(f.sn!) ||
    !B64URL_RE.test(f.secret!)
  )
    return malformed('the first line must be "PERMISSION-TICKET v=1 id=… pid=… sn=… revoke=… secret=…"');
  const revoke = f.revoke!.split(',');
  if (revoke.length === 0 || revoke.length > 256 || !revoke.every((id) => ID_RE.test(id)))
    return malformed('revoke= must list 16-hex-digit license ids, separated by commas');
  const graceLines: LicenseLine[] = [];
  for (const item of env.value.items) {
    const line = parseLicenseLine(item.text, trust, item.lineNo);
    if (!line.ok) return line;
    if (line.value.type !== 'gracePeriod')
      return malformed('a permission ticket carries gracePeriod lines only', item.lineNo);
    graceLines.push(line.value);
  }
  return { ok: true, value: { id: f.id!, udi: { pid: f.pid!, sn: f.sn! }, revoke, secret: f.secret!, graceLines } };
}

export interface RehostTicket {
  permissionTicketId: string;
  udi: { pid: string; sn: string };
  revoked: string[];
  proof: string;
  /** The part the proof covers. */
  signedText: string;
}

/** HMAC-SHA256 of the text, keyed by the permission ticket's secret, base64url. */
export function rehostProof(secret: string, text: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(text).digest('base64url');
}

/** What a device writes to `<rehost-ticket-url>` once it revoked what the permission ticket named. */
export function formatRehostTicket(ticket: PermissionTicket, revoked: readonly string[]): string {
  const text = `REHOST-TICKET v=${LICENSE_FORMAT_VERSION} permission=${ticket.id} pid=${ticket.udi.pid} sn=${ticket.udi.sn} revoked=${revoked.join(',')}`;
  return `${text} proof=${rehostProof(ticket.secret, text)}\n`;
}

/** The portal side: grammar only; whether the proof holds is for the holder of the secret (checkRehostProof). */
export function parseRehostTicket(input: string): LicenseResult<RehostTicket> {
  if (input.length > 16 * 1024) return licenseError('TOO_LARGE', 'rehost ticket is over 16 KiB');
  const text = input.replace(/\r?\n$/, '');
  const at = text.lastIndexOf(' proof=');
  const f =
    at < 0 ? undefined : fieldsOf(text.slice(0, at), 'REHOST-TICKET', ['v', 'permission', 'pid', 'sn', 'revoked']);
  const proof = text.slice(at + 7);
  if (
    !f ||
    f.v !== LICENSE_FORMAT_VERSION ||
    !ID_RE.test(f.permission!) ||
    !PID_RE.test(f.pid!) ||
    !SN_RE.test(f.sn!) ||
    !/^[A-Za-z0-9_-]{43}$/.test(proof)
  )
    return malformed('a rehost ticket is one line "REHOST-TICKET v=1 permission=… pid=… sn=… revoked=… proof=…"');
  const revoked = f.revoked!.split(',');
  if (!revoked.every((id) => ID_RE.test(id))) return malformed('revoked= must list 16-hex-digit license ids');
  return {
    ok: true,
    value: {
      permissionTicketId: f.permission!,
      udi: { pid: f.pid!, sn: f.sn! },
      revoked,
      proof,
      signedText: text.slice(0, at),
    },
  };
}

export function checkRehostProof(ticket: RehostTicket, secret: string): boolean {
  const expected = Buffer.from(rehostProof(secret, ticket.signedText));
  const given = Buffer.from(ticket.proof);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
