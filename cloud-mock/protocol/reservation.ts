/**
 * License reservation (SLR: SPECIFIC, PLR: UNIVERSAL; smart-licensing.md §8.2, cssm-api.md §1.3.10) as devices
 * and the cloud share it: the request code a device prints (`license smart reservation request local`), the
 * authorization the portal answers (a RESERVATION document, slp.ts), and the return code a device prints
 * once it has removed it (`license smart reservation return local`), which releases the licenses.
 *
 * Cisco's request code looks like `CE-ZC9300-48P-4X:XDC240312LB5-A6rZG7jGd-75` (`<PID>:<SN>-<random>-<check>`);
 * how its check is computed is not public. Ours: two decimal digits, the sum of the UTF-8 bytes of
 * everything before the last `-`, modulo 97 (a typo or a cut-short code fails it). The return code is
 * `<PID>:<SN>-R<confirmation code>-<check>` with the same check: only a holder of the authorization knows
 * its confirmation code.
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { Udi } from './messages.ts';
import { MAX_EPOCH_MS } from './messages.ts';
import { Sudi } from './slp.ts';

export const RESERVATION_TYPES = ['SPECIFIC', 'UNIVERSAL'] as const;
export type ReservationType = (typeof RESERVATION_TYPES)[number];

export const ReservationLicense = Type.Object(
  {
    entitlementTag: Type.String({ minLength: 1, maxLength: 255 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type ReservationLicense = Static<typeof ReservationLicense>;

/** The payload of a RESERVATION document: what one UDI may use without ever talking to the cloud. */
export const ReservationPayload = Type.Object(
  {
    udi: Sudi,
    type: Type.Union(RESERVATION_TYPES.map((t) => Type.Literal(t))),
    licenses: Type.Array(ReservationLicense, { maxItems: 64 }),
    issued_at: Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS }),
    /** Needed to make the return code (`license smart reservation return local`). */
    confirmation_code: Type.String({ pattern: '^[0-9A-F]{8}$' }),
  },
  { additionalProperties: false },
);
export type ReservationPayload = Static<typeof ReservationPayload>;

export type CodeResult = { ok: true; udi: Udi; value: string } | { ok: false; reason: string };

/** Two decimal digits: the byte sum of `text` modulo 97. */
export function reservationCheck(text: string): string {
  let sum = 0;
  for (const b of Buffer.from(text, 'utf8')) sum += b;
  return String(sum % 97).padStart(2, '0');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function withCheck(udi: Udi, middle: string): string {
  const body = `${udi.pid}:${udi.sn}-${middle}`;
  return `${body}-${reservationCheck(body)}`;
}

/** A new request code for `udi` (9 random characters, as in Cisco's example). */
export function reservationRequestCode(udi: Udi): string {
  const random = [...randomBytes(9)].map((b) => ALNUM[b % ALNUM.length]).join('');
  return withCheck(udi, random);
}

/** The return code of the authorization whose confirmation code is `confirmationCode`. */
export function reservationReturnCode(udi: Udi, confirmationCode: string): string {
  return withCheck(udi, `R${confirmationCode}`);
}

const CODE_RE =
  /^([A-Za-z0-9][A-Za-z0-9/_.+-]{0,63}):([A-Za-z0-9][A-Za-z0-9_.-]{0,63})-([A-Za-z0-9]{1,32})-([0-9]{2})$/;

function parseCode(code: string, what: string): CodeResult {
  const m = CODE_RE.exec(code.trim());
  if (!m) return { ok: false, reason: `${what} ${JSON.stringify(code.slice(0, 80))} is not <PID>:<SN>-<code>-<check>` };
  const [, pid, sn, value, check] = m as unknown as [string, string, string, string, string];
  if (reservationCheck(`${pid}:${sn}-${value}`) !== check)
    return {
      ok: false,
      reason: `${what} ${JSON.stringify(code.slice(0, 80))} fails its check digits (mistyped or cut short?)`,
    };
  return { ok: true, udi: { pid, sn }, value };
}

/** The UDI a request code names and its random part. */
export function parseReservationRequestCode(code: string): CodeResult {
  return parseCode(code, 'request code');
}

/** The UDI a return code names and the confirmation code it proves. */
export function parseReservationReturnCode(code: string): CodeResult {
  const parsed = parseCode(code, 'return code');
  if (!parsed.ok) return parsed;
  if (!/^R[0-9A-F]{8}$/.test(parsed.value))
    return { ok: false, reason: `return code ${JSON.stringify(code.slice(0, 80))} carries no confirmation code` };
  return { ok: true, udi: parsed.udi, value: parsed.value.slice(1) };
}
